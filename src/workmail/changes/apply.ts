// Applying a confirmed plan from the command line, through the one batch engine (../batch.ts) that
// every write of the product goes through. The plan was reviewed, so the batch has no one to ask:
// a line whose rights changed since the plan is refused and listed, never applied on top of a
// state nobody reviewed. A line planned "already so" goes the same way: the writer's fresh read
// finds it still so (no call is made) or refuses it as changed since the plan.
import { applyBatch, type BatchItem, type BatchOutcome, type BatchStatus } from '../batch';
import { entityName } from '../names';
import type { PermissionWriter } from '../permissions';
import type { Right } from '../types';
import { routeOf, type ChangePlan, type PlannedLine } from './plan';

export interface AppliedLine {
  readonly line: number;
  readonly status: BatchStatus;
  readonly mailbox: string;
  readonly grantee: string;
  readonly before?: readonly Right[];
  readonly after?: readonly Right[];
  /** False when WorkMail did not list the written rights yet when read back. */
  readonly verified?: boolean;
  /**
   * ISO 8601. WorkMail's answer to the write was lost though it lists the change: in case a late
   * copy of the request still arrives, no other change to the pair is made before then.
   */
  readonly heldUntil?: string;
  readonly reason?: string;
  readonly errorCode?: string;
}

export interface ApplyOptions {
  readonly signal?: AbortSignal;
  /** Told after each line, in file order (a log line per change). */
  readonly onLine?: (result: AppliedLine, planned: PlannedLine) => void;
}

interface LineItem extends BatchItem {
  readonly planned: PlannedLine;
}

function names(planned: PlannedLine): { mailbox: string; grantee: string } {
  return {
    mailbox: planned.mailbox ? entityName(planned.mailbox) : planned.change.mailbox,
    grantee: planned.grantee ? entityName(planned.grantee) : planned.change.grantee,
  };
}

function appliedLine(outcome: BatchOutcome<LineItem>): AppliedLine {
  const planned = outcome.item.planned;
  return {
    line: planned.change.line,
    ...names(planned),
    status: outcome.status,
    before: outcome.before,
    after: outcome.status === 'changed' && !outcome.verified ? outcome.requested : outcome.after,
    verified: outcome.status === 'changed' ? outcome.verified : undefined,
    ...(outcome.heldUntil !== undefined ? { heldUntil: new Date(outcome.heldUntil).toISOString() } : {}),
    reason: outcome.reason,
    errorCode: outcome.errorCode,
  };
}

/** Applies the plan's lines in file order; a failed line never stops the rest, a cancel skips them. */
export async function applyPlan(writer: PermissionWriter, plan: ChangePlan, options: ApplyOptions = {}): Promise<AppliedLine[]> {
  const results: AppliedLine[] = [];
  const report = (result: AppliedLine, planned: PlannedLine): void => {
    results.push(result);
    options.onLine?.(result, planned);
  };
  // Lines in file order: a refused line is reported where it stands, between the written ones.
  let pending: LineItem[] = [];
  const flush = async (): Promise<void> => {
    const items = pending;
    pending = [];
    if (items.length > 0) {
      await applyBatch(writer, items, { signal: options.signal, onOutcome: (outcome) => report(appliedLine(outcome), outcome.item.planned) });
    }
  };
  for (const planned of plan.lines) {
    const { org, mailbox, grantee, write, before } = planned;
    if (planned.status !== 'refused' && write && org && mailbox && grantee && before) {
      pending.push({
        planned,
        org,
        mailbox,
        mailboxLabel: entityName(mailbox),
        grantee: { id: grantee.id, type: grantee.kind === 'group' ? 'GROUP' : 'USER', label: entityName(grantee) },
        change: write,
        route: routeOf(planned.change),
        expectedBefore: before,
      });
      continue;
    }
    await flush();
    const base = { line: planned.change.line, ...names(planned) };
    if (planned.status === 'refused') {
      report({ ...base, status: 'refused', reason: planned.reason }, planned);
    } else if (options.signal?.aborted) {
      report({ ...base, status: 'skipped', reason: 'cancelled before it was written' }, planned);
    } else {
      report({ ...base, status: 'unchanged', before, after: before }, planned);
    }
  }
  await flush();
  return results;
}
