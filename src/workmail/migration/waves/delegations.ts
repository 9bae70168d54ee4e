// What binds two mailboxes to move together, read from a snapshot. The nodes are the mailboxes to
// move: users and resources with an address, not deleted, not WorkMail system users. Each grant on
// such a mailbox links it to its grantee when the grantee is such a mailbox too; a group grantee
// links it to every member, nested groups followed (cycles are safe: each group once), from the
// snapshot's `members`. A group whose members could not be read is listed: its delegations are
// missing from the plan. Grants that bind no two mailboxes to move (rights on a group's address,
// grants to grantees that are unknown, deleted or system users) are counted by reason, not planned.
import type { Right } from '../../types';
import type { Snapshot, SnapshotEntity } from '../schema';
import { compareIds } from './order';

/** One grant, as it binds two mailboxes to move: on `mailboxId`, used by `delegateId`. */
export interface Delegation {
  readonly mailboxId: string;
  readonly delegateId: string;
  /** What the grant names: the delegate itself, or a group the delegate is (perhaps nested) in. */
  readonly granteeId: string;
  readonly rights: readonly Right[];
}

/** A group grantee whose members (or some nested group's) could not be read, with the grants through it. */
export interface UnreadableGroup {
  readonly group: SnapshotEntity;
  readonly grants: number;
}

/** Grants that bind no two mailboxes of the plan, for one reason. */
export interface NotPlanned {
  readonly reason: string;
  readonly grants: number;
}

export interface SnapshotDelegations {
  /** The mailboxes to move, in snapshot order. */
  readonly mailboxes: SnapshotEntity[];
  /** Every delegation between two of them. */
  readonly delegations: readonly Delegation[];
  readonly unreadableGroups: readonly UnreadableGroup[];
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
  const unreadableGrants = new Map<string, number>();
  const notPlanned = new Map<string, number>();
  const skip = (reason: string): void => {
    notPlanned.set(reason, (notPlanned.get(reason) ?? 0) + 1);
  };
  for (const grant of snapshot.grants) {
    const mailbox = byId.get(grant.mailboxId);
    if (!mailbox || !inPlan.has(mailbox.id)) {
      skip(mailbox?.kind === 'group' ? "rights on a group's address (recreate them with the group)" : 'rights on a mailbox that is not moved (deleted, system user, or no address)');
      continue;
    }
    const grantee = byId.get(grant.granteeId);
    if (!grantee) {
      skip('grants to grantees WorkMail does not know (deleted or never there)');
      continue;
    }
    if (grantee.kind === 'group') {
      const { members, unreadable } = expand(grantee.id);
      for (const group of unreadable) {
        unreadableGrants.set(group, (unreadableGrants.get(group) ?? 0) + 1);
      }
      const delegates = members.filter((id) => id !== mailbox.id && inPlan.has(id));
      if (delegates.length === 0 && unreadable.length === 0) {
        skip('grants to groups with no member mailbox to move');
      }
      for (const delegateId of delegates) {
        delegations.push({ mailboxId: mailbox.id, delegateId, granteeId: grantee.id, rights: grant.rights });
      }
      continue;
    }
    if (!inPlan.has(grantee.id)) {
      skip('grants to grantees that are not moved (deleted, system users, or no address)');
      continue;
    }
    if (grantee.id !== mailbox.id) {
      delegations.push({ mailboxId: mailbox.id, delegateId: grantee.id, granteeId: grantee.id, rights: grant.rights });
    }
  }
  return {
    mailboxes,
    delegations,
    unreadableGroups: [...unreadableGrants].map(([id, grants]) => ({ group: byId.get(id)!, grants })).sort((a, b) => compareIds(a.group.id, b.group.id)),
    notPlanned: [...notPlanned].map(([reason, grants]) => ({ reason, grants })).sort((a, b) => a.reason.localeCompare(b.reason)),
  };
}
