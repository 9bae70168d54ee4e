// "What can this person open?": every mailbox a user or group holds rights on, directly or through
// any group it belongs to, however deeply nested, with the chain of groups that gives it.
//
// Built once per scan: grants indexed by grantee and membership reversed (member -> groups it is
// directly in), so each question is a walk up from one entity, not a pass over every grant.
// Groups of any state are followed except deleted ones, which reach no one (loadMembership gives
// them no members). Disabled groups are followed: an audit should rather show too much.
import type { Membership } from './groups';
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

export class AccessIndex {
  private readonly grantsByGrantee = new Map<string, GrantRecord[]>();
  private readonly parentsOf = new Map<string, string[]>();
  private readonly groupNames = new Map<string, string | undefined>();

  constructor(records: Iterable<ScanRecord>, membership: Membership, directory?: ReadonlyMap<string, DirectoryEntity>) {
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

  /** One entry per mailbox and granting principal (the entity itself or one of its groups). */
  accessOf(entity: DirectoryEntity | string): AccessEntry[] {
    const entityId = typeof entity === 'string' ? entity : entity.id;
    const principals: Array<{ id: string; via: ViaGroup[] }> = [{ id: entityId, via: [] }, ...this.groupsOf(entityId).map((g) => ({ id: g.groupId, via: g.via }))];
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
