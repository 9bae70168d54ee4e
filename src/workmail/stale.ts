// Stale grants: rights that no longer serve anyone — held by a grantee that is disabled, deleted
// or unknown to the directory, or on a mailbox that is disabled or deleted — and their clean-up.
//
// Clean-up goes through PermissionWriter (read, compare with what the scan saw, delete, read
// back), so a grant that changed since the scan is left alone and reported, never overwritten.
// A grantee whose lookup failed during the scan is not "unknown": it is never reported stale.
import { CancelledError, WorkMailError, isCancellation } from './errors';
import type { ChangeRequest, ChangeResult, PermissionWriter } from './permissions';
import { normalizeRights } from './rights';
import type { GrantRecord, ScanRecord } from './scan';
import type { WorkMailSession } from './session';
import type { DirectoryEntity, Right } from './types';

export type StaleReason = 'grantee-unknown' | 'grantee-deleted' | 'grantee-disabled' | 'mailbox-deleted' | 'mailbox-disabled';

export const STALE_REASON_TEXT: Readonly<Record<StaleReason, string>> = {
  'grantee-unknown': 'the grantee is no longer in the directory',
  'grantee-deleted': 'the grantee is deleted',
  'grantee-disabled': 'the grantee is disabled',
  'mailbox-deleted': 'the mailbox is deleted',
  'mailbox-disabled': 'the mailbox is disabled',
};

export interface StaleGrant {
  readonly record: GrantRecord;
  readonly reasons: readonly StaleReason[];
}

export function staleReasons(record: GrantRecord): StaleReason[] {
  const reasons: StaleReason[] = [];
  if (!record.grantee) {
    if (!record.granteeLookupFailed) {
      reasons.push('grantee-unknown');
    }
  } else if (record.grantee.state === 'DELETED') {
    reasons.push('grantee-deleted');
  } else if (record.grantee.state === 'DISABLED') {
    reasons.push('grantee-disabled');
  }
  if (record.mailbox.state === 'DELETED') {
    reasons.push('mailbox-deleted');
  } else if (record.mailbox.state === 'DISABLED') {
    reasons.push('mailbox-disabled');
  }
  return reasons;
}

export function findStaleGrants(records: Iterable<ScanRecord>): StaleGrant[] {
  // One item per mailbox and grantee: should WorkMail list a grantee in two rows, the clean-up
  // must expect the union of both, which is what the writer reads, or it would refuse as changed.
  const byPair = new Map<string, StaleGrant>();
  for (const record of records) {
    if (record.type !== 'grant') {
      continue;
    }
    const reasons = staleReasons(record);
    if (reasons.length === 0) {
      continue;
    }
    const key = JSON.stringify([record.mailbox.id, record.granteeId]);
    const seen = byPair.get(key);
    byPair.set(key, seen ? { ...seen, record: { ...seen.record, rights: normalizeRights([...seen.record.rights, ...record.rights]) } } : { record, reasons });
  }
  return [...byPair.values()];
}

export interface CleanupResult {
  readonly item: StaleGrant;
  /**
   * cancelled: not attempted because the person cancelled before it was reached.
   * not-stale: checked again just before revoking, it no longer is (say, the grantee was enabled
   * again since the scan); left as it is.
   */
  readonly status: 'succeeded' | 'failed' | 'cancelled' | 'not-stale';
  /** The rights the grantee had before (as read just before the write, else as scanned): what an undo restores. */
  readonly before: readonly Right[];
  readonly result?: ChangeResult;
  /** For people: why it failed. */
  readonly reason?: string;
  readonly error?: WorkMailError;
}

export interface CleanupOptions {
  readonly signal?: AbortSignal;
  /**
   * Where each item's mailbox and grantee are looked up again right before it is revoked: the
   * scan may be minutes old, and a grantee enabled again since then is no longer stale.
   */
  readonly directory: Pick<WorkMailSession, 'describeEntity' | 'findEntity'>;
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Revokes each stale grant, one at a time (writes are few and each is verified). Never throws for
 * one item's failure; cancellation stops before the next item, never in the middle of a write.
 */
export async function cleanUpStaleGrants(
  writer: Pick<PermissionWriter, 'apply'>,
  items: readonly StaleGrant[],
  options: CleanupOptions,
): Promise<CleanupResult[]> {
  const results: CleanupResult[] = [];
  for (const item of items) {
    const scanned = normalizeRights(item.record.rights);
    if (options.signal?.aborted) {
      results.push({ item, status: 'cancelled', before: scanned });
      continue;
    }
    const request: ChangeRequest = {
      org: item.record.org,
      mailboxId: item.record.mailbox.id,
      mailboxKind: item.record.mailbox.kind,
      granteeId: item.record.granteeId,
      change: { kind: 'revoke' },
      expectedBefore: scanned,
      signal: options.signal,
    };
    try {
      const reasons = await currentStaleReasons(options.directory, item.record, options.signal);
      if (reasons.length === 0) {
        results.push({ item, status: 'not-stale', before: scanned, reason: 'no longer stale: the mailbox and the grantee are both enabled now' });
        options.onProgress?.(results.length, items.length);
        continue;
      }
      const result = await writer.apply(request);
      results.push({ item, status: 'succeeded', before: result.before, result });
    } catch (err) {
      if (isCancellation(err) || err instanceof CancelledError) {
        results.push({ item, status: 'cancelled', before: scanned });
      } else {
        const error = err instanceof WorkMailError ? err : new WorkMailError('UnexpectedError', String(err), { cause: err });
        results.push({ item, status: 'failed', before: scanned, reason: error.message, error });
      }
    }
    options.onProgress?.(results.length, items.length);
  }
  return results;
}

/**
 * Why the grant is stale now, from a fresh look-up of its mailbox and grantee ([] when it no
 * longer is). A look-up that fails throws: nothing is revoked on a guess.
 */
export async function currentStaleReasons(
  directory: Pick<WorkMailSession, 'describeEntity' | 'findEntity'>,
  record: GrantRecord,
  signal?: AbortSignal,
): Promise<StaleReason[]> {
  const mailbox = await directory.describeEntity(record.org, record.mailbox.id, record.mailbox.kind, signal);
  let grantee: DirectoryEntity | undefined;
  if (record.grantee) {
    grantee = await directory.describeEntity(record.org, record.granteeId, record.grantee.kind, signal);
  } else {
    // Unknown at scan time: it may have appeared since (the look-up tries a user, then a group).
    grantee = await directory.findEntity(record.org, record.granteeId, signal);
  }
  return staleReasons({
    ...record,
    // A mailbox that is gone altogether is as stale as a deleted one.
    mailbox: mailbox ?? { ...record.mailbox, state: 'DELETED' },
    grantee: grantee ?? null,
    granteeLookupFailed: false,
  });
}

/**
 * Puts back what a clean-up removed, for the items it did remove; each restore expects the grantee
 * to have nothing now, so a grant someone re-created in between is left as it is.
 */
export async function undoCleanup(writer: Pick<PermissionWriter, 'apply'>, results: readonly CleanupResult[], options: Omit<CleanupOptions, 'directory'> = {}): Promise<CleanupResult[]> {
  const undone: CleanupResult[] = [];
  for (const original of results) {
    if (original.status !== 'succeeded' || original.result?.noop || original.before.length === 0) {
      continue;
    }
    const { record } = original.item;
    if (options.signal?.aborted) {
      undone.push({ item: original.item, status: 'cancelled', before: [] });
      continue;
    }
    try {
      const result = await writer.apply({
        org: record.org,
        mailboxId: record.mailbox.id,
        mailboxKind: record.mailbox.kind,
        granteeId: record.granteeId,
        change: { kind: 'set', rights: original.before },
        expectedBefore: [],
        signal: options.signal,
      });
      undone.push({ item: original.item, status: 'succeeded', before: result.before, result });
    } catch (err) {
      if (isCancellation(err)) {
        undone.push({ item: original.item, status: 'cancelled', before: [] });
      } else {
        const error = err instanceof WorkMailError ? err : new WorkMailError('UnexpectedError', String(err), { cause: err });
        undone.push({ item: original.item, status: 'failed', before: [], reason: error.message, error });
      }
    }
  }
  return undone;
}
