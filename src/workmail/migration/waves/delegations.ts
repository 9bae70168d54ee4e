// What binds two mailboxes to move together, read from a snapshot. The nodes are the mailboxes to
// move: users and resources with an address, not deleted, not WorkMail system users. Each grant on
// such a mailbox links it to its grantee when the grantee is such a mailbox too; a group grantee
// links it to every member, nested groups followed (cycles are safe: each group once), from the
// snapshot's `members`. A group whose members could not be read is listed: its delegations are
// missing from the plan. Grants that bind no two mailboxes to move (rights on a group's address,
// grants to grantees that are unknown, deleted or system users) are counted by reason, not planned.
//
// A booking delegate of a room or equipment (the snapshot's routes.resources[].delegates) binds the
// resource to the delegate the same way: the delegate answers its booking requests, and a room on
// one system with its delegates on the other accepts nothing or everything. Group delegates are
// expanded like group grantees. A resource whose delegates could not be read is listed, and a
// snapshot that did not record them (version 1) says so: those delegations are missing, not none.
import type { Right } from '../../types';
import { recordedRoutes } from '../snapshotRoutes';
import type { Snapshot, SnapshotEntity } from '../schema';
import { compareIds } from './order';

/** What makes the link: a mailbox permission, or a booking delegation of a room or equipment. */
export type DelegationRoute = 'permission' | 'bookingDelegate';

/** One grant or booking delegation, as it binds two mailboxes to move: on `mailboxId`, used by `delegateId`. */
export interface Delegation {
  readonly route: DelegationRoute;
  readonly mailboxId: string;
  readonly delegateId: string;
  /** What the grant or delegation names: the delegate itself, or a group the delegate is (perhaps nested) in. */
  readonly granteeId: string;
  /** The grant's rights; a booking delegation has none of the three (it answers the resource's requests). */
  readonly rights: readonly Right[];
}

/** A group grantee or delegate whose members (or some nested group's) could not be read, with what goes through it. */
export interface UnreadableGroup {
  readonly group: SnapshotEntity;
  readonly grants: number;
  readonly bookingDelegations: number;
}

/** A resource of the plan whose booking delegates could not be read: its delegations are missing. */
export interface UnreadableDelegates {
  readonly resource: SnapshotEntity;
  readonly reason: string;
}

/** Grants (or booking delegations, as the reason says) that bind no two mailboxes of the plan, for one reason. */
export interface NotPlanned {
  readonly reason: string;
  /** How many grants, or booking delegations when the reason is about those. */
  readonly grants: number;
}

export interface SnapshotDelegations {
  /** The mailboxes to move, in snapshot order. */
  readonly mailboxes: SnapshotEntity[];
  /** Every delegation between two of them. */
  readonly delegations: readonly Delegation[];
  readonly unreadableGroups: readonly UnreadableGroup[];
  /** Resources of the plan whose booking delegates could not be read. */
  readonly unreadableDelegates: readonly UnreadableDelegates[];
  /** Why no booking delegate is in the plan at all (a snapshot that did not record them); absent when they were read. */
  readonly bookingDelegatesNotRecorded?: string;
  readonly notPlanned: readonly NotPlanned[];
}

/** A mailbox the plan moves: a user or resource with an address, not deleted, not a system user. */
export function isWaveMailbox(entity: SnapshotEntity): boolean {
  return entity.kind !== 'group' && !!entity.email && entity.state !== 'DELETED' && entity.userRole !== 'SYSTEM_USER';
}

interface GroupReach {
  /** Every entity that is not a group, reached through the group and its nested groups; sorted. */
  readonly members: string[];
  /** The groups met on the way whose members could not be read. */
  readonly unreadable: string[];
}

/** Expands groups breadth first, each nested group once, remembering every group already expanded. */
function groupExpander(byId: ReadonlyMap<string, SnapshotEntity>): (groupId: string) => GroupReach {
  const expansions = new Map<string, GroupReach>();
  return (groupId) => {
    const known = expansions.get(groupId);
    if (known) {
      return known;
    }
    const members = new Set<string>();
    const unreadable: string[] = [];
    const visited = new Set<string>([groupId]);
    const queue = [groupId];
    while (queue.length > 0) {
      const group = byId.get(queue.shift()!);
      if (!group) {
        continue;
      }
      if (group.membersUnreadable !== undefined) {
        unreadable.push(group.id);
      }
      for (const member of group.members ?? []) {
        const entity = byId.get(member);
        if (entity?.kind === 'group') {
          if (!visited.has(member)) {
            visited.add(member);
            queue.push(member);
          }
        } else {
          members.add(member);
        }
      }
    }
    const result = { members: [...members].sort(compareIds), unreadable };
    expansions.set(groupId, result);
    return result;
  };
}

/** The delegations between mailboxes of the plan, and what was left out and why. */
export function delegationsOf(snapshot: Snapshot): SnapshotDelegations {
  const byId = new Map(snapshot.entities.map((entity) => [entity.id, entity]));
  const mailboxes = snapshot.entities.filter(isWaveMailbox);
  const inPlan = new Set(mailboxes.map((m) => m.id));
  const expand = groupExpander(byId);

  const delegations: Delegation[] = [];
  const unreadableThrough = new Map<string, { grants: number; bookingDelegations: number }>();
  const notPlanned = new Map<string, number>();
  const skip = (reason: string, count = 1): void => {
    notPlanned.set(reason, (notPlanned.get(reason) ?? 0) + count);
  };
  /**
   * Links `mailbox` to the principal a grant or delegation names (a user or resource, or a group
   * expanded); answers why nothing was linked, or undefined when something was (or a group could
   * not be read, which is listed on its own).
   */
  const link = (route: DelegationRoute, mailbox: SnapshotEntity, principalId: string, rights: readonly Right[]): 'unknown' | 'notMoved' | 'emptyGroup' | undefined => {
    const principal = byId.get(principalId);
    if (!principal) {
      return 'unknown';
    }
    if (principal.kind === 'group') {
      const { members, unreadable } = expand(principal.id);
      for (const group of unreadable) {
        const counts = unreadableThrough.get(group) ?? { grants: 0, bookingDelegations: 0 };
        unreadableThrough.set(group, route === 'permission' ? { ...counts, grants: counts.grants + 1 } : { ...counts, bookingDelegations: counts.bookingDelegations + 1 });
      }
      const delegates = members.filter((id) => id !== mailbox.id && inPlan.has(id));
      for (const delegateId of delegates) {
        delegations.push({ route, mailboxId: mailbox.id, delegateId, granteeId: principal.id, rights });
      }
      return delegates.length === 0 && unreadable.length === 0 ? 'emptyGroup' : undefined;
    }
    if (!inPlan.has(principal.id)) {
      return 'notMoved';
    }
    if (principal.id !== mailbox.id) {
      delegations.push({ route, mailboxId: mailbox.id, delegateId: principal.id, granteeId: principal.id, rights });
    }
    return undefined;
  };

  const GRANT_SKIPS = {
    unknown: 'grants to grantees WorkMail does not know (deleted or never there)',
    notMoved: 'grants to grantees that are not moved (deleted, system users, or no address)',
    emptyGroup: 'grants to groups with no member mailbox to move',
  } as const;
  for (const grant of snapshot.grants) {
    const mailbox = byId.get(grant.mailboxId);
    if (!mailbox || !inPlan.has(mailbox.id)) {
      skip(mailbox?.kind === 'group' ? "rights on a group's address (recreate them with the group)" : 'rights on a mailbox that is not moved (deleted, system user, or no address)');
      continue;
    }
    const why = link('permission', mailbox, grant.granteeId, grant.rights);
    if (why) {
      skip(GRANT_SKIPS[why]);
    }
  }

  const DELEGATE_SKIPS = {
    unknown: 'booking delegates WorkMail does not know (deleted or never there)',
    notMoved: 'booking delegates that are not moved (deleted, system users, or no address)',
    emptyGroup: 'booking delegates that are groups with no member mailbox to move',
  } as const;
  const routes = recordedRoutes(snapshot);
  const unreadableDelegates: UnreadableDelegates[] = [];
  for (const resourceRoutes of routes.recorded ? routes.routes.resources : []) {
    const resource = byId.get(resourceRoutes.resourceId);
    if (!resource || !inPlan.has(resource.id)) {
      if (resourceRoutes.delegates?.length) {
        skip('booking delegates of a resource that is not moved (deleted, or no address)', resourceRoutes.delegates.length);
      }
      continue;
    }
    if (!resourceRoutes.delegates) {
      unreadableDelegates.push({ resource, reason: resourceRoutes.delegatesUnreadable ?? 'not read' });
      continue;
    }
    for (const delegate of resourceRoutes.delegates) {
      const why = link('bookingDelegate', resource, delegate.id, []);
      if (why) {
        skip(DELEGATE_SKIPS[why]);
      }
    }
  }
  return {
    mailboxes,
    delegations,
    unreadableGroups: [...unreadableThrough]
      .map(([id, counts]) => ({ group: byId.get(id)!, ...counts }))
      .sort((a, b) => compareIds(a.group.id, b.group.id)),
    unreadableDelegates: unreadableDelegates.sort((a, b) => compareIds(a.resource.id, b.resource.id)),
    ...(routes.recorded ? {} : { bookingDelegatesNotRecorded: routes.why }),
    notPlanned: [...notPlanned].map(([reason, grants]) => ({ reason, grants })).sort((a, b) => a.reason.localeCompare(b.reason)),
  };
}
