// Reading a list's first page before the person opens it, so opening it shows rows without a
// wait for WorkMail: which list is read ahead, and how long a page read ahead may be shown. The
// list (PaginatedNode) holds one ReadAhead while such a page is unseen; these are its rules.

/**
 * How long a first page read ahead may wait for the person to open the list. Opened later than
 * that, the list is read again: what it shows should be what WorkMail lists now, not what it
 * listed when the organization was opened.
 */
export const PREFETCH_FRESH_MS = 60_000;

/** One first page read ahead and not given to VS Code yet. A failed one is simply forgotten. */
export class ReadAhead {
  private usableUntil: number | undefined;

  constructor(private readonly usableForMs: number) {}

  /** The page is in: the freshness window starts now. */
  arrived(now = Date.now()): void {
    this.usableUntil = now + this.usableForMs;
  }

  /** In, and not too old to show. */
  usable(now = Date.now()): boolean {
    return this.usableUntil !== undefined && now <= this.usableUntil;
  }

  /** In, never shown, and too old now: read it again before showing it. */
  stale(now = Date.now()): boolean {
    return this.usableUntil !== undefined && now > this.usableUntil;
  }
}

interface ReadableList {
  readonly entityKind: string;
  readonly filter: unknown;
}

/**
 * The list of an organization worth reading when the person opens the organization: Users, which
 * is what is opened next nearly every time. A filtered list is what the person asked for last
 * time, not what they will open next, so it is left alone.
 */
export function listToReadAhead<L extends ReadableList>(lists: readonly L[]): L | undefined {
  const users = lists.find((list) => list.entityKind === 'user');
  return users && !users.filter ? users : undefined;
}
