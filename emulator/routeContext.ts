// What the modules of the other routes into a mailbox (booking.ts, impersonation.ts,
// accessRules.ts) see of the store that owns them: one organization's directory as WorkMail's
// calls see it, its pager, its clock and the variants. They never import store.ts.
import type { TokenScope } from './pagination';
import type { Variants } from './variants';

export type Params = Record<string, unknown>;

export interface DirectoryEntity {
  readonly kind: 'user' | 'group' | 'resource';
  readonly id: string;
  readonly name: string;
  readonly state: string;
  /** Groups: IDs of member users and groups. */
  readonly members?: readonly string[];
}

export interface RouteContext {
  readonly orgId: string;
  /** By ID, then email, then name (names and emails ignore case), as WorkMail's calls see the directory. */
  resolve(identifier: string): DirectoryEntity | undefined;
  /** The entity with exactly this ID, as WorkMail's calls see it. */
  entity(id: string): DirectoryEntity | undefined;
  /** One page after the request's NextToken; `pageSize` when the operation caps the request's MaxResults. */
  page<T>(params: Params, scope: TokenScope, sorted: readonly T[], keyOf: (item: T) => string, pageSize?: number): { items: T[]; nextToken?: string };
  now(): number;
  variants(): Variants;
}

/** Drops undefined members, so responses carry only what is set. */
export function compactRecord<T extends Record<string, unknown>>(record: T): T {
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record;
}

/** AWS JSON timestamps are epoch seconds. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
