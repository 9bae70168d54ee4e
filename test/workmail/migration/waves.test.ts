// Migration waves: properties over generated snapshots (fast-check), checked against a brute-force
// oracle of the delegation graph written independently here; examples for the split heuristic,
// the report, the CSV and readWaves.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { SNAPSHOT_VERSION, type Snapshot, type SnapshotEntity, type SnapshotGrant, type SnapshotRoutes } from '../../../src/workmail/migration/schema';
import { parseWaves, planWaves, readWaves, wavesCsv, wavesReport, type WavePlan } from '../../../src/workmail/migration/waves';
import type { Right } from '../../../src/workmail/types';
import { sampleSnapshot } from './support';

const RIGHTS: Right[] = ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'];

function snapshotOf(entities: SnapshotEntity[], grants: SnapshotGrant[]): Snapshot {
  return { ...sampleSnapshot(), entities, grants, unreadMailboxes: [] };
}

/**
 * Generated organizations: users (some deleted, disabled, system or without address), groups
 * nesting anything (cycles too), grants, rooms with booking delegates (users, groups, someone
 * unknown; some rooms' delegates unreadable) and impersonation roles with rules naming users.
 */
const arbitrarySnapshot = fc
  .record({
    users: fc.array(fc.record({ state: fc.constantFrom('ENABLED', 'ENABLED', 'ENABLED', 'DISABLED', 'DELETED'), system: fc.integer({ min: 0, max: 19 }).map((n) => n === 0), address: fc.boolean() }), { minLength: 1, maxLength: 30 }),
    groups: fc.nat({ max: 5 }),
    rooms: fc.nat({ max: 3 }),
  })
  .chain(({ users, groups, rooms }) => {
    const userIds = users.map((_, i) => `u${String(i).padStart(2, '0')}`);
    const groupIds = Array.from({ length: groups }, (_, i) => `g${i}`);
    const roomIds = Array.from({ length: rooms }, (_, i) => `r${i}`);
    const principals = [...userIds, ...groupIds, 'ghost'];
    const targets = fc.option(fc.uniqueArray(fc.constantFrom(...userIds, 'nobody@x.example'), { minLength: 1, maxLength: 4 }), { nil: undefined });
    return fc.record({
      users: fc.constant(users),
      userIds: fc.constant(userIds),
      groupIds: fc.constant(groupIds),
      roomIds: fc.constant(roomIds),
      members: fc.array(fc.uniqueArray(fc.constantFrom(...principals), { maxLength: 6 }), { minLength: groups, maxLength: groups }),
      unreadable: fc.array(fc.boolean(), { minLength: groups, maxLength: groups }),
      grants: fc.uniqueArray(
        fc.record({ mailbox: fc.constantFrom(...userIds, ...roomIds, ...groupIds), grantee: fc.constantFrom(...principals), rights: fc.subarray(RIGHTS, { minLength: 1 }) }),
        { maxLength: 60, selector: (g) => `${g.mailbox}|${g.grantee}` },
      ),
      delegates: fc.array(fc.option(fc.uniqueArray(fc.constantFrom(...principals), { maxLength: 4 }), { nil: undefined, freq: 6 }), { minLength: rooms, maxLength: rooms }),
      roles: fc.array(fc.array(fc.record({ effect: fc.constantFrom('ALLOW', 'ALLOW', 'DENY'), targetUsers: targets, notTargetUsers: targets }), { maxLength: 3 }), { maxLength: 3 }),
    });
  })
  .map(({ users, userIds, groupIds, roomIds, members, unreadable, grants, delegates, roles }): Snapshot => {
    const entities: SnapshotEntity[] = [
      ...users.map((u, i): SnapshotEntity => ({
        id: userIds[i]!,
        kind: 'user',
        state: u.state as SnapshotEntity['state'],
        ...(u.system ? { userRole: 'SYSTEM_USER' } : { userRole: 'USER' }),
        ...(u.address || i % 3 === 0 ? { email: `${userIds[i]}@x.example` } : {}),
      })),
      ...groupIds.map((id, i): SnapshotEntity => ({ id, kind: 'group', email: `${id}@x.example`, ...(unreadable[i] && i === 0 ? { membersUnreadable: 'AccessDenied: no' } : { members: members[i]!.filter((m) => m !== 'ghost' || i % 2 === 0) }) })),
      ...roomIds.map((id): SnapshotEntity => ({ id, kind: 'resource', email: `${id}@x.example`, state: 'ENABLED' })),
    ];
    const routes: SnapshotRoutes = {
      resources: roomIds.map((resourceId, i) => {
        const listed = delegates[i];
        return listed === undefined
          ? { resourceId, delegatesUnreadable: 'ThrottlingException: Rate exceeded' }
          : { resourceId, delegates: listed.map((id) => ({ id, type: id.startsWith('g') ? ('GROUP' as const) : ('USER' as const) })) };
      }),
      impersonationRoles: roles.map((rules, i) => ({
        id: `role${i}`,
        name: `App ${i}`,
        type: 'FULL_ACCESS' as const,
        rules: rules.map((rule, j) => ({ id: `rule${j}`, effect: rule.effect as 'ALLOW' | 'DENY', ...(rule.targetUsers ? { targetUsers: rule.targetUsers } : {}), ...(rule.notTargetUsers ? { notTargetUsers: rule.notTargetUsers } : {}) })),
      })),
      accessRules: [],
    };
    return {
      ...snapshotOf(
        entities,
        grants.map((g) => ({ mailboxId: g.mailbox, granteeId: g.grantee, granteeType: g.grantee.startsWith('g') ? 'GROUP' : 'USER', rights: g.rights })),
      ),
      version: SNAPSHOT_VERSION,
      routes,
    };
  });

/**
 * The oracle: which mailboxes move, and every (mailbox, delegate) pair a grant or a booking
 * delegation links, by fixpoint over group membership.
 */
function oracle(snapshot: Snapshot): { mailboxes: Set<string>; pairs: Set<string> } {
  const byId = new Map(snapshot.entities.map((e) => [e.id, e]));
  const mailboxes = new Set(snapshot.entities.filter((e) => e.kind !== 'group' && e.email && e.state !== 'DELETED' && e.userRole !== 'SYSTEM_USER').map((e) => e.id));
  const reach = (start: string): Set<string> => {
    const found = new Set<string>([start]);
    for (let changed = true; changed; ) {
      changed = false;
      for (const id of [...found]) {
        for (const member of byId.get(id)?.kind === 'group' ? (byId.get(id)!.members ?? []) : []) {
          if (!found.has(member)) {
            found.add(member);
            changed = true;
          }
        }
      }
    }
    return found;
  };
  const pairs = new Set<string>();
  const links = [
    ...snapshot.grants.map((g) => [g.mailboxId, g.granteeId] as const),
    ...(snapshot.routes?.resources ?? []).flatMap((r) => (r.delegates ?? []).map((d) => [r.resourceId, d.id] as const)),
  ];
  for (const [mailbox, principal] of links) {
    if (!mailboxes.has(mailbox)) continue;
    for (const delegate of reach(principal)) {
      if (mailboxes.has(delegate) && delegate !== mailbox) pairs.add(`${mailbox}|${delegate}`);
    }
  }
  return { mailboxes, pairs };
}

/** The oracle of an impersonation role, for rules naming users by ID: an enabled user some ALLOW rule matches and no DENY rule does. */
function actedAs(snapshot: Snapshot, roleId: string): Set<string> {
  const role = snapshot.routes!.impersonationRoles!.find((r) => r.id === roleId)!;
  const matches = (rule: { targetUsers?: readonly string[]; notTargetUsers?: readonly string[] }, id: string): boolean =>
    (!rule.targetUsers || rule.targetUsers.includes(id)) && !(rule.notTargetUsers ?? []).includes(id);
  return new Set(
    snapshot.entities
      .filter((e) => e.kind === 'user' && e.state !== 'DISABLED' && e.state !== 'DELETED')
      .filter((e) => {
        const matching = (role.rules ?? []).filter((rule) => matches(rule, e.id));
        return matching.some((rule) => rule.effect === 'ALLOW') && !matching.some((rule) => rule.effect === 'DENY');
      })
      .map((e) => e.id),
  );
}

function waveOf(plan: WavePlan): Map<string, number> {
  const map = new Map<string, number>();
  for (const wave of plan.waves) for (const m of wave.mailboxes) {
    assert.ok(!map.has(m.id), `${m.id} is in two waves`);
    map.set(m.id, wave.number);
  }
  return map;
}

describe('migration waves: properties', () => {
  it('every mailbox is in exactly one wave, no wave exceeds the maximum, only reported cut delegations cross waves, booking delegates link like grants, and applications are noted without moving anyone', () => {
    let runsWithCuts = 0;
    let runsWithBooking = 0;
    let runsWithSpread = 0;
    fc.assert(
      fc.property(arbitrarySnapshot, fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }), (snapshot, maxSize) => {
        const plan = planWaves(snapshot, { maxSize });
        const { mailboxes, pairs } = oracle(snapshot);
        const waves = waveOf(plan);
        assert.deepEqual([...waves.keys()].sort(), [...mailboxes].sort(), 'exactly the mailboxes to move, each once');
        assert.deepEqual(plan.waves.map((w) => w.number), plan.waves.map((_, i) => i + 1));
        for (const wave of plan.waves) {
          assert.ok(wave.mailboxes.length > 0, 'no empty wave');
          if (maxSize !== undefined) assert.ok(wave.mailboxes.length <= maxSize, `wave ${wave.number} has ${wave.mailboxes.length} > ${maxSize}`);
        }
        assert.deepEqual(new Set(plan.delegations.map((d) => `${d.mailboxId}|${d.delegateId}`)), pairs, 'the delegation graph is the oracle\'s');
        const cut = new Set(plan.cut.map((d) => `${d.mailboxId}|${d.delegateId}|${d.granteeId}`));
        for (const d of plan.delegations) {
          const crosses = waves.get(d.mailboxId) !== waves.get(d.delegateId);
          assert.equal(cut.has(`${d.mailboxId}|${d.delegateId}|${d.granteeId}`), crosses, `${d.mailboxId} → ${d.delegateId} crosses waves iff it is reported cut`);
        }
        for (const d of plan.cut) {
          assert.equal(d.mailboxWave, waves.get(d.mailboxId));
          assert.equal(d.delegateWave, waves.get(d.delegateId));
        }
        if (maxSize === undefined) assert.equal(plan.cut.length, 0, 'no maximum, no cut');
        runsWithCuts += plan.cut.length > 0 ? 1 : 0;
        runsWithBooking += plan.delegations.some((d) => d.route === 'bookingDelegate') ? 1 : 0;
        for (const application of plan.applications) {
          const acted = [...actedAs(snapshot, application.roleId)].filter((id) => mailboxes.has(id)).sort();
          assert.deepEqual(application.mailboxIds, acted, `${application.name} acts as the oracle's mailboxes`);
          assert.deepEqual(application.waves, [...new Set(acted.map((id) => waves.get(id)!))].sort((a, b) => a - b), `${application.name}'s waves`);
          runsWithSpread += application.waves.length > 1 ? 1 : 0;
        }
        const withoutRoles = planWaves({ ...snapshot, routes: { ...snapshot.routes!, impersonationRoles: [] } }, { maxSize });
        assert.deepEqual(withoutRoles.waves, plan.waves, 'an application never moves a mailbox: the same waves without the roles');
      }),
      { numRuns: 300, seed: 13 },
    );
    assert.ok(runsWithCuts > 20, `the generated organizations make the plan cut often enough to test it (${runsWithCuts} of 300)`);
    assert.ok(runsWithBooking > 20, `booking delegations link mailboxes often enough to test it (${runsWithBooking} of 300)`);
    assert.ok(runsWithSpread > 20, `applications reach several waves often enough to test it (${runsWithSpread})`);
  });

  it('cuts nothing when the maximum holds the largest linked group, and is deterministic', () => {
    fc.assert(
      fc.property(arbitrarySnapshot, (snapshot) => {
        const free = planWaves(snapshot);
        const largest = Math.max(1, ...components(free).map((c) => c.length));
        const plan = planWaves(snapshot, { maxSize: largest });
        assert.equal(plan.cut.length, 0, `max ${largest}`);
        assert.deepEqual(planWaves(snapshot, { maxSize: 3 }), planWaves(snapshot, { maxSize: 3 }));
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});

/** Linked groups of a plan without maximum: its waves, except the last one of unlinked mailboxes. */
function components(plan: WavePlan): string[][] {
  const linked = new Set(plan.delegations.flatMap((d) => [d.mailboxId, d.delegateId]));
  return plan.waves.map((w) => w.mailboxes.map((m) => m.id)).filter((ids) => ids.some((id) => linked.has(id)));
}

describe('migration waves: examples', () => {
  const user = (n: number): SnapshotEntity => ({ id: `u${n}`, kind: 'user', email: `u${n}@x.example`, state: 'ENABLED', userRole: 'USER' });
  const grant = (mailbox: number, grantee: string, rights: Right[] = ['FULL_ACCESS']): SnapshotGrant => ({ mailboxId: `u${mailbox}`, granteeId: grantee, granteeType: grantee.startsWith('g') ? 'GROUP' : 'USER', rights });

  it('splits two dense teams joined by one delegation at that delegation', () => {
    const entities = Array.from({ length: 8 }, (_, i) => user(i + 1));
    const grants: SnapshotGrant[] = [];
    for (const team of [[1, 2, 3, 4], [5, 6, 7, 8]]) {
      for (const a of team) for (const b of team) if (a !== b) grants.push(grant(a, `u${b}`));
    }
    grants.push(grant(4, 'u5', ['SEND_AS']));
    const plan = planWaves(snapshotOf(entities, grants), { maxSize: 4 });
    assert.deepEqual(plan.waves.map((w) => w.mailboxes.map((m) => m.id)), [['u1', 'u2', 'u3', 'u4'], ['u5', 'u6', 'u7', 'u8']]);
    assert.equal(plan.cut.length, 1);
    assert.deepEqual(plan.cut[0], { route: 'permission', mailboxId: 'u4', delegateId: 'u5', granteeId: 'u5', rights: ['SEND_AS'], mailboxWave: 1, delegateWave: 2, componentSize: 8 });
    assert.deepEqual(plan.splitComponents, [8]);
  });

  it('groups a mailbox with every member of a group grantee, nested groups and cycles included', () => {
    const entities: SnapshotEntity[] = [
      ...[1, 2, 3, 4, 5].map(user),
      { id: 'gA', kind: 'group', email: 'a@x.example', members: ['u2', 'gB'] },
      { id: 'gB', kind: 'group', email: 'b@x.example', members: ['u3', 'gA'] },
      { id: 'gLocked', kind: 'group', email: 'l@x.example', membersUnreadable: 'AccessDenied: no' },
    ];
    const plan = planWaves(snapshotOf(entities, [grant(1, 'gA', ['SEND_AS']), grant(4, 'gLocked'), { mailboxId: 'gA', granteeId: 'u5', granteeType: 'USER', rights: ['SEND_AS'] }]));
    assert.deepEqual(plan.waves.map((w) => w.mailboxes.map((m) => m.id)), [['u1', 'u2', 'u3'], ['u4', 'u5']], 'the linked group, then the unlinked mailboxes');
    assert.deepEqual(plan.delegations.map((d) => `${d.mailboxId}>${d.delegateId} via ${d.granteeId}`), ['u1>u2 via gA', 'u1>u3 via gA']);
    assert.deepEqual(plan.unreadableGroups.map((g) => [g.group.id, g.grants]), [['gLocked', 1]]);
    assert.deepEqual(plan.notPlanned, [{ reason: "rights on a group's address (recreate them with the group)", grants: 1 }]);
    const report = wavesReport(plan, snapshotOf(entities, []));
    assert.match(report, /\*\*Groups whose members could not be read\*\*/);
    assert.match(report, /- l@x\.example: 1 grant through it/);
    assert.match(report, /None: without a maximum wave size, every linked group of mailboxes is one wave\./);
  });

  /** A version 2 snapshot of these entities and grants with these routes (resources with no entry get no delegate). */
  const withRoutes = (entities: SnapshotEntity[], grants: SnapshotGrant[], routes: Partial<SnapshotRoutes>): Snapshot => {
    const listed = new Set((routes.resources ?? []).map((r) => r.resourceId));
    const resources = [...(routes.resources ?? []), ...entities.filter((e) => e.kind === 'resource' && !listed.has(e.id)).map((e) => ({ resourceId: e.id, delegates: [] }))];
    return { ...snapshotOf(entities, grants), version: SNAPSHOT_VERSION, routes: { impersonationRoles: [], accessRules: [], ...routes, resources } };
  };
  const room = (n: number): SnapshotEntity => ({ id: `r${n}`, kind: 'resource', email: `room${n}@x.example`, displayName: `Room ${n}`, state: 'ENABLED', resourceType: 'ROOM' });

  it('moves a room with its booking delegates, a group delegate expanded to its members, and cuts a booking delegation by name', () => {
    const entities: SnapshotEntity[] = [
      ...[1, 2, 3, 4, 5].map(user),
      room(1),
      room(2),
      room(3),
      { id: 'gDesk', kind: 'group', email: 'desk@x.example', members: ['u3', 'gNested'] },
      { id: 'gNested', kind: 'group', email: 'nested@x.example', members: ['u4'] },
      { id: 'gLocked', kind: 'group', email: 'l@x.example', membersUnreadable: 'AccessDenied: no' },
    ];
    const snapshot = withRoutes(entities, [grant(5, 'u1', ['SEND_AS'])], {
      resources: [
        { resourceId: 'r1', delegates: [{ id: 'u2', type: 'USER' }, { id: 'gDesk', type: 'GROUP' }] },
        { resourceId: 'r2', delegates: [{ id: 'u-gone', type: 'USER' }, { id: 'gLocked', type: 'GROUP' }] },
        { resourceId: 'r3', delegatesUnreadable: 'ThrottlingException: Rate exceeded' },
      ],
    });
    const plan = planWaves(snapshot);
    assert.deepEqual(plan.waves.map((w) => w.mailboxes.map((m) => m.id)), [['r1', 'u2', 'u3', 'u4'], ['u1', 'u5'], ['r2', 'r3']], 'the room with its delegates, then the grant, then the rooms with none known');
    assert.deepEqual(
      plan.delegations.filter((d) => d.route === 'bookingDelegate').map((d) => `${d.mailboxId}>${d.delegateId} via ${d.granteeId}`),
      ['r1>u2 via u2', 'r1>u3 via gDesk', 'r1>u4 via gDesk'],
    );
    assert.ok(plan.delegations.filter((d) => d.route === 'bookingDelegate').every((d) => d.rights.length === 0), 'a booking delegation carries no mailbox right');
    assert.deepEqual(plan.unreadableGroups.map((g) => [g.group.id, g.grants, g.bookingDelegations]), [['gLocked', 0, 1]]);
    assert.deepEqual(plan.unreadableDelegates.map((u) => [u.resource.id, u.reason]), [['r3', 'ThrottlingException: Rate exceeded']]);
    assert.deepEqual(plan.notPlanned, [{ reason: 'booking delegates WorkMail does not know (deleted or never there)', grants: 1 }]);
    const report = wavesReport(plan, snapshot);
    assert.match(report, /\*\*4\*\* delegations between them \(3 booking delegations of a room or equipment among them\), \*\*0\*\* cut\./);
    assert.match(report, /\*\*Resources whose booking delegates could not be read\*\*[^\n]*\n\n- room3@x\.example \(Room 3\): ThrottlingException: Rate exceeded\n/);
    assert.match(report, /- l@x\.example: 1 booking delegation through it\n/);
    assert.match(report, /- booking delegates WorkMail does not know \(deleted or never there\): 1\n/);

    const split = planWaves(snapshot, { maxSize: 3 });
    const cutBooking = split.cut.filter((d) => d.route === 'bookingDelegate');
    assert.ok(cutBooking.length > 0, 'a room of four in waves of three cuts a booking delegation');
    const splitReport = wavesReport(split, snapshot);
    for (const d of cutBooking) {
      const through = d.granteeId === d.delegateId ? 'direct' : 'group desk@x\\.example';
      assert.match(splitReport, new RegExp(`\\| room1@x\\.example \\(Room 1\\) \\| ${d.mailboxWave} \\| ${d.delegateId}@x\\.example \\| ${d.delegateWave} \\| ${through} \\| booking delegate \\|`));
    }
  });

  it('says a snapshot that did not record booking delegates or impersonation roles plans without them', () => {
    const snapshot = snapshotOf([user(1), room(1)], []);
    const plan = planWaves(snapshot);
    assert.equal(plan.bookingDelegatesNotRecorded, 'not recorded (snapshot version 1)');
    assert.equal(plan.applicationsNotRead, 'not recorded (snapshot version 1)');
    const report = wavesReport(plan, snapshot);
    assert.match(report, /\*\*Booking delegates not recorded \(snapshot version 1\)\*\*: a room or equipment may be planned apart from the delegates who answer its requests\./);
    assert.match(report, /## Applications \(impersonation roles\)\n\nImpersonation roles not recorded \(snapshot version 1\): which applications reach these mailboxes is unknown\./);
    assert.doesNotMatch(report, /Nothing: every grant and booking delegation/);

    const unreadRoles = planWaves(withRoutes([user(1)], [], { impersonationRoles: undefined, impersonationRolesUnreadable: 'AccessDeniedException: no' }));
    assert.equal(unreadRoles.applicationsNotRead, 'AccessDeniedException: no');
    assert.equal(unreadRoles.bookingDelegatesNotRecorded, undefined);
  });

  it('notes the waves each application reaches, never moving a mailbox for it, in the report and the CSV', () => {
    const entities: SnapshotEntity[] = [...[1, 2, 3, 4, 5, 6].map(user), { ...user(7), state: 'DISABLED' }, { id: 'u8', kind: 'user', state: 'ENABLED', userRole: 'USER', name: 'noaddress' }];
    const grants = [grant(1, 'u2'), grant(3, 'u4')];
    const roles = [
      {
        id: 'role-crm',
        name: 'CRM sync',
        type: 'FULL_ACCESS' as const,
        rules: [
          { id: 'a', effect: 'ALLOW' as const, targetUsers: ['u1', 'U3@X.EXAMPLE', 'noaddress', 'u7', 'gone@x.example'] },
          { id: 'd', effect: 'DENY' as const, targetUsers: ['u2'] },
        ],
      },
      { id: 'role-archive', name: 'Archiver', type: 'READ_ONLY' as const, rules: [{ id: 'all', effect: 'ALLOW' as const, notTargetUsers: ['u5'] }] },
      { id: 'role-locked', name: 'Locked app', type: 'FULL_ACCESS' as const, rulesUnreadable: 'AccessDeniedException: no' },
    ];
    const snapshot = withRoutes(entities, grants, { impersonationRoles: roles });
    const plan = planWaves(snapshot);
    assert.deepEqual(plan.waves.map((w) => w.mailboxes.map((m) => m.id)), [['u1', 'u2'], ['u3', 'u4'], ['u5', 'u6', 'u7']], 'the same waves as without any role');
    assert.deepEqual(plan.waves, planWaves(withRoutes(entities, grants, {})).waves);
    assert.deepEqual(
      plan.applications.map((a) => [a.name, a.waves, a.mailboxIds, a.outsidePlan, a.unknownTargets]),
      [
        ['Archiver', [1, 2, 3], ['u1', 'u2', 'u3', 'u4', 'u6'], 1, []],
        ['CRM sync', [1, 2], ['u1', 'u3'], 1, ['gone@x.example']],
        ['Locked app', [], [], 0, []],
      ],
      'by name; a disabled user is acted as by no role, a user without an address is outside the plan',
    );
    const report = wavesReport(plan, snapshot);
    assert.match(report, /- the application \*\*CRM sync\*\* \(full access\) reaches mailboxes in waves 1 and 2 \(2 mailboxes\); it also acts as 1 user whose mailbox the plan does not move; its rules name "gone@x\.example", no user of the snapshot\.\n {2}- wave 1: u1@x\.example\n {2}- wave 2: u3@x\.example\n/);
    assert.match(report, /- the application \*\*Archiver\*\* \(read only\) reaches mailboxes in waves 1, 2 and 3 \(5 mailboxes\)/);
    assert.match(report, /- the application \*\*Locked app\*\* \(full access\) reaches mailboxes that are unknown; its rules could not be read \(AccessDeniedException: no\)\./);
    assert.match(report, /\*\*0\*\* cut/);
    const rows = parse(wavesCsv(plan), { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.mailbox_id, r.applications])), { u1: 'Archiver; CRM sync', u2: 'Archiver', u3: 'Archiver; CRM sync', u4: 'Archiver', u5: '', u6: 'Archiver', u7: '' });
  });

  it('refuses a maximum that is not a whole number of at least 1', () => {
    assert.throws(() => planWaves(sampleSnapshot(), { maxSize: 0 }), /at least 1, not 0/);
    assert.throws(() => planWaves(sampleSnapshot(), { maxSize: 2.5 }), /not 2\.5/);
  });

  it('writes a CSV that readWaves reads back, and a report naming every cut delegation with its reason', async () => {
    const entities = [...Array.from({ length: 6 }, (_, i) => user(i + 1)), { ...user(7), displayName: '*bold* | pipe' }];
    const grants = [grant(1, 'u2'), grant(2, 'u3'), grant(3, 'u4'), grant(4, 'u5'), grant(5, 'u6', ['SEND_ON_BEHALF']), grant(6, 'u7')];
    const snapshot = snapshotOf(entities, grants);
    const plan = planWaves(snapshot, { maxSize: 3 });
    const csv = wavesCsv(plan);
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(Object.keys(rows[0]!), ['wave', 'mailbox_id', 'mailbox_address', 'display_name', 'kind', 'state', 'delegations', 'cut_delegations', 'applications']);
    assert.equal(rows.length, 7);
    assert.equal(rows.reduce((sum, r) => sum + Number(r.cut_delegations), 0), plan.cut.length * 2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-waves-'));
    try {
      const file = path.join(dir, 'waves.csv');
      fs.writeFileSync(file, csv);
      const read = await readWaves(file);
      assert.deepEqual([...read.keys()], plan.waves.map((w) => w.number));
      for (const wave of plan.waves) assert.deepEqual([...read.get(wave.number)!].sort(), wave.mailboxes.map((m) => m.id));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const report = wavesReport(plan, snapshot);
    assert.match(report, /^# Migration waves: acme\n/);
    assert.match(report, new RegExp(`\\*\\*${plan.waves.length}\\*\\* waves, \\*\\*7\\*\\* mailboxes, \\*\\*6\\*\\* delegations between them, \\*\\*${plan.cut.length}\\*\\* cut\\. At most 3 mailboxes a wave\\.`));
    assert.ok(plan.cut.length >= 2, 'a chain of 7 in waves of 3 is cut at least twice');
    for (const d of plan.cut) {
      assert.ok(report.includes(`| ${d.mailboxId}@x.example | ${d.mailboxWave} | ${d.delegateId}@x.example`), `cut ${d.mailboxId} → ${d.delegateId} is listed`);
    }
    assert.match(report, /size limit 3: a linked group of 7 mailboxes was split/);
    assert.ok(report.includes('\\*bold\\* \\| pipe'), 'names are inert in the report');
  });

  it('reads edited waves files and names line and column when one is wrong', () => {
    const waves = parseWaves('\ufeffWave,Mailbox_ID,note\r\n2,u1,"a, b"\r\n1,u2,\r\n\r\n2,u3,\r\n', 'w.csv');
    assert.deepEqual([...waves].map(([n, ids]) => [n, [...ids]]), [[1, ['u2']], [2, ['u1', 'u3']]]);
    assert.throws(() => parseWaves('wave,mailbox_id\nfirst,u1\n', 'w.csv'), /^WorkMailError: w\.csv line 2, column 1: "first" is not a wave number \(1, 2, \.\.\.\)\. Fix the file/);
    assert.throws(() => parseWaves('wave,mailbox_id\n1,u1\n2,u1\n', 'w.csv'), /w\.csv line 3, column 2: u1 is in a wave twice \(also on line 2\)/);
    assert.throws(() => parseWaves('mailbox,wave\n', 'w.csv'), /w\.csv line 1: the header row needs the columns wave and mailbox_id \(found: mailbox, wave\)/);
    assert.throws(() => parseWaves('wave,mailbox_id\n1,\n', 'w.csv'), /line 2, column 2: the mailbox_id is empty/);
  });

  it('plans a large organization within the size, cutting less than half of its delegations', () => {
    const n = 3000;
    const entities = Array.from({ length: n }, (_, i) => user(i));
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pairs = new Set<string>();
    const grants: SnapshotGrant[] = [];
    for (let i = 0; i < 6000; i++) {
      const a = Math.floor(random() * n);
      const team = Math.floor(a / 40) * 40;
      const b = random() < 0.9 ? team + Math.floor(random() * 40) : Math.floor(random() * n);
      if (a !== b && b < n && !pairs.has(`${a}|${b}`)) {
        pairs.add(`${a}|${b}`);
        grants.push(grant(a, `u${b}`));
      }
    }
    const plan = planWaves(snapshotOf(entities, grants), { maxSize: 100 });
    assert.ok(plan.waves.every((w) => w.mailboxes.length <= 100));
    assert.ok(plan.cut.length < grants.length * 0.5, `cut ${plan.cut.length} of ${grants.length}`);
  });
});
