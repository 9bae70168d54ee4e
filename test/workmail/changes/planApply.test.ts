// Change files planned and applied against the emulator with the real SDK: the plan's calls are
// the calls apply makes, a plan made stale by someone else's change refuses exactly those lines,
// and a long file applied under injected faults ends with every line done or refused with a
// reason and nothing else changed in WorkMail.
import * as assert from 'node:assert/strict';
import { startEmulator } from '../../../emulator/index';
import { applyPlan, type AppliedLine } from '../../../src/workmail/changes/apply';
import { parseChangeFile, type ChangeAction } from '../../../src/workmail/changes/changeFile';
import { planChanges, planCounts, planMarkdown, type ChangePlan } from '../../../src/workmail/changes/plan';
import { PermissionWriter } from '../../../src/workmail/permissions';
import { rightsAfter } from '../../../src/workmail/rights';
import { WorkMailSession } from '../../../src/workmail/session';
import { ALL_RIGHTS, type Right } from '../../../src/workmail/types';
import { ACME, ANA, BOB, DEFAULT_KEYS, paramsOf, seed, staffId, staticCredentials, tempPendingStore, type EmulatorCall } from '../fixture';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const WRITES = ['PutMailboxPermissions', 'DeleteMailboxPermissions'];

describe('change files: plan and apply against the emulator', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let session: WorkMailSession;
  let writer: PermissionWriter;

  const truth = (mailboxId: string, granteeId: string): Right[] =>
    [...(emu.grants(ACME.organizationId).find((g) => g.mailboxId === mailboxId && g.granteeId === granteeId)?.rights ?? [])].sort();
  const writes = (): EmulatorCall[] => (emu.calls() as EmulatorCall[]).filter((call) => WRITES.includes(call.operation ?? '') && call.status === 200);
  const plan = (text: string, file = 'changes.csv', organization: string | undefined = 'acme'): Promise<ChangePlan> =>
    planChanges(session, parseChangeFile(text, file), { organization, readRights: (org, m, g, s) => writer.readRights(org, m, g, s) });

  before(async () => {
    emu = await startEmulator({ port: 0, seed: seed() });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.setFaults({});
    session = new WorkMailSession({ endpoint: emu.url, credentials: staticCredentials(DEFAULT_KEYS), maxAttempts: 1 });
    writer = new PermissionWriter(session, { store: tempPendingStore(), settleMs: 300, listLagMs: 100 });
    emu.clearCalls();
  });
  afterEach(() => session.dispose());

  it('plans each line from the rights WorkMail holds now, refuses what cannot be done, and writes nothing', async () => {
    const result = await plan(
      [
        'action,mailbox,grantee,rights,organization',
        'grant,ana@acme.example.com,bob@acme.example.com,SEND_AS,', // Bob has FULL_ACCESS: Put both
        'grant,ana,bob,FULL_ACCESS,', // the same pair again
        'set,staff01@acme.example.com,staff02,SEND_ON_BEHALF,',
        'revoke,ana@acme.example.com,sales,,', // Delete
        'revoke,staff03,staff04,,', // has nothing: satisfied
        'grant,sales@acme.example.com,ana,FULL_ACCESS,', // Full access on a group
        'grant,ana,carol,SEND_AS,', // disabled grantee
        'grant,ana,nobody@acme.example.com,SEND_AS,',
        'grant,ana,boardroom,SEND_AS,', // a resource is no grantee
        'grant,ana,ana,SEND_AS,',
        'grant,eu-user,ana,SEND_AS,acme-paused',
        'grant,ana,bob,SEND_AS,no-such-org',
      ].join('\n'),
    );
    const byLine = new Map(result.lines.map((line) => [line.change.line, line]));
    assert.deepEqual(byLine.get(2)?.call, { operation: 'PutMailboxPermissions', rights: ['FULL_ACCESS', 'SEND_AS'] });
    assert.deepEqual(byLine.get(2)?.before, ['FULL_ACCESS']);
    assert.match(byLine.get(3)?.reason ?? '', /line 2 already changes Bob Jones on Ana Silva/);
    assert.deepEqual(byLine.get(4)?.call, { operation: 'PutMailboxPermissions', rights: ['SEND_ON_BEHALF'] });
    assert.deepEqual(byLine.get(5)?.call, { operation: 'DeleteMailboxPermissions' });
    assert.equal(byLine.get(6)?.status, 'satisfied');
    assert.match(byLine.get(7)?.reason ?? '', /cannot be given on a group/);
    assert.match(byLine.get(8)?.reason ?? '', /carol@acme\.example\.com|Carol White/);
    assert.match(byLine.get(8)?.reason ?? '', /disabled/);
    assert.match(byLine.get(9)?.reason ?? '', /no user or group "nobody@acme\.example\.com" in acme/);
    assert.match(byLine.get(10)?.reason ?? '', /no user or group "boardroom"/);
    assert.match(byLine.get(11)?.reason ?? '', /is the mailbox itself/);
    assert.match(byLine.get(12)?.reason ?? '', /acme-paused is Inactive/);
    assert.match(byLine.get(13)?.reason ?? '', /no organization "no-such-org"/);
    assert.deepEqual(planCounts(result), { write: 3, satisfied: 1, refused: 8 });
    assert.deepEqual(writes(), [], 'planning writes nothing');
    assert.match(planMarkdown(result), /\| 2 \| grant \| Ana Silva \| Bob Jones \| FULL_ACCESS \| PutMailboxPermissions \[FULL_ACCESS, SEND_AS\] \|/);
  });

  it('apply makes exactly the calls the plan showed, and the emulator holds what each line asked', async () => {
    const text = JSON.stringify({
      organization: 'acme',
      changes: [
        { action: 'grant', mailbox: 'ana@acme.example.com', grantee: 'bob@acme.example.com', rights: ['SEND_AS'] },
        { action: 'revoke', mailbox: 'ana', grantee: 'sales' },
        { action: 'set', mailbox: 'staff05', grantee: 'staff06', rights: ['SEND_AS', 'SEND_ON_BEHALF'] },
        { action: 'revoke', mailbox: 'ana', grantee: 'bob', rights: ['SEND_ON_BEHALF'] },
      ],
    });
    const planned = await plan(text, 'changes.json', undefined);
    // Line 4 names the pair of line 1 again: refused by the plan, never written.
    const expectedCalls = planned.lines.filter((line) => line.call).map((line) => ({ operation: line.call!.operation, EntityId: line.mailbox!.id, GranteeId: line.grantee!.id, ...(line.call!.operation === 'PutMailboxPermissions' ? { PermissionValues: line.call!.rights } : {}) }));
    const results = await applyPlan(writer, planned);
    const made = writes().map((call) => {
      const params = paramsOf(call);
      return { operation: call.operation, EntityId: params['EntityId'], GranteeId: params['GranteeId'], ...(call.operation === 'PutMailboxPermissions' ? { PermissionValues: [...(params['PermissionValues'] as string[])].sort() } : {}) };
    });
    assert.deepEqual(made, expectedCalls);
    assert.deepEqual(results.map((r) => r.status), ['changed', 'changed', 'changed', 'refused']);
    assert.deepEqual(truth(ANA, BOB), ['FULL_ACCESS', 'SEND_AS']);
    assert.deepEqual(truth(staffId(5), staffId(6)), ['SEND_AS', 'SEND_ON_BEHALF']);
  });

  it('a plan made stale by someone else refuses exactly the lines that changed, and keeps their change', async () => {
    const planned = await plan('action,mailbox,grantee,rights\ngrant,ana,bob,SEND_AS\ngrant,staff07,staff08,SEND_AS\n');
    // Another administrator, between plan and apply.
    emu.putGrantDirect(ACME.organizationId, ANA, BOB, ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    const results = await applyPlan(writer, planned);
    assert.equal(results[0]?.status, 'refused');
    assert.equal(results[0]?.errorCode, 'ChangedSincePlan');
    assert.match(results[0]?.reason ?? '', /changed since the plan \(planned from Full access, now Full access · Send on behalf\)/);
    assert.deepEqual(truth(ANA, BOB), ['FULL_ACCESS', 'SEND_ON_BEHALF'], 'their change stands');
    assert.equal(results[1]?.status, 'changed');
    assert.deepEqual(truth(staffId(7), staffId(8)), ['SEND_AS']);
  });

  it('500 lines under injected faults: every line done or not done with a reason, nothing else changed', async () => {
    // A deterministic file: 500 distinct staff pairs with every action and right.
    let state = 7;
    const random = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pairs: Array<[number, number]> = [];
    for (let m = 1; m <= 25; m++) {
      for (let g = 1; g <= 25; g++) {
        if (m !== g) {
          pairs.push([m, g]);
        }
      }
    }
    const actions: ChangeAction[] = ['grant', 'set', 'revoke'];
    const rows = pairs.slice(0, 500).map(([m, g]) => {
      const action = actions[Math.floor(random() * 3)]!;
      const rights = ALL_RIGHTS.filter(() => random() < 0.5);
      const chosen = action === 'revoke' || rights.length > 0 ? rights : ['SEND_AS'];
      return `${action},staff${String(m).padStart(2, '0')},staff${String(g).padStart(2, '0')}@acme.example.com,${chosen.join(';')}`;
    });
    // Some pairs hold rights already, so revokes and sets have something to change.
    for (const [m, g] of pairs.slice(0, 500).filter((_, i) => i % 3 === 0)) {
      emu.putGrantDirect(ACME.organizationId, staffId(m), staffId(g), ['SEND_ON_BEHALF']);
    }
    const initial = new Map(emu.grants(ACME.organizationId).map((grant) => [`${grant.mailboxId}/${grant.granteeId}`, [...grant.rights].sort()]));
    const planned = await plan(`action,mailbox,grantee,rights\n${rows.join('\n')}\n`);
    assert.equal(planned.lines.length, 500);
    assert.equal(planCounts(planned).refused, 0, 'a clean plan');

    emu.setFaults({
      failRate: 0.08,
      seed: 42,
      rules: [
        { operation: 'PutMailboxPermissions', resetConnection: 'after', times: 5 },
        { operation: 'DeleteMailboxPermissions', resetConnection: true, times: 3 },
      ],
    });
    const results: AppliedLine[] = await applyPlan(writer, planned);
    emu.setFaults({});

    assert.equal(results.length, 500);
    const touched = new Set<string>();
    results.forEach((result, index) => {
      const line = planned.lines[index]!;
      const key = `${line.mailbox!.id}/${line.grantee!.id}`;
      touched.add(key);
      const now = truth(line.mailbox!.id, line.grantee!.id);
      const before = [...(line.before ?? [])].sort();
      const wanted = [...rightsAfter(line.write ?? { kind: 'set', rights: before }, before)].sort();
      assert.ok(['changed', 'unchanged', 'refused', 'failed'].includes(result.status), `line ${result.line}: ${result.status}`);
      if (result.status === 'changed' || result.status === 'unchanged') {
        assert.deepEqual(now, wanted, `line ${result.line} is done and WorkMail holds what it asked`);
      } else {
        assert.ok(result.reason && result.reason.length > 0, `line ${result.line} says why it was not done`);
        if (result.errorCode === 'InDoubt') {
          assert.ok(JSON.stringify(now) === JSON.stringify(before) || JSON.stringify(now) === JSON.stringify(wanted), `line ${result.line} in doubt holds either side, not a third`);
        } else {
          assert.deepEqual(now, before, `line ${result.line} was not done and WorkMail is as the plan read it (${result.errorCode}: ${result.reason})`);
        }
      }
    });
    assert.ok(results.some((r) => r.status === 'changed'), 'most lines went through');
    assert.ok(results.some((r) => r.status === 'failed'), 'the faults were felt');
    for (const grant of emu.grants(ACME.organizationId)) {
      const key = `${grant.mailboxId}/${grant.granteeId}`;
      if (!touched.has(key)) {
        assert.deepEqual([...grant.rights].sort(), initial.get(key), `${key} is not in the file and did not change`);
      }
    }
  });
});
