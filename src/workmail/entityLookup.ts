// What a person typed, or a change file or a command argument names, as one directory entity: an
// ID, an email address, a user name, or a display name (a group's or resource's name is what people
// see, so it is its display name). The product names people by display name in plans, reports and
// the tree, so a file written from its own output must resolve; a display name that several
// entities share is refused with their addresses, never guessed.
import type { WorkMailSession } from './session';
import type { DirectoryEntity, EntityKind, OrgRef } from './types';
import { validateIdentifier } from './validation';

export type EntityLookup =
  | { readonly outcome: 'found'; readonly entity: DirectoryEntity }
  | { readonly outcome: 'none' }
  /** What was typed cannot name one entity; `reason` says what to give instead. */
  | { readonly outcome: 'refused'; readonly reason: string };

type LookupSession = Pick<WorkMailSession, 'findEntity' | 'listEntitiesPage'>;

/** Whole lists of a kind read for matching, kept by one plan so many names cost one listing. */
export type WholeLists = Map<string, Promise<DirectoryEntity[]>>;

const LIST_PAGE = 100;

/**
 * Resolves `typed` among entities of `kinds`: an email address (through DescribeEntity), an ID or
 * user name (DescribeUser / DescribeGroup / DescribeResource), and otherwise a display name, found
 * with one prefix-filtered list call per kind and matched whole, in any case. Whether WorkMail's
 * prefix filters ignore case is not documented (emulator variant list-filter-case): when the
 * filtered list has no match, the kind is listed whole and matched here. A failed call throws.
 */
export async function lookUpEntity(
  session: LookupSession,
  org: OrgRef,
  typed: string,
  kinds: readonly EntityKind[],
  signal?: AbortSignal,
  wholeLists: WholeLists = new Map(),
): Promise<EntityLookup> {
  const wanted = typed.trim();
  if (wanted === '') {
    return { outcome: 'refused', reason: 'nothing given: give a display name, an email address, a user or group name, or an ID' };
  }
  // Longer than any identifier or display name WorkMail takes (the model's 1..256): no call.
  const tooLong = wanted.length > 256 ? validateIdentifier('EntityIdentifier', wanted) : undefined;
  if (tooLong) {
    return { outcome: 'refused', reason: tooLong };
  }
  if (wanted.includes('@')) {
    if (validateIdentifier('Email', wanted) !== undefined) {
      return { outcome: 'refused', reason: `"${wanted}" is not valid as an email address (one looks like name@example.com): give the address exactly, or a display name or ID` };
    }
    const entity = await session.findEntity(org, wanted, signal, kinds);
    return entity ? { outcome: 'found', entity } : { outcome: 'none' };
  }
  if (validateIdentifier('EntityIdentifier', wanted) === undefined) {
    const entity = await session.findEntity(org, wanted, signal, kinds);
    if (entity) {
      return { outcome: 'found', entity };
    }
  }
  const matches = await byDisplayName(session, org, wanted, kinds, signal, wholeLists);
  // A deleted entity keeps its name for a while; a live one of the same name is the one meant.
  const live = matches.filter((entity) => entity.state !== 'DELETED');
  const candidates = live.length > 0 ? live : matches;
  if (candidates.length === 0) {
    return { outcome: 'none' };
  }
  if (candidates.length === 1) {
    return { outcome: 'found', entity: candidates[0]! };
  }
  return { outcome: 'refused', reason: ambiguity(wanted, candidates) };
}

/** `"Carol Nguyen" names 2 entities: carol@… (user), carol.n@… (user); give the email address or ID`. */
function ambiguity(wanted: string, candidates: readonly DirectoryEntity[]): string {
  const described = candidates.map((entity) => `${entity.email ?? entity.id} (${entity.kind}${entity.state && entity.state !== 'ENABLED' ? `, ${entity.state.toLowerCase()}` : ''})`);
  return `"${wanted}" names ${candidates.length} entities: ${described.join(', ')}; give the email address or ID of the one you mean`;
}

async function byDisplayName(session: LookupSession, org: OrgRef, wanted: string, kinds: readonly EntityKind[], signal: AbortSignal | undefined, wholeLists: WholeLists): Promise<DirectoryEntity[]> {
  const lower = wanted.toLowerCase();
  const isMatch = (entity: DirectoryEntity): boolean => (entity.kind === 'user' ? entity.displayName : entity.name)?.toLowerCase() === lower;
  const found: DirectoryEntity[] = [];
  for (const kind of kinds) {
    const field = kind === 'user' ? 'displayName' : 'name';
    let matches = (await listAll(session, org, kind, { field, prefix: wanted }, signal)).filter(isMatch);
    if (matches.length === 0) {
      // A case-sensitive filter misses "carol nguyen" for "Carol Nguyen": match the whole list here.
      const key = `${org.region}\u0000${org.organizationId}\u0000${kind}`;
      let whole = wholeLists.get(key);
      if (!whole) {
        whole = listAll(session, org, kind, undefined, signal);
        wholeLists.set(key, whole);
        // A failed listing is not kept: the next name tries again.
        whole.catch(() => wholeLists.delete(key));
      }
      matches = (await whole).filter(isMatch);
    }
    found.push(...matches);
  }
  return found;
}

async function listAll(
  session: LookupSession,
  org: OrgRef,
  kind: EntityKind,
  filter: { readonly field: 'name' | 'displayName'; readonly prefix: string } | undefined,
  signal?: AbortSignal,
): Promise<DirectoryEntity[]> {
  const all: DirectoryEntity[] = [];
  let nextToken: string | undefined;
  do {
    const page = await session.listEntitiesPage(org, kind, { maxResults: LIST_PAGE, nextToken, filter }, signal);
    all.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}
