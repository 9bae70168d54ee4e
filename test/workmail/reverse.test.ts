import assert from 'node:assert/strict';
import { loadMembership, type GroupMember } from '../../src/workmail/groups';
import { AccessIndex, accessOf, effectiveAccess, formatVia } from '../../src/workmail/reverse';
import { collectScan, type GrantRecord, type OrganizationScan } from '../../src/workmail/scan';
import type { DirectoryEntity } from '../../src/workmail/types';
import { AUDIT_ORG, CHAIN_LEAF, CHAIN_MID, CHAIN_TOP, CYCLE_A, CYCLE_B, OLD_TEAM, PAUSED_TEAM, auditWorld, bruteForceAccess, startWorld, type Running } from './auditWorld';

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
