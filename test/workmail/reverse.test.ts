import assert from 'node:assert/strict';
import { generateDirectory } from '../../emulator/generate';
import type { SeedGroup, SeedOrganization } from '../../emulator/seed';
import { loadMembership, type GroupMember } from '../../src/workmail/groups';
import { loadRoutes } from '../../src/workmail/routes/load';
import { AccessIndex, accessOf, effectiveAccess, formatVia } from '../../src/workmail/reverse';
import { collectScan, type GrantRecord, type OrganizationScan } from '../../src/workmail/scan';
import type { DirectoryEntity } from '../../src/workmail/types';
import { AUDIT_ORG, CHAIN_LEAF, CHAIN_MID, CHAIN_TOP, CYCLE_A, CYCLE_B, OLD_TEAM, PAUSED_TEAM, auditWorld, bruteForceAccess, seedWith, startWorld, type Running } from './auditWorld';

const world = auditWorld();
const seedGroups = new Map(world.org.groups!.map((g) => [g.id, g]));

describe('reverse lookup over a scanned organization (real SDK against the emulator)', function () {
  this.timeout(60_000);
  let running: Running;
  let snapshot: OrganizationScan;
  let index: AccessIndex;

  before(async () => {
    running = await startWorld(world.seed);
    snapshot = await collectScan(running.session, AUDIT_ORG);
    const { membership, failures } = await loadMembership(running.session, AUDIT_ORG, snapshot.directory.groups);
    assert.equal(failures.length, 0);
    index = new AccessIndex(snapshot.grants, membership, snapshot.directory.entities);
  });
  after(async () => {
    await running.stop();
  });

  it('equals a brute-force computation over the seed for every user and group, nested groups included', () => {
    const entities = [...world.org.users!, ...world.org.groups!];
    let withGroupAccess = 0;
    for (const entity of entities) {
      const expected = bruteForceAccess(world.org, entity.id);
      const entries = index.accessOf(entity.id);
      const actual = new Map<string, Array<{ granteeId: string; rights: readonly string[]; depth: number }>>();
      for (const entry of entries) {
        const list = actual.get(entry.mailbox.id) ?? [];
        list.push({ granteeId: entry.granteeId, rights: [...entry.rights].sort(), depth: entry.via.length });
        actual.set(entry.mailbox.id, list);
        if (entry.via.length > 0) withGroupAccess++;
        // The chain is real: each group contains the next, the last contains the entity.
        const chain = [...entry.via.map((v) => v.id), entity.id];
        assert.equal(chain[0], entry.via.length > 0 ? entry.granteeId : entity.id);
        for (let i = 0; i + 1 < chain.length; i++) {
          assert.ok(seedGroups.get(chain[i]!)!.members!.includes(chain[i + 1]!), `${chain[i]} contains ${chain[i + 1]}`);
        }
      }
      const normalize = (m: Map<string, Array<{ granteeId: string; rights: readonly string[]; depth: number }>>) =>
        [...m.entries()]
          .map(([mailbox, list]) => [mailbox, list.map((x) => ({ ...x, rights: [...x.rights].sort() })).sort((a, b) => a.granteeId.localeCompare(b.granteeId))] as const)
          .sort((a, b) => a[0].localeCompare(b[0]));
      assert.deepEqual(normalize(actual), normalize(expected), `access of ${entity.name}`);
    }
    assert.ok(withGroupAccess > 50, 'the world exercises access through groups');
  });

  it('names the chain of groups that grants access, from the granting group down', () => {
    const leafUser = seedGroups.get(CHAIN_LEAF)!.members![0]!;
    const entries = index.accessOf(leafUser).filter((e) => e.granteeId === CHAIN_TOP);
    assert.equal(entries.length, 1);
    assert.equal(formatVia(entries[0]!.via), 'via chain-top → chain-mid → chain-leaf');
    assert.deepEqual([...entries[0]!.rights], ['FULL_ACCESS', 'SEND_AS']);
    const direct = index.accessOf(leafUser).find((e) => e.via.length === 0);
    assert.ok(direct, 'the seed grants this user something directly');
    assert.equal(formatVia(direct.via), 'direct');
  });

  it('follows a membership cycle without looping and finds both groups', () => {
    const inA = seedGroups.get(CYCLE_A)!.members!.find((m) => m !== CYCLE_B)!;
    const grantees = new Set(index.accessOf(inA).map((e) => e.granteeId));
    assert.ok(grantees.has(CYCLE_A));
    assert.ok(grantees.has(CYCLE_B), 'reached through cycle-b, which contains cycle-a');
    assert.ok(grantees.has(PAUSED_TEAM), 'a disabled group still counts');
    const groups = index.groupsOf(CYCLE_A).map((g) => g.groupId).sort();
    assert.deepEqual(groups, [CYCLE_B, PAUSED_TEAM].sort());
  });

  it('gives nothing through a deleted group', () => {
    const onlyInOldTeam = seedGroups.get(OLD_TEAM)!.members![0]!;
    assert.ok(!index.accessOf(onlyInOldTeam).some((e) => e.granteeId === OLD_TEAM));
    assert.ok(!index.groupsOf(CHAIN_MID).some((g) => g.groupId === OLD_TEAM));
  });

});

describe('accessOf (pure)', () => {
  const org = { organizationId: 'm-00000000000000000000000000000001', region: 'us-east-1' };
  const entity = (id: string, kind: DirectoryEntity['kind'], name = id): DirectoryEntity => ({ id, kind, name, email: `${name}@x.example.com`, state: 'ENABLED' });
  const mailboxA = entity('mb-a', 'user', 'alpha');
  const mailboxB = entity('mb-b', 'user', 'bravo');
  const grant = (mailbox: DirectoryEntity, granteeId: string, rights: GrantRecord['rights'], granteeType: 'USER' | 'GROUP' = 'GROUP'): GrantRecord => ({
    type: 'grant',
    org,
    mailbox,
    granteeId,
    granteeType,
    grantee: null,
    rights,
    readAt: new Date(),
  });
  const member = (id: string, kind: 'user' | 'group' = 'user', name?: string): GroupMember => ({ id, kind, name });

  it('combines direct and group rights per mailbox and orders by mailbox then path length', () => {
    const membership = new Map<string, GroupMember[]>([
      ['sales', [member('emea', 'group', 'EMEA Sales')]],
      ['emea', [member('ana')]],
    ]);
    const directory = new Map([['sales', entity('sales', 'group', 'Sales')]]);
    const records = [grant(mailboxB, 'ana', ['SEND_AS'], 'USER'), grant(mailboxB, 'sales', ['FULL_ACCESS']), grant(mailboxA, 'emea', ['SEND_ON_BEHALF'])];
    const entries = accessOf('ana', records, membership, directory);
    assert.deepEqual(
      entries.map((e) => [e.mailbox.id, e.granteeId, formatVia(e.via)]),
      [
        ['mb-a', 'emea', 'via EMEA Sales'],
        ['mb-b', 'ana', 'direct'],
        ['mb-b', 'sales', 'via Sales → EMEA Sales'],
      ],
    );
    assert.deepEqual(
      effectiveAccess(entries).map((e) => [e.mailbox.id, e.rights]),
      [
        ['mb-a', ['SEND_ON_BEHALF']],
        ['mb-b', ['FULL_ACCESS', 'SEND_AS']],
      ],
    );
  });
});

/** Every group that contains the entity, however nested, by repeating "which groups contain anything found" until nothing changes. */
function groupsContainingInSeed(groups: readonly SeedGroup[], entityId: string): Set<string> {
  const found = new Set<string>([entityId]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of groups) {
      if (group.state === 'DELETED' || found.has(group.id)) continue;
      if ((group.members ?? []).some((member) => found.has(member))) {
        found.add(group.id);
        changed = true;
      }
    }
  }
  found.delete(entityId);
  return found;
}

describe('the reverse index carries booking delegations and applications (real SDK against the emulator)', function () {
  this.timeout(60_000);
  const ORG = { organizationId: 'm-0e7e25e0000000000000000000000001', region: 'us-east-1' } as const;
  const generated = generateDirectory({ users: 120, groups: 14, resources: 12, grants: 300, seed: 4242, domain: 'reverse.example.com' });
  const org: SeedOrganization = { id: ORG.organizationId, alias: 'reverse', region: ORG.region, defaultMailDomain: 'reverse.example.com', ...generated };
  let running: Running;
  let index: AccessIndex;
  let snapshot: OrganizationScan;

  before(async () => {
    running = await startWorld(seedWith(org));
    snapshot = await collectScan(running.session, ORG);
    const { membership, failures } = await loadMembership(running.session, ORG, snapshot.directory.groups);
    assert.equal(failures.length, 0);
    const routes = await loadRoutes(running.session.routes, ORG, snapshot.directory.resources);
    assert.deepEqual(routes.failures, []);
    index = new AccessIndex(snapshot.grants, membership, snapshot.directory.entities, routes);
  });
  after(async () => {
    await running.stop();
  });

  it('every user\'s booking delegations equal the seed\'s delegates reached through nested groups', () => {
    let throughGroups = 0;
    for (const user of org.users!) {
      const mine = new Set([user.id, ...groupsContainingInSeed(org.groups!, user.id)]);
      const expected = org.booking!.filter((b) => (b.delegates ?? []).some((d) => mine.has(d))).map((b) => b.resource).sort();
      const delegations = index.bookingDelegationsOf(user.id);
      assert.deepEqual(delegations.map((d) => d.resourceId).sort(), expected, user.name);
      for (const d of delegations) {
        const direct = org.booking!.find((b) => b.resource === d.resourceId)!.delegates!.includes(user.id);
        assert.equal(d.via.length === 0, direct, `${user.name} on ${d.resourceId}: direct when named, else through the group chain`);
        if (!direct) {
          throughGroups++;
          assert.ok(org.booking!.find((b) => b.resource === d.resourceId)!.delegates!.includes(d.via[0]!.id), 'the chain starts at the delegate group');
        }
      }
    }
    assert.ok(throughGroups > 0, 'the generated organization has delegations through groups');
  });

  it('the applications acting as each user are those WorkMail\'s GetImpersonationRoleEffect allows', async () => {
    const users = snapshot.directory.users.filter((u) => u.state === 'ENABLED').slice(0, 40);
    const roles = running.emu.impersonationRoles(ORG.organizationId);
    for (const user of users) {
      const expected: string[] = [];
      for (const role of roles) {
        if ((await running.session.routes.impersonationRoleEffect(ORG, role.id, user.id)).effect === 'ALLOW') expected.push(role.id);
      }
      assert.deepEqual(index.applicationsActingAs(user).map((r) => r.id).sort(), expected.sort(), user.name);
    }
    const disabled = snapshot.directory.users.find((u) => u.state === 'DISABLED');
    if (disabled) assert.deepEqual(index.applicationsActingAs(disabled), [], 'a disabled user is impersonated by nothing');
  });
});

describe('the reverse index at 10,000 users: linear in what the scan read (structure, not time)', () => {
  /** The index of a generated organization of `users` users, built from the seed as a scan would give it. */
  function indexOf(users: number): { index: AccessIndex; generated: ReturnType<typeof generateDirectory>; facts: { grants: number; memberships: number; delegations: number; roles: number } } {
    const generated = generateDirectory({ users, groups: Math.round(users / 40), resources: Math.round(users / 200), grants: users * 3, seed: 10_000, domain: 'big.example.com' });
    const org = { organizationId: 'm-b1900000000000000000000000000001', region: 'us-east-1' };
    const entities = new Map<string, DirectoryEntity>([
      ...generated.users.map((u): [string, DirectoryEntity] => [u.id, { id: u.id, kind: 'user', name: u.name, email: u.email, state: u.state }]),
      ...generated.groups.map((g): [string, DirectoryEntity] => [g.id, { id: g.id, kind: 'group', name: g.name, email: g.email, state: g.state }]),
      ...generated.resources.map((r): [string, DirectoryEntity] => [r.id, { id: r.id, kind: 'resource', name: r.name, email: r.email, state: r.state }]),
    ]);
    const records: GrantRecord[] = generated.grants.map((g) => ({
      type: 'grant',
      org,
      mailbox: entities.get(g.mailbox)!,
      granteeId: g.grantee,
      granteeType: entities.get(g.grantee)?.kind === 'group' ? 'GROUP' : 'USER',
      grantee: entities.get(g.grantee) ?? null,
      rights: g.rights,
      readAt: new Date(0),
    }));
    const membership = new Map<string, GroupMember[]>(
      generated.groups.filter((g) => g.state !== 'DELETED').map((g) => [g.id, (g.members ?? []).map((id) => ({ id, kind: entities.get(id)?.kind === 'group' ? ('group' as const) : ('user' as const), name: entities.get(id)?.name }))]),
    );
    const delegates = new Map(generated.booking.map((b) => [b.resource, (b.delegates ?? []).map((id) => ({ id, type: entities.get(id)?.kind === 'group' ? ('GROUP' as const) : ('USER' as const) }))]));
    const roles = generated.impersonationRoles.map((role) => ({ id: role.id, name: role.name, type: role.type, rules: (role.rules ?? []).map((rule) => ({ ...rule })) }));
    const index = new AccessIndex(records, membership, entities, { delegates, roles });
    const sum = (lists: Iterable<readonly unknown[]>): number => [...lists].reduce((n, list) => n + list.length, 0);
    return { index, generated, facts: { grants: records.length, memberships: sum(membership.values()), delegations: sum(delegates.values()), roles: roles.length } };
  }

  it('holds each grant, membership and delegation once, at 10,000 users as at 2,500', () => {
    const big = indexOf(10_000);
    assert.deepEqual(big.index.size(), big.facts, 'no fact is copied per user or group: nothing like a transitive closure is stored');
    assert.ok(big.facts.grants >= 30_000 && big.facts.memberships > 1_000 && big.facts.delegations > 10, 'an organization of that size');
    const small = indexOf(2_500);
    assert.deepEqual(small.index.size(), small.facts);
  });

  it('answers each person by walking up from them: at 10,000 users the answers equal a brute force over the seed', () => {
    const { index, generated } = indexOf(10_000);
    // The people who are delegates through groups, and a spread of everyone else.
    const throughGroups = new Set(generated.booking.flatMap((b) => b.delegates ?? []).flatMap((id) => generated.groups.find((g) => g.id === id)?.members ?? []));
    const sample = [...throughGroups].filter((id) => !id.startsWith('S-')).slice(0, 20).concat(generated.users.filter((_, i) => i % 500 === 0).map((u) => u.id));
    let delegations = 0;
    for (const id of sample) {
      const mine = new Set([id, ...groupsContainingInSeed(generated.groups, id)]);
      const expected = generated.booking.filter((b) => (b.delegates ?? []).some((d) => mine.has(d))).map((b) => b.resource).sort();
      assert.deepEqual(index.bookingDelegationsOf(id).map((d) => d.resourceId).sort(), expected, id);
      delegations += expected.length;
      const grants = generated.grants.filter((g) => mine.has(g.grantee)).length;
      assert.equal(index.accessOf(id).length, grants, `${id}: one entry per grant to them or a group of theirs`);
    }
    assert.ok(delegations > 0, 'the sample holds delegations');
  });
});
