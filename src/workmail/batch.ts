// The one batch engine every write goes through: the extension's grant, edit, revoke, bulk
// changes, undo, stale-grant clean-up and change files, and the command line's `apply`. Each item
// goes through PermissionWriter.apply (pair lock, fresh read, union for grants, never an empty
// Put, read-back) with the rights the person saw; the front ends differ only in their hooks: the
// extension asks about a concurrent change and an unlisted earlier write, shows progress, tells
// the tree and records undo; the command line, applying a plan the person reviewed, has no one to
// ask, so a change made since the plan refuses the item. One vocabulary of outcomes, and one
// wording of each refusal, for both.
import { CancelledError, ConcurrentChangeError, isCancellation, toWorkMailError, WorkMailError } from './errors';
import type { ChangeResult, PermissionChange, PermissionWriter, WriteRoute } from './permissions';
import { rightsDiff, rightsLabel } from './rights';
import type { DirectoryEntity, Organization, Right } from './types';

export interface BatchItem {
  readonly org: Organization;
  readonly mailbox: DirectoryEntity;
  readonly grantee: { readonly id: string; readonly type: 'USER' | 'GROUP'; readonly label: string };
  /** How people know the mailbox (the caller's label: display name, escaped for where it is shown). */
  readonly mailboxLabel: string;
  readonly change: PermissionChange;
  /** Mailbox permissions (the default), or a booking delegation of a resource (BOOKING_DELEGATE). */
  readonly route?: WriteRoute;
  /**
   * What the person saw (or the plan read); a different fresh read means someone else changed it.
   * Every front end gives it; undefined takes the writer's fresh read as seen.
   */
  readonly expectedBefore?: readonly Right[];
  /**
   * False when the grantee (or mailbox) is given as a name or address rather than an ID WorkMail
   * listed; the writer then resolves it (one Describe). Every front end's items come from
   * WorkMail's directory or a permission listing, so it defaults to true.
   */
  readonly granteeFromDirectory?: boolean;
  /**
   * Checked just before the write: a reason not to make it any more (the stale-grant clean-up:
   * "no longer stale"), or undefined to go on. The item is then skipped with that reason.
   */
  readonly precheck?: (signal: AbortSignal) => Promise<string | undefined>;
  /**
   * What to tell the person when WorkMail refuses with this error code (undefined: the general
   * message). The stale-grant clean-up says which side is disabled, or what to do about a grant to
   * an ID WorkMail no longer knows.
   */
  readonly explainRefusal?: (code: string) => string | undefined;
}

/**
 * changed: written (and read back); unchanged: nothing needed (no call made); refused: not written
 * because someone else changed the rights (`errorCode` ChangedSincePlan when the batch is a
 * reviewed plan, DeclinedConcurrentChange when the person chose to leave it), or a plan refused the
 * line before; failed: WorkMail or the item's own check said no (`errorCode` its code); skipped:
 * not tried (cancelled, or `NotApplicable` from the item's precheck).
 */
export type BatchStatus = 'changed' | 'unchanged' | 'refused' | 'failed' | 'skipped';

export interface BatchOutcome<I extends BatchItem = BatchItem> {
  readonly item: I;
  readonly status: BatchStatus;
  readonly before?: readonly Right[];
  readonly requested?: readonly Right[];
  readonly after?: readonly Right[];
  readonly verified?: boolean;
  /** Set when the write went through but reading it back failed, so what WorkMail holds is unconfirmed. */
  readonly verifyError?: WorkMailError;
  /**
   * Set when WorkMail's answer to the write was lost although it lists the change: until then no
   * other change to this grantee is made, in case a late copy of the request still arrives.
   */
  readonly heldUntil?: number;
  /** Set when someone else had changed the rights after they were read. */
  readonly concurrent?: { readonly expected: readonly Right[]; readonly actual: readonly Right[] };
  /** For people: why it was refused, failed or was skipped. */
  readonly reason?: string;
  readonly errorCode?: string;
  /** The WorkMail failure behind a `failed` outcome. */
  readonly error?: WorkMailError;
}

export interface BatchHooks<I extends BatchItem> {
  readonly signal?: AbortSignal;
  /** Before each item is tried (progress). */
  readonly onItemStart?: (item: I, index: number, total: number) => void;
  /**
   * Someone else changed the rights since they were read: the rights to write instead (the
   * person's choice, over what WorkMail holds now), or undefined to leave the item. Asked at most
   * MAX_CONCURRENT_ROUNDS times in a row for one item. Without this hook the batch comes from a plan
   * the person reviewed: the item is refused as changed since the plan, never applied on top of a
   * state nobody saw.
   */
  readonly onConcurrentChange?: (item: I, err: ConcurrentChangeError) => Promise<readonly Right[] | undefined>;
  /**
   * WorkMail does not list this writer's earlier change to the pair yet: true to go on from what
   * it lists (an explicit choice, never the default). Without this hook the item fails with
   * ListLagging.
   */
  readonly onUnlisted?: (item: I, err: WorkMailError) => Promise<boolean>;
  /**
   * Removing this booking delegate leaves a resource that does not accept requests automatically
   * without one: true to remove it all the same (the person's explicit answer). Without this
   * hook the item fails with LeavesResourceUnattended and nothing is written.
   */
  readonly onLeavesUnattended?: (item: I, err: WorkMailError) => Promise<boolean>;
  /** After a write (or a fresh read that found nothing to do): the tree and the log. */
  readonly onWritten?: (item: I, result: ChangeResult) => void;
  /** After a concurrent change was seen (the log). */
  readonly onConcurrentSeen?: (item: I, err: ConcurrentChangeError) => void;
  /** After a WorkMail failure (the log; the tree marks an InDoubt write). */
  readonly onFailed?: (item: I, error: WorkMailError) => void;
  /** Words for a failure the item does not explain itself (the extension names the disabled side). */
  readonly explainFailure?: (item: I, error: WorkMailError) => string | undefined;
  /** True for an error that ends the batch like a cancel (a question dismissed). */
  readonly stopsBatch?: (err: unknown) => boolean;
  /** After each item, in order. */
  readonly onOutcome?: (outcome: BatchOutcome<I>, index: number) => void;
  /** Once, at the end, also when the batch ends early by an error: what was written stays known (undo). */
  readonly onSettled?: (outcomes: readonly BatchOutcome<I>[]) => Promise<void>;
}

/** How many times in a row someone else may change one item's rights before we stop asking. */
export const MAX_CONCURRENT_ROUNDS = 3;

/** "no rights", "Full access · Send as". */
export function rightsPhrase(rights: readonly Right[]): string {
  return rights.length === 0 ? 'no rights' : rightsLabel(rights);
}

/** "added Send as; removed Full access". */
export function differencePhrase(expected: readonly Right[], actual: readonly Right[]): string {
  const { added, removed } = rightsDiff(expected, actual);
  return [added.length > 0 ? `added ${rightsLabel(added)}` : '', removed.length > 0 ? `removed ${rightsLabel(removed)}` : ''].filter(Boolean).join('; ');
}

/** The one wording of each refusal and skip the engine makes. */
export const BATCH_WORDS = {
  changedSincePlan: (err: ConcurrentChangeError) => `changed since the plan (planned from ${rightsPhrase(err.expected)}, now ${rightsPhrase(err.actual)}); nothing was written: plan again`,
  declinedConcurrentChange: (item: BatchItem, err: ConcurrentChangeError) =>
    item.route === 'booking-delegate'
      ? `Someone else ${err.actual.length > 0 ? 'made' : 'removed'} ${item.grantee.label} ${err.actual.length > 0 ? 'a' : 'as'} booking delegate of ${item.mailboxLabel} after you looked; nothing was written.`
      : `Someone else changed the permissions of ${item.grantee.label} on ${item.mailboxLabel} after you opened them (${differencePhrase(err.expected, err.actual)}); nothing was written.`,
  precheckFailed: (error: WorkMailError) => `It could not be checked just before the change (${error.message}); nothing was changed.`,
  cancelledBefore: 'cancelled before it was written',
  cancelled: 'cancelled',
} as const;

/**
 * Applies the items in order. A failed item never stops the rest; a cancel (the signal, or an
 * error `stopsBatch` names) skips the rest. Throws only an error no item outcome can carry.
 */
export async function applyBatch<I extends BatchItem>(writer: PermissionWriter, items: readonly I[], hooks: BatchHooks<I> = {}): Promise<BatchOutcome<I>[]> {
  const stop = new AbortController();
  const signal = hooks.signal ? AbortSignal.any([hooks.signal, stop.signal]) : stop.signal;
  const stopsBatch = (err: unknown): boolean => isCancellation(err) || signal.aborted || (hooks.stopsBatch?.(err) ?? false);
  const outcomes: BatchOutcome<I>[] = [];
  try {
    for (const [index, item] of items.entries()) {
      let outcome: BatchOutcome<I>;
      if (signal.aborted) {
        outcome = { item, status: 'skipped', reason: BATCH_WORDS.cancelledBefore };
      } else {
        hooks.onItemStart?.(item, index, items.length);
        try {
          outcome = (await precheck(item, signal, hooks, stopsBatch)) ?? (await applyItem(writer, item, signal, hooks, stopsBatch));
        } catch (err) {
          if (!stopsBatch(err)) {
            throw err;
          }
          // The write in flight was finished and verified by the writer, or never started; the
          // next fresh read will tell, so the item is reported as not done rather than guessed.
          outcome = { item, status: 'skipped', reason: BATCH_WORDS.cancelled };
          stop.abort();
        }
      }
      outcomes.push(outcome);
      hooks.onOutcome?.(outcome, index);
    }
  } finally {
    await hooks.onSettled?.(outcomes);
  }
  return outcomes;
}

async function precheck<I extends BatchItem>(item: I, signal: AbortSignal, hooks: BatchHooks<I>, stopsBatch: (err: unknown) => boolean): Promise<BatchOutcome<I> | undefined> {
  if (!item.precheck) {
    return undefined;
  }
  let reason: string | undefined;
  try {
    reason = await item.precheck(signal);
  } catch (err) {
    if (stopsBatch(err)) {
      throw err;
    }
    const error = toWorkMailError(err, { subject: item.mailboxLabel, region: item.org.region });
    hooks.onFailed?.(item, error);
    return { item, status: 'failed', reason: BATCH_WORDS.precheckFailed(error), errorCode: error.code, error };
  }
  return reason === undefined ? undefined : { item, status: 'skipped', reason, errorCode: 'NotApplicable' };
}

async function applyItem<I extends BatchItem>(writer: PermissionWriter, item: I, signal: AbortSignal, hooks: BatchHooks<I>, stopsBatch: (err: unknown) => boolean): Promise<BatchOutcome<I>> {
  let expectedBefore = item.expectedBefore;
  let change = item.change;
  let acceptListed = false;
  let allowUnattended = false;
  let concurrent: BatchOutcome['concurrent'];
  for (let round = 0; ; round++) {
    let result: ChangeResult;
    try {
      result = await writer.apply({
        org: item.org,
        route: item.route,
        allowUnattended,
        mailboxId: item.mailbox.id,
        mailboxKind: item.mailbox.kind,
        granteeId: item.grantee.id,
        change,
        expectedBefore,
        signal,
        acceptListed,
        granteeFromDirectory: item.granteeFromDirectory ?? true,
      });
    } catch (err) {
      if (stopsBatch(err)) {
        throw err instanceof Error ? err : new CancelledError();
      }
      if (err instanceof ConcurrentChangeError) {
        concurrent = { expected: err.expected, actual: err.actual };
        hooks.onConcurrentSeen?.(item, err);
        if (!hooks.onConcurrentChange) {
          return { item, status: 'refused', before: err.actual, concurrent, errorCode: 'ChangedSincePlan', reason: BATCH_WORDS.changedSincePlan(err) };
        }
        const chosen = round < MAX_CONCURRENT_ROUNDS ? await hooks.onConcurrentChange(item, err) : undefined;
        if (!chosen) {
          return { item, status: 'refused', before: err.actual, concurrent, errorCode: 'DeclinedConcurrentChange', reason: BATCH_WORDS.declinedConcurrentChange(item, err) };
        }
        // The person's choice, as exact rights over what WorkMail holds now; should it change
        // again before the write, they are asked again.
        change = chosen.length === 0 ? { kind: 'revoke' } : { kind: 'set', rights: chosen };
        expectedBefore = err.actual;
        continue;
      }
      if (err instanceof WorkMailError && err.code === 'ListLagging' && !acceptListed && hooks.onUnlisted && (await hooks.onUnlisted(item, err))) {
        // The person's explicit choice: their earlier write is not listed and may never be.
        acceptListed = true;
        continue;
      }
      if (err instanceof WorkMailError && err.code === 'LeavesResourceUnattended' && !allowUnattended && hooks.onLeavesUnattended && (await hooks.onLeavesUnattended(item, err))) {
        // The person's explicit answer, asked with the resource's state read inside the pair's lock.
        allowUnattended = true;
        continue;
      }
      const error = toWorkMailError(err, { subject: item.mailboxLabel, region: item.org.region });
      hooks.onFailed?.(item, error);
      const reason = item.explainRefusal?.(error.code) ?? hooks.explainFailure?.(item, error) ?? error.message;
      return { item, status: 'failed', reason, errorCode: error.code, error, concurrent };
    }
    // Outside the try: a hook's own failure is not WorkMail's refusal of the item.
    hooks.onWritten?.(item, result);
    return {
      item,
      status: result.noop ? 'unchanged' : 'changed',
      before: result.before,
      requested: result.requested,
      after: result.after,
      verified: result.verified,
      verifyError: result.verifyError,
      heldUntil: result.writeError ? result.settleAt : undefined,
      concurrent,
    };
  }
}
