// What a person calls a user, group or resource, the same in the tree, the commands' messages and
// the command-line tool: the display name, else the name, else the address, else the ID. An
// empty display name (WorkMail allows "") counts as none.
import type { DirectoryEntity } from './types';

export function entityName(entity: Pick<DirectoryEntity, 'id' | 'displayName' | 'name' | 'email'>): string {
  return entity.displayName || entity.name || entity.email || entity.id;
}

// Lists people read (the tree, pickers) go by the name they see, as a person would sort it:
// case and accents aside, "User 2" before "User 10". Exports keep the byte-stable order of
// scanOrder.ts instead, so a file is identical on every machine. Not made at load: building a
// collator loads the locale's collation data, which was a third of the extension's activation; it
// is made by prepareNameOrder (the tree, once the organizations are shown) or on first use.
let collator: Intl.Collator | undefined;

function nameCollator(): Intl.Collator {
  collator ??= new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return collator;
}

/**
 * Makes the collator now, at a moment nothing waits for it (the tree calls it once the
 * organizations are shown), so the first list a person opens is not held up making it (~8 ms).
 */
export function prepareNameOrder(): void {
  nameCollator();
}

/** Orders two names for display; ties are left to the caller. */
export function compareNames(a: string, b: string): number {
  return nameCollator().compare(a, b);
}

/**
 * Entities in the order a person reads them: by the name shown, then by address, then by ID, so
 * the order is total and does not depend on the order WorkMail listed them in.
 */
export function compareByName(
  a: Pick<DirectoryEntity, 'id' | 'displayName' | 'name' | 'email'>,
  b: Pick<DirectoryEntity, 'id' | 'displayName' | 'name' | 'email'>,
): number {
  return compareNames(entityName(a), entityName(b)) || compareNames(a.email ?? '', b.email ?? '') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
