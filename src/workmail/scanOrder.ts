// The one order every report uses: mailboxes by email, then name, then ID; grantees the same way.
// Comparison is by code unit, not locale, so an export is byte-identical on every machine.
import type { DirectoryEntity } from './types';

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareMailboxes(a: DirectoryEntity, b: DirectoryEntity): number {
  return compareEntities(a, a.id, b, b.id);
}

/** Entities unknown to the directory (null) sort after known ones, by ID. */
export function compareEntities(a: DirectoryEntity | null, aId: string, b: DirectoryEntity | null, bId: string): number {
  if (!a || !b) {
    return a ? -1 : b ? 1 : compareText(aId, bId);
  }
  return (
    compareText((a.email ?? '').toLowerCase(), (b.email ?? '').toLowerCase()) ||
    compareText((a.name ?? '').toLowerCase(), (b.name ?? '').toLowerCase()) ||
    compareText(aId, bId)
  );
}
