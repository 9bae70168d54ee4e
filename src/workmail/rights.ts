// Plain-language names for mailbox rights and the set arithmetic the write path relies on.
// Rights are compared as sets: the API returns them in no promised order.
import { ALL_RIGHTS, type EntityKind, type MailboxRight, type Right } from './types';

export type PermissionChange =
  /** Adds to whatever the grantee has now. */
  | { kind: 'grant'; add: readonly Right[] }
  /** Exactly these rights; [] revokes (a Delete, never an empty Put). */
  | { kind: 'set'; rights: readonly Right[] }
  | { kind: 'revoke' };

export const RIGHT_LABELS: Readonly<Record<Right, string>> = {
  FULL_ACCESS: 'Full access',
  SEND_AS: 'Send as',
  SEND_ON_BEHALF: 'Send on behalf',
  BOOKING_DELEGATE: 'Booking delegate',
};

export const RIGHT_DESCRIPTIONS: Readonly<Record<Right, string>> = {
  FULL_ACCESS: 'Open and read the whole mailbox, regardless of folder permissions',
  SEND_AS: 'Send mail that appears to come from the mailbox owner; the sender is not shown',
  SEND_ON_BEHALF: 'Send mail on behalf of the mailbox owner; recipients see both names',
  BOOKING_DELEGATE: 'Receive the booking requests of the room or equipment, decide them, and open its calendar',
};

function canonicalIndex(right: string): number {
  const index = ALL_RIGHTS.indexOf(right as MailboxRight);
  return index === -1 ? ALL_RIGHTS.length : index;
}

/**
 * Deduplicated and in canonical order. A value this version does not know is kept (after the
 * known ones) rather than dropped, so a read-merge-write never silently removes it.
 */
export function normalizeRights(rights: Iterable<Right>): Right[] {
  return [...new Set(rights)].sort((a, b) => canonicalIndex(a) - canonicalIndex(b) || a.localeCompare(b));
}

export function unionRights(a: Iterable<Right>, b: Iterable<Right>): Right[] {
  return normalizeRights([...a, ...b]);
}

export function sameRights(a: Iterable<Right>, b: Iterable<Right>): boolean {
  const left = normalizeRights(a);
  const right = normalizeRights(b);
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

export function rightsDiff(before: Iterable<Right>, after: Iterable<Right>): { added: Right[]; removed: Right[] } {
  const beforeSet = new Set(before);
  const afterSet = new Set(after);
  return {
    added: normalizeRights([...afterSet].filter((right) => !beforeSet.has(right))),
    removed: normalizeRights([...beforeSet].filter((right) => !afterSet.has(right))),
  };
}

export function rightsLabel(rights: Iterable<Right>): string {
  const normalized = normalizeRights(rights);
  if (normalized.length === 0) {
    return 'No rights';
  }
  return normalized.map((right) => RIGHT_LABELS[right] ?? right).join(' · ');
}

/** Groups have no mailbox to open, so only the sending rights make sense on a group's address. */
export function rightsAllowedOn(mailboxKind: EntityKind): Right[] {
  return mailboxKind === 'group' ? ALL_RIGHTS.filter((right) => right !== 'FULL_ACCESS') : [...ALL_RIGHTS];
}

/** What the grantee ends with if `change` is applied on top of `current`. */
export function rightsAfter(change: PermissionChange, current: readonly Right[]): Right[] {
  switch (change.kind) {
    case 'grant':
      return unionRights(current, change.add);
    case 'set':
      return normalizeRights(change.rights);
    case 'revoke':
      return [];
  }
}

/**
 * Three-way merge: what the person changed relative to what they saw (`seen`), applied to what
 * WorkMail holds now (`current`). A right someone else added or removed meanwhile stays as they left it.
 */
export function mergeOwnChange(change: PermissionChange, seen: readonly Right[], current: readonly Right[]): Right[] {
  const { added, removed } = rightsDiff(seen, rightsAfter(change, seen));
  return normalizeRights(unionRights(current, added).filter((right) => !removed.includes(right)));
}

