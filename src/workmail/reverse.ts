// "What can this person open?": every mailbox a user or group holds rights on, directly or through
// any group it belongs to, however deeply nested, with the chain of groups that gives it; the
// rooms and equipment it is a booking delegate of, the same way; and the applications whose
// impersonation role may act as it (and so reach everything it can open).
//
// Built once per scan: grants indexed by grantee, delegations by delegate, and membership reversed
// (member -> groups it is directly in), each fact stored once, so building is linear in what the
// scan read and each question is a walk up from one entity, not a pass over every grant, resource
// or group. No closure is precomputed: at 10,000 users that would be quadratic.
// Groups of any state are followed except deleted ones, which reach no one (loadMembership gives
// them no members). Disabled groups are followed: an audit should rather show too much.
import type { Membership } from './groups';
import type { BookingDelegate } from './routes/booking';
import { impersonationEffect, type ImpersonationRole } from './routes/impersonation';
import { normalizeRights } from './rights';
import { compareMailboxes, compareText } from './scanOrder';
import type { GrantRecord, ScanRecord } from './scan/records';
import type { DirectoryEntity, Right } from './types';

export interface ViaGroup {
  readonly id: string;
  readonly name?: string;
}

export interface AccessEntry {
  readonly mailbox: DirectoryEntity;
  readonly rights: readonly Right[];
  /** Who the grant is to: the entity itself, or a group it belongs to. */
  readonly granteeId: string;
  readonly grantee: DirectoryEntity | null;
  /**
   * The groups through which the access flows, from the group holding the grant down to the group
   * the entity is directly in. Empty for a direct grant.
   */
  readonly via: readonly ViaGroup[];
  readonly record: GrantRecord;
}

/** The other routes the index carries: booking delegates by resource, and the impersonation roles. */
export interface IndexRoutes {
  readonly delegates: ReadonlyMap<string, readonly BookingDelegate[]>;
  readonly roles: readonly ImpersonationRole[];
}

export interface BookingDelegation {
  readonly resourceId: string;
  readonly resource: DirectoryEntity | undefined;
  /** The groups the delegation flows through, from the delegate group down; empty when direct. */
  readonly via: readonly ViaGroup[];
}

/** How many facts the index holds: each one once, whatever the nesting (see the top of the file). */
export interface IndexSize {
  readonly grants: number;
  readonly memberships: number;
  readonly delegations: number;
  readonly roles: number;
}

export class AccessIndex {
  private readonly grantsByGrantee = new Map<string, GrantRecord[]>();
  private readonly parentsOf = new Map<string, string[]>();
  private readonly groupNames = new Map<string, string | undefined>();
  private readonly resourcesByDelegate = new Map<string, string[]>();
  private readonly roles: readonly ImpersonationRole[];
  private readonly directory: ReadonlyMap<string, DirectoryEntity> | undefined;

  /** Without `routes`, it answers no booking delegation and no application. */
  constructor(records: Iterable<ScanRecord>, membership: Membership, directory?: ReadonlyMap<string, DirectoryEntity>, routes?: IndexRoutes) {
    this.directory = directory;
    this.roles = routes?.roles ?? [];
    for (const [resourceId, delegates] of routes?.delegates ?? []) {
      for (const delegate of delegates) {
        let resources = this.resourcesByDelegate.get(delegate.id);
        if (!resources) {
          this.resourcesByDelegate.set(delegate.id, (resources = []));
        }
        resources.push(resourceId);
      }
    }
    for (const record of records) {
      if (record.type !== 'grant') {
        continue;
      }
      let list = this.grantsByGrantee.get(record.granteeId);
      if (!list) {
        this.grantsByGrantee.set(record.granteeId, (list = []));
      }
      list.push(record);
    }
    for (const [groupId, members] of membership) {
      const listedName = directory?.get(groupId)?.name;
      if (listedName) {
        this.groupNames.set(groupId, listedName);
      }
      for (const member of members) {
        let parents = this.parentsOf.get(member.id);
        if (!parents) {
          this.parentsOf.set(member.id, (parents = []));
        }
        parents.push(groupId);
        if (member.kind === 'group' && member.name && !directory?.get(member.id)?.name) {
          this.groupNames.set(member.id, member.name);
        }
      }
    }
  }

  /** The groups an entity belongs to, directly or through nesting, each with its shortest chain. */
  groupsOf(entityId: string): Array<{ groupId: string; via: ViaGroup[] }> {
    const result: Array<{ groupId: string; via: ViaGroup[] }> = [];
    // chain: from this group down to the group the entity is directly in.
    const visited = new Set<string>([entityId]);
    let level: Array<{ id: string; chain: ViaGroup[] }> = [{ id: entityId, chain: [] }];
    while (level.length > 0) {
      const nextLevel: Array<{ id: string; chain: ViaGroup[] }> = [];
      for (const { id, chain } of level) {
        for (const parent of this.parentsOf.get(id) ?? []) {
          if (visited.has(parent)) {
            continue;
          }
          visited.add(parent);
          const parentChain = [{ id: parent, name: this.groupNames.get(parent) }, ...chain];
          result.push({ groupId: parent, via: parentChain });
          nextLevel.push({ id: parent, chain: parentChain });
        }
      }
      level = nextLevel;
    }
    return result;
  }

  /** The entity itself, then every group it is in, nearest first: who a grant or delegation may name. */
  private principalsOf(entityId: string): Array<{ id: string; via: ViaGroup[] }> {
    return [{ id: entityId, via: [] }, ...this.groupsOf(entityId).map((g) => ({ id: g.groupId, via: g.via }))];
  }

  /** One entry per mailbox and granting principal (the entity itself or one of its groups). */
  accessOf(entity: DirectoryEntity | string): AccessEntry[] {
    const entityId = typeof entity === 'string' ? entity : entity.id;
    const principals = this.principalsOf(entityId);
    const entries: AccessEntry[] = [];
    for (const principal of principals) {
      for (const record of this.grantsByGrantee.get(principal.id) ?? []) {
        entries.push({
          mailbox: record.mailbox,
          rights: record.rights,
          granteeId: record.granteeId,
          grantee: record.grantee,
          via: principal.via,
          record,
        });
      }
    }
    return entries.sort(
      (a, b) => compareMailboxes(a.mailbox, b.mailbox) || a.via.length - b.via.length || compareText(a.granteeId, b.granteeId),
    );
  }

  /**
   * The rooms and equipment the entity is a booking delegate of, directly or through any group it
   * belongs to, each once, by the shortest chain (a direct delegation first), in report order.
   */
  bookingDelegationsOf(entity: DirectoryEntity | string): BookingDelegation[] {
    const entityId = typeof entity === 'string' ? entity : entity.id;
    const found = new Map<string, BookingDelegation>();
    for (const principal of this.principalsOf(entityId)) {
      for (const resourceId of this.resourcesByDelegate.get(principal.id) ?? []) {
        if (!found.has(resourceId)) found.set(resourceId, { resourceId, resource: this.directory?.get(resourceId), via: principal.via });
      }
    }
    const orderOf = (d: BookingDelegation): DirectoryEntity => d.resource ?? { id: d.resourceId, kind: 'resource' };
    return [...found.values()].sort((a, b) => compareMailboxes(orderOf(a), orderOf(b)));
  }

  /**
   * The applications whose impersonation role may act as the entity, by the documented rule
   * semantics (DENY wins, then ALLOW): only an enabled user can be impersonated (WorkMail answers
   * EntityStateException for the others), and a group or resource never is.
   */
  applicationsActingAs(entity: DirectoryEntity): ImpersonationRole[] {
    const impersonable = entity.kind === 'user' && entity.state !== 'DISABLED' && entity.state !== 'DELETED';
    return impersonable ? this.roles.filter((role) => impersonationEffect(role, entity).effect === 'ALLOW') : [];
  }

  size(): IndexSize {
    const total = (lists: Iterable<readonly unknown[]>): number => {
      let count = 0;
      for (const list of lists) count += list.length;
      return count;
    };
    return { grants: total(this.grantsByGrantee.values()), memberships: total(this.parentsOf.values()), delegations: total(this.resourcesByDelegate.values()), roles: this.roles.length };
  }
}

/** Convenience for a single question; build an AccessIndex to ask several. */
export function accessOf(entity: DirectoryEntity | string, records: Iterable<ScanRecord>, membership: Membership, directory?: ReadonlyMap<string, DirectoryEntity>): AccessEntry[] {
  return new AccessIndex(records, membership, directory).accessOf(entity);
}

/** Every right the entity ends up with on each mailbox, whichever path gives it. */
export function effectiveAccess(entries: readonly AccessEntry[]): Array<{ mailbox: DirectoryEntity; rights: Right[]; entries: AccessEntry[] }> {
  const byMailbox = new Map<string, { mailbox: DirectoryEntity; rights: Right[]; entries: AccessEntry[] }>();
  for (const entry of entries) {
    let item = byMailbox.get(entry.mailbox.id);
    if (!item) {
      byMailbox.set(entry.mailbox.id, (item = { mailbox: entry.mailbox, rights: [], entries: [] }));
    }
    item.rights = normalizeRights([...item.rights, ...entry.rights]);
    item.entries.push(entry);
  }
  return [...byMailbox.values()];
}

/** "direct" or "via Sales → EMEA Sales". */
export function formatVia(via: readonly ViaGroup[]): string {
  return via.length === 0 ? 'direct' : `via ${via.map((group) => group.name ?? group.id).join(' → ')}`;
}
