// Stale grants: rights that no longer serve anyone — held by a grantee that is disabled, deleted
// or unknown to the directory, or on a mailbox that is disabled or deleted. This module only finds
// them (in a scan, and again just before a revoke); the clean-up itself goes through the batch
// write pipeline of every permission command (src/commands/permissions/apply.ts).
// A grantee whose lookup failed during the scan is not "unknown": it is never reported stale.
import { normalizeRights } from './rights';
import type { GrantRecord, ScanRecord } from './scan/records';
import type { WorkMailSession } from './session';
import type { DirectoryEntity } from './types';

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
