// Opaque, tamper-proof continuation tokens. A token carries the last key returned, not an offset,
// so a walk stays exactly-once over a stable order even when items before the cursor change.
import crypto from 'node:crypto';

/** Used when a List call omits MaxResults (the real default is undocumented). */
export const DEFAULT_PAGE_SIZE = 100;

/** What a token is valid for: the same operation, the same org/mailbox/group, the same filters. */
export interface TokenScope {
  readonly operation: string;
  /** The org id (plus mailbox or group id where relevant), or account/region for ListOrganizations. */
  readonly scope: string;
  /** Filters as received; hashed into the token. */
  readonly filters?: unknown;
}

export class InvalidTokenError extends Error {}

interface TokenPayload {
  readonly v: 1;
  readonly o: string;
  readonly s: string;
  readonly f: string;
  readonly k: string;
}

function filterFingerprint(filters: unknown): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(filters ?? null))
    .digest('base64url')
    .slice(0, 16);
}

export class PageTokenCodec {
  // A per-process key: tokens need only survive as long as the emulator does.
  private readonly key = crypto.randomBytes(32);

  encode(scope: TokenScope, lastKey: string): string {
    const payload: TokenPayload = { v: 1, o: scope.operation, s: scope.scope, f: filterFingerprint(scope.filters), k: lastKey };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The last key of the previous page; throws InvalidTokenError for anything not minted for this scope. */
  decode(token: string, scope: TokenScope): string {
    const dot = token.indexOf('.');
    if (dot <= 0) throw new InvalidTokenError('The NextToken is malformed.');
    const body = token.slice(0, dot);
    const mac = Buffer.from(token.slice(dot + 1), 'utf8');
    const expected = Buffer.from(this.mac(body), 'utf8');
    if (mac.length !== expected.length || !crypto.timingSafeEqual(mac, expected)) {
      throw new InvalidTokenError('The NextToken is invalid or has been modified.');
    }
    let payload: TokenPayload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
    } catch {
      throw new InvalidTokenError('The NextToken is malformed.');
    }
    if (payload.o !== scope.operation || payload.s !== scope.scope) {
      throw new InvalidTokenError('The NextToken was issued for a different request.');
    }
    if (payload.f !== filterFingerprint(scope.filters)) {
      throw new InvalidTokenError('The NextToken was issued for different filters.');
    }
    return payload.k;
  }

  private mac(body: string): string {
    return crypto.createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

export interface PageResult<T> {
  readonly items: T[];
  /** Key of the last item returned, when more items follow. */
  readonly lastKey?: string;
}

/**
 * One page of `sorted` (ascending by `keyOf`) after `afterKey`. Binary search keeps paging
 * a 10,000-entry directory cheap.
 */
export function pageAfter<T>(sorted: readonly T[], keyOf: (item: T) => string, afterKey: string | undefined, pageSize: number): PageResult<T> {
  let start = 0;
  if (afterKey !== undefined) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(keyOf(sorted[mid]!), afterKey) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const items = sorted.slice(start, start + pageSize);
  const more = start + pageSize < sorted.length;
  return more ? { items, lastKey: keyOf(items[items.length - 1]!) } : { items };
}

/** Plain code-unit order: stable and locale-independent. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
