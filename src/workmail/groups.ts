// Group membership: direct members through ListGroupMembers (all pages), and the expansion of a
// group into everyone it reaches through nested groups. Membership graphs can contain cycles
// (A contains B contains A); every walk here keeps a visited set so it always ends.
import { createLimiter } from './concurrency';
import { CancelledError, WorkMailError, isCancellation } from './errors';
import { retryTransient, type RetryOptions } from './retry';
import type { GroupMember, WorkMailSession } from './session';
import type { DirectoryEntity, OrgRef } from './types';

export type { GroupMember } from './session';

/** Direct members of each group, by group ID. */
export type Membership = ReadonlyMap<string, readonly GroupMember[]>;

export interface ExpandedMember extends GroupMember {
  /**
   * Group IDs from the expanded group down to the group this member is directly in. A direct
   * member's path is just [the expanded group]. Where several paths lead to a member, the shortest.
   */
  readonly path: readonly string[];
}

export interface GroupExpansion {
  readonly groupId: string;
  readonly members: readonly ExpandedMember[];
  /** Memberships that lead back to a group already on the path (the walk does not follow them). */
  readonly cycles: ReadonlyArray<{ readonly group: string; readonly memberGroup: string }>;
  /** Groups whose members could not be read; their members are missing from `members`. */
  readonly failures: ReadonlyArray<{ readonly groupId: string; readonly error: WorkMailError }>;
}

export interface MembershipOptions {
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
  readonly retry?: RetryOptions;
  /** Groups read at once (default 4). */
  readonly concurrency?: number;
}

/** All direct members of one group, every page. */
export async function listAllGroupMembers(session: WorkMailSession, org: OrgRef, groupId: string, options: MembershipOptions = {}): Promise<GroupMember[]> {
  const members: GroupMember[] = [];
  let nextToken: string | undefined;
  do {
    const page = await retryTransient(
      () => session.listGroupMembersPage(org, groupId, { maxResults: options.pageSize ?? 100, nextToken }, options.signal),
      options.signal,
      options.retry,
    );
    members.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return members;
}

/**
 * Expands `groupId` breadth first, reading each group's members once. `loadMembers` defaults to
 * ListGroupMembers; the reverse lookup and the tests pass a loaded Membership instead.
 */
export async function expandGroup(
  session: WorkMailSession,
  org: OrgRef,
  groupId: string,
  options: MembershipOptions = {},
): Promise<GroupExpansion> {
  return expandWith(groupId, (id) => listAllGroupMembers(session, org, id, options), options.signal);
}

/** The same expansion over a membership already loaded; no calls. */
export function expandFromMembership(membership: Membership, groupId: string): GroupExpansion {
  const members: ExpandedMember[] = [];
  const cycles: Array<{ group: string; memberGroup: string }> = [];
  const visitedGroups = new Set<string>([groupId]);
  const seen = new Set<string>();
  let level: Array<{ id: string; path: string[] }> = [{ id: groupId, path: [groupId] }];
  while (level.length > 0) {
    const nextLevel: Array<{ id: string; path: string[] }> = [];
    for (const group of level) {
      for (const member of membership.get(group.id) ?? []) {
        visit(member, group, seen, visitedGroups, members, cycles, nextLevel);
      }
    }
    level = nextLevel;
  }
  return { groupId, members, cycles, failures: [] };
}

async function expandWith(groupId: string, loadMembers: (id: string) => Promise<readonly GroupMember[]>, signal: AbortSignal | undefined): Promise<GroupExpansion> {
  const members: ExpandedMember[] = [];
  const cycles: Array<{ group: string; memberGroup: string }> = [];
  const failures: Array<{ groupId: string; error: WorkMailError }> = [];
  const visitedGroups = new Set<string>([groupId]);
  const seen = new Set<string>();
  let level: Array<{ id: string; path: string[] }> = [{ id: groupId, path: [groupId] }];
  while (level.length > 0) {
    // One level at a time keeps paths shortest; the groups of a level are read together.
    const loaded = await Promise.all(
      level.map(async (group) => {
        try {
          return { group, members: await loadMembers(group.id) };
        } catch (err) {
          if (signal?.aborted || isCancellation(err)) {
            throw new CancelledError();
          }
          if (group.id === groupId) {
            throw err;
          }
          failures.push({ groupId: group.id, error: asWorkMailError(err) });
          return { group, members: [] as readonly GroupMember[] };
        }
      }),
    );
    const nextLevel: Array<{ id: string; path: string[] }> = [];
    for (const { group, members: direct } of loaded) {
      for (const member of direct) {
        visit(member, group, seen, visitedGroups, members, cycles, nextLevel);
      }
    }
    level = nextLevel;
  }
  return { groupId, members, cycles, failures };
}

function visit(
  member: GroupMember,
  parent: { id: string; path: string[] },
  seen: Set<string>,
  visitedGroups: Set<string>,
  members: ExpandedMember[],
  cycles: Array<{ group: string; memberGroup: string }>,
  nextLevel: Array<{ id: string; path: string[] }>,
): void {
  if (member.kind === 'group' && parent.path.includes(member.id)) {
    cycles.push({ group: parent.id, memberGroup: member.id });
    return;
  }
  if (seen.has(member.id) || (member.kind === 'group' && visitedGroups.has(member.id))) {
    return;
  }
  seen.add(member.id);
  members.push({ ...member, path: parent.path });
  if (member.kind === 'group') {
    visitedGroups.add(member.id);
    nextLevel.push({ id: member.id, path: [...parent.path, member.id] });
  }
}

export interface LoadedMembership {
  readonly membership: Membership;
  /** Groups whose members could not be read (not deleted ones: those simply have none). */
  readonly failures: ReadonlyArray<{ readonly group: DirectoryEntity; readonly error: WorkMailError }>;
}

/**
 * Direct members of every given group, a few groups at a time. A deleted group reaches no one, so
 * it is given no members instead of being asked (WorkMail refuses to list a deleted group).
 */
export async function loadMembership(
  session: WorkMailSession,
  org: OrgRef,
  groups: readonly DirectoryEntity[],
  options: MembershipOptions = {},
): Promise<LoadedMembership> {
  const limit = createLimiter(Math.max(1, options.concurrency ?? 4));
  const membership = new Map<string, readonly GroupMember[]>();
  const failures: Array<{ group: DirectoryEntity; error: WorkMailError }> = [];
  await Promise.all(
    groups.map((group) =>
      limit(async () => {
        if (options.signal?.aborted) {
          throw new CancelledError();
        }
        if (group.state === 'DELETED') {
          membership.set(group.id, []);
          return;
        }
        try {
          membership.set(group.id, await listAllGroupMembers(session, org, group.id, options));
        } catch (err) {
          if (options.signal?.aborted || isCancellation(err)) {
            throw new CancelledError();
          }
          failures.push({ group, error: asWorkMailError(err) });
        }
      }),
    ),
  );
  return { membership, failures };
}

function asWorkMailError(err: unknown): WorkMailError {
  return err instanceof WorkMailError ? err : new WorkMailError('UnexpectedError', `Could not read group members: ${String(err)}`, { cause: err });
}
