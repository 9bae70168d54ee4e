import assert from 'node:assert/strict';
import { expandFromMembership, expandGroup, listAllGroupMembers, loadMembership, type GroupMember } from '../../src/workmail/groups';
import { listDirectory } from '../../src/workmail/scan';
import { AUDIT_ORG, CHAIN_LEAF, CHAIN_MID, CHAIN_TOP, CYCLE_A, CYCLE_B, auditWorld, startWorld, type Running } from './auditWorld';

const world = auditWorld();
const seedGroups = new Map(world.org.groups!.map((g) => [g.id, g]));

/** Everyone reachable from a group in the seed, with the shortest depth, deleted groups opaque. */
function seedReach(groupId: string): Map<string, number> {
  const depth = new Map<string, number>();
  let level = [groupId];
  const visited = new Set([groupId]);
  for (let d = 1; level.length > 0; d++) {
    const next: string[] = [];
    for (const id of level) {
      const group = seedGroups.get(id);
      if (!group || group.state === 'DELETED') continue;
      for (const member of group.members ?? []) {
        if (visited.has(member)) continue;
        visited.add(member);
        depth.set(member, d);
        if (seedGroups.has(member)) next.push(member);
      }
    }
    level = next;
  }
  return depth;
}

describe('group expansion (real SDK against the emulator)', function () {
  this.timeout(30_000);
  let running: Running;

  before(async () => {
    running = await startWorld(world.seed);
  });
  after(async () => {
    await running.stop();
  });

  it('expands nested groups level by level, each member once with the chain that reaches it', async () => {
    const expansion = await expandGroup(running.session, AUDIT_ORG, CHAIN_TOP);
    const byId = new Map(expansion.members.map((m) => [m.id, m]));
    assert.deepEqual(byId.get(CHAIN_MID)?.path, [CHAIN_TOP]);
    assert.deepEqual(byId.get(CHAIN_LEAF)?.path, [CHAIN_TOP, CHAIN_MID]);
    const leafUser = seedGroups.get(CHAIN_LEAF)!.members![0]!;
    assert.deepEqual(byId.get(leafUser)?.path, [CHAIN_TOP, CHAIN_MID, CHAIN_LEAF]);
    assert.equal(byId.get(leafUser)?.kind, 'user');
    const expected = seedReach(CHAIN_TOP);
    assert.deepEqual([...byId.keys()].sort(), [...expected.keys()].sort());
    for (const member of expansion.members) {
      assert.equal(member.path.length, expected.get(member.id), `shortest chain to ${member.id}`);
      // Every chain is real: each group contains the next, the last contains the member.
      const chain = [...member.path, member.id];
      for (let i = 0; i + 1 < chain.length; i++) {
        assert.ok(seedGroups.get(chain[i]!)!.members!.includes(chain[i + 1]!), `${chain[i]} contains ${chain[i + 1]}`);
      }
    }
    assert.equal(expansion.members.length, new Set(expansion.members.map((m) => m.id)).size);
  });

  it('ends on a membership cycle and reports it', async () => {
    const expansion = await expandGroup(running.session, AUDIT_ORG, CYCLE_A);
    const byId = new Map(expansion.members.map((m) => [m.id, m]));
    assert.deepEqual([...byId.keys()].sort(), [CYCLE_B, ...seedGroups.get(CYCLE_A)!.members!.filter((m) => m !== CYCLE_B), ...seedGroups.get(CYCLE_B)!.members!.filter((m) => m !== CYCLE_A)].sort());
    assert.deepEqual(expansion.cycles, [{ group: CYCLE_B, memberGroup: CYCLE_A }]);
    assert.ok(!byId.has(CYCLE_A), 'the group is not its own member');
  });

  it('reads every page of a large group', async () => {
    const big = world.org.groups!.reduce((a, b) => ((a.members?.length ?? 0) >= (b.members?.length ?? 0) ? a : b));
    assert.ok(big.members!.length > 5);
    running.emu.clearCalls();
    const members = await listAllGroupMembers(running.session, AUDIT_ORG, big.id, { pageSize: 3 });
    assert.deepEqual(members.map((m) => m.id).sort(), [...big.members!].sort());
    const pages = running.emu.calls().filter((c) => c.operation === 'ListGroupMembers');
    assert.equal(pages.length, Math.ceil(big.members!.length / 3));
  });

  it('loads every group once, gives deleted groups no members without asking, and reports failures per group', async () => {
    const directory = await listDirectory(running.session, AUDIT_ORG);
    const broken = world.org.groups!.find((g) => g.state !== 'DELETED' && g.id !== CHAIN_TOP)!;
    running.emu.setFaults({ rules: [{ operation: 'ListGroupMembers', match: { GroupId: broken.id }, error: 'EntityNotFoundException' }] });
    running.emu.clearCalls();
    try {
      const { membership, failures } = await loadMembership(running.session, AUDIT_ORG, directory.groups, { concurrency: 3 });
      const deleted = world.org.groups!.filter((g) => g.state === 'DELETED');
      assert.ok(deleted.length > 0, 'the world has a deleted group');
      for (const group of deleted) assert.deepEqual(membership.get(group.id), []);
      const asked = running.emu.calls().filter((c) => c.operation === 'ListGroupMembers').map((c) => (c.params as { GroupId: string }).GroupId);
      assert.ok(!deleted.some((g) => asked.includes(g.id)));
      assert.deepEqual(failures.map((f) => f.group.id), [broken.id]);
      for (const group of world.org.groups!) {
        if (group.state === 'DELETED' || group.id === broken.id) continue;
        assert.deepEqual(membership.get(group.id)!.map((m) => m.id).sort(), [...(group.members ?? [])].sort());
      }
    } finally {
      running.emu.setFaults({});
    }
  });
});

describe('expandFromMembership (pure)', () => {
  const member = (id: string, kind: 'user' | 'group' = 'user'): GroupMember => ({ id, kind });

  it('walks a loaded membership the same way, cycles included', () => {
    const membership = new Map<string, GroupMember[]>([
      ['g1', [member('g2', 'group'), member('u1')]],
      ['g2', [member('g3', 'group'), member('u1'), member('u2')]],
      ['g3', [member('g1', 'group'), member('u3')]],
    ]);
    const expansion = expandFromMembership(membership, 'g1');
    assert.deepEqual(
      expansion.members.map((m) => [m.id, m.path.join('>')]),
      [
        ['g2', 'g1'],
        ['u1', 'g1'],
        ['g3', 'g1>g2'],
        ['u2', 'g1>g2'],
        ['u3', 'g1>g2>g3'],
      ],
    );
    assert.deepEqual(expansion.cycles, [{ group: 'g3', memberGroup: 'g1' }]);
  });
});
