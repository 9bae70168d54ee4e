// Applying a confirmed plan from the command line. Every line goes through PermissionWriter.apply,
// the same safe write path as the tree (pair lock, fresh read, union for grants, never an empty
// Put, read-back), with the rights the plan read as what the person saw: a line whose rights
// changed since the plan is refused and listed, never applied on top of a state nobody reviewed.
// A line planned "already so" goes the same way: the writer's fresh read finds it still so (no
// call is made) or refuses it as changed since the plan.
// The extension applies the same plan through its batch pipeline (commands/permissions/apply.ts
// applyAll), which adds progress, the tree and Undo; this is its counterpart without VS Code.
import { CancelledError, ConcurrentChangeError, isCancellation, toWorkMailError } from '../errors';
import { entityName } from '../names';
import type { PermissionWriter } from '../permissions';
import type { Right } from '../types';
import type { ChangePlan, PlannedLine } from './plan';

export interface AppliedLine {
  readonly line: number;
  /** done: written (and read back); unchanged: nothing needed; refused/failed: not done, see reason; skipped: cancelled first. */
  readonly status: 'done' | 'unchanged' | 'refused' | 'failed' | 'skipped';
  readonly mailbox: string;
  readonly grantee: string;
  readonly before?: readonly Right[];
  readonly after?: readonly Right[];
  /** False when WorkMail did not list the written rights yet when read back. */
  readonly verified?: boolean;
  readonly reason?: string;
  readonly errorCode?: string;
}

export interface ApplyOptions {
  readonly signal?: AbortSignal;
  /** Told after each line, in file order (a log line per change). */
  readonly onLine?: (result: AppliedLine, planned: PlannedLine) => void;
}

function names(planned: PlannedLine): { mailbox: string; grantee: string } {
  return {
    mailbox: planned.mailbox ? entityName(planned.mailbox) : planned.change.mailbox,
    grantee: planned.grantee ? entityName(planned.grantee) : planned.change.grantee,
  };
}

function words(rights: readonly Right[]): string {
  return rights.length > 0 ? rights.join(', ') : 'nothing';
}

async function applyLine(writer: PermissionWriter, planned: PlannedLine, signal: AbortSignal | undefined): Promise<AppliedLine> {
  const base = { line: planned.change.line, ...names(planned) };
  if (planned.status === 'refused') {
    return { ...base, status: 'refused', reason: planned.reason };
  }
  if (!planned.write || !planned.org || !planned.mailbox || !planned.grantee || !planned.before) {
    return { ...base, status: 'unchanged', before: planned.before, after: planned.before };
  }
  try {
    const result = await writer.apply({
      org: planned.org,
      mailboxId: planned.mailbox.id,
      mailboxKind: planned.mailbox.kind,
      granteeId: planned.grantee.id,
      change: planned.write,
      expectedBefore: planned.before,
      signal,
      // Resolved by the plan from WorkMail's own directory.
      granteeFromDirectory: true,
    });
    return { ...base, status: result.noop ? 'unchanged' : 'done', before: result.before, after: result.verified ? result.after : result.requested, verified: result.verified };
  } catch (err) {
    if (isCancellation(err) || signal?.aborted) {
      throw new CancelledError();
    }
    if (err instanceof ConcurrentChangeError) {
      return {
        ...base,
        status: 'refused',
        before: err.actual,
        errorCode: 'ChangedSincePlan',
        reason: `changed since the plan (planned from ${words(err.expected)}, now ${words(err.actual)}); nothing was written: plan again`,
      };
    }
    const problem = toWorkMailError(err, { subject: base.mailbox, region: planned.org.region });
    return { ...base, status: 'failed', errorCode: problem.code, reason: problem.message };
  }
}

/** Applies the plan's lines in file order; a failed line never stops the rest, a cancel skips them. */
export async function applyPlan(writer: PermissionWriter, plan: ChangePlan, options: ApplyOptions = {}): Promise<AppliedLine[]> {
  const results: AppliedLine[] = [];
  for (const planned of plan.lines) {
    let result: AppliedLine;
    if (options.signal?.aborted) {
      result = { line: planned.change.line, ...names(planned), status: 'skipped', reason: 'cancelled before it was written' };
    } else {
      try {
        result = await applyLine(writer, planned, options.signal);
      } catch (err) {
        if (!(err instanceof CancelledError)) {
          throw err;
        }
        // The write in flight was finished and verified by the writer, or never started.
        result = { line: planned.change.line, ...names(planned), status: 'skipped', reason: 'cancelled' };
      }
    }
    results.push(result);
    options.onLine?.(result, planned);
  }
  return results;
}
