// Change-file lines about booking delegates (delegate, undelegate), parsed, planned and applied
// against the emulator's sample organization with the real SDK: the plan names the exact call,
// a line already so makes none, an undelegate that would leave a resource that does not accept
// requests automatically without any delegate is refused in the plan (nobody to ask), and a
// delegation changed by someone else since the plan refuses its line.
import assert from 'node:assert/strict';
import { readSeedFile } from '../../../emulator/seed';
import { EMULATOR_CREDENTIALS, SAMPLE_ORGS, startEmulator } from '../../../emulator/index';
import { applyPlan } from '../../../src/workmail/changes/apply';
import { ChangeFileError, parseChangeFile } from '../../../src/workmail/changes/changeFile';
import { planChanges, planLines, type ChangePlan } from '../../../src/workmail/changes/plan';
import { PermissionWriter } from '../../../src/workmail/permissions';
import { WorkMailSession } from '../../../src/workmail/session';
import { tempPendingStore } from '../fixture';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const acme = { organizationId: SAMPLE_ORGS.acme, region: 'us-east-1' };
const sample = readSeedFile('emulator/seeds/sample.json');
const acmeSeed = sample.accounts[0]!.organizations!.find((org) => org.alias === 'acme')!;
const idOf = (name: string): string => [...(acmeSeed.users ?? []), ...(acmeSeed.groups ?? []), ...(acmeSeed.resources ?? [])].find((e) => e.name === name)!.id;

describe('change files: booking delegate lines', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let session: WorkMailSession;
  let writer: PermissionWriter;
  const delegatesOf = (resource: string): string[] => (emu.booking(acme.organizationId).find((info) => info.resourceId === idOf(resource))?.delegates ?? []).map((d) => d.id).sort();
  const plan = (text: string, file = 'changes.csv'): Promise<ChangePlan> =>
    planChanges(session, parseChangeFile(text, file), {
      organization: 'acme',
      regions: ['us-east-1'],
      readRights: (org, m, g, s, route) => writer.readRights(org, m, g, s, route),
      delegatesBeingRemoved: (org, resourceId, ids) => writer.delegatesBeingRemoved(org, resourceId, ids),
    });

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.setFaults({});
    session = new WorkMailSession({ endpoint: emu.url, credentials: async () => EMULATOR_CREDENTIALS.default, maxAttempts: 1 });
    writer = new PermissionWriter(session, { store: tempPendingStore(), settleMs: 300, listLagMs: 100 });
    emu.clearCalls();
  });
  afterEach(() => session.dispose());

  it('parses delegate and undelegate in CSV and JSON; a right on such a line is refused with where and why', () => {
    const csv = parseChangeFile('action,mailbox,grantee,rights\ndelegate,room-atlas,umar.farouk,\nundelegate,room-atlas,tara.singh,\n', 'c.csv');
    assert.deepEqual(csv.lines.map((l) => [l.action, l.mailbox, l.grantee, l.rights]), [['delegate', 'room-atlas', 'umar.farouk', []], ['undelegate', 'room-atlas', 'tara.singh', []]]);
    const json = parseChangeFile(JSON.stringify({ organization: 'acme', changes: [{ action: 'delegate', mailbox: 'room-atlas', grantee: 'umar.farouk' }] }), 'c.json');
    assert.equal(json.lines[0]?.action, 'delegate');
    assert.throws(
      () => parseChangeFile('action,mailbox,grantee,rights\ndelegate,room-atlas,umar.farouk,FULL_ACCESS\n', 'c.csv'),
      (err: ChangeFileError) => /line 2, column 4: delegate takes no rights/.test(err.message) && /nothing was read or changed/.test(err.message),
    );
    assert.throws(() => parseChangeFile(JSON.stringify({ changes: [{ action: 'undelegate', mailbox: 'room-atlas', grantee: 'x', rights: ['SEND_AS'] }] }), 'c.json'), /undelegate takes no rights/);
  });

  it('plans the exact call of each line, refuses what cannot be done, and writes nothing', async () => {
    const result = await plan(
      [
        'action,mailbox,grantee,rights',
        'delegate,room-atlas@acme.example.com,umar.farouk,', // Associate
        'delegate,room-atlas,tara.singh,', // already so
        'undelegate,room-atlas,executives,', // Disassociate: tara stays
        'undelegate,room-borealis,umar.farouk,', // the last delegate of a room that waits for one
        'delegate,alice.johnson,umar.farouk,', // not a resource
        'delegate,room-atlas,umar.farouk,', // the same pair again
      ].join('\n'),
    );
    const byLine = new Map(result.lines.map((line) => [line.change.line, line]));
    assert.deepEqual(byLine.get(2)?.call, { operation: 'AssociateDelegateToResource' });
    assert.equal(byLine.get(3)?.status, 'satisfied');
    assert.deepEqual(byLine.get(4)?.call, { operation: 'DisassociateDelegateFromResource' });
    assert.equal(byLine.get(5)?.status, 'refused');
    assert.match(byLine.get(5)?.reason ?? '', /last booking delegate of room-borealis.*does not accept booking requests automatically/);
    assert.equal(byLine.get(6)?.status, 'refused');
    assert.match(byLine.get(6)?.reason ?? '', /no room or equipment "alice.johnson"/);
    assert.match(byLine.get(7)?.reason ?? '', /line 2 already changes/);
    assert.match(planLines(result).join('\n'), /line 2: delegate .*AssociateDelegateToResource/);
    assert.equal(emu.calls().some((call) => /Associate|Disassociate|PutMailbox|DeleteMailbox/.test(call.operation ?? '')), false);
  });

  it('applies the plan: exactly the planned calls, read back; a delegation changed since the plan refuses its line', async () => {
    const planned = await plan(['action,mailbox,grantee,rights', 'delegate,room-atlas,umar.farouk,', 'undelegate,room-atlas,executives,', 'delegate,projector-1,grace.kim,'].join('\n'));
    // Someone else makes grace.kim a delegate of projector-1 between plan and apply.
    await session.writeClient('us-east-1').send(new (await import('@aws-sdk/client-workmail')).AssociateDelegateToResourceCommand({ OrganizationId: acme.organizationId, ResourceId: idOf('projector-1'), EntityId: idOf('grace.kim') }));
    emu.clearCalls();
    const applied = await applyPlan(writer, planned);
    assert.deepEqual(applied.map((line) => [line.line, line.status]), [[2, 'changed'], [3, 'changed'], [4, 'refused']]);
    assert.equal(applied[2]?.errorCode, 'ChangedSincePlan');
    assert.deepEqual(delegatesOf('room-atlas'), [idOf('tara.singh'), idOf('umar.farouk')].sort());
    assert.deepEqual(
      emu.calls().flatMap((call) => (/Associate|Disassociate/.test(call.operation ?? '') ? [call.operation] : [])),
      ['AssociateDelegateToResource', 'DisassociateDelegateFromResource'],
    );
  });

  it('two undelegate lines that together empty a room that waits for a delegate: the plan refuses the second, naming the first', async () => {
    // room-atlas waits for a delegate once its automatic acceptance is off.
    emu.setVariants({});
    const { AssociateDelegateToResourceCommand, UpdateResourceCommand } = await import('@aws-sdk/client-workmail');
    await session.writeClient('us-east-1').send(new UpdateResourceCommand({ OrganizationId: acme.organizationId, ResourceId: idOf('room-atlas'), BookingOptions: { AutoAcceptRequests: false } }));
    // Two users who answer its requests (the group executives does not count: attendance.ts).
    await session.writeClient('us-east-1').send(new AssociateDelegateToResourceCommand({ OrganizationId: acme.organizationId, ResourceId: idOf('room-atlas'), EntityId: idOf('umar.farouk') }));
    const planned = await plan(['action,mailbox,grantee,rights', 'undelegate,room-atlas,umar.farouk,', 'undelegate,room-atlas,tara.singh,'].join('\n'));
    assert.deepEqual(planned.lines.map((line) => line.status), ['write', 'refused'], 'each line alone leaves another delegate, both together none');
    assert.match(planned.lines[1]!.reason ?? '', /last booking delegate of room-atlas.*line 2 of this file removes the other delegates/);
    emu.clearCalls();
    const applied = await applyPlan(writer, planned);
    assert.deepEqual(applied.map((line) => line.status), ['changed', 'refused']);
    assert.deepEqual(delegatesOf('room-atlas'), [idOf('executives'), idOf('tara.singh')].sort());
    assert.deepEqual(emu.calls().flatMap((call) => (/Associate|Disassociate/.test(call.operation ?? '') ? [call.operation] : [])), ['DisassociateDelegateFromResource']);
  });

  it('a delegate that does not certainly answer requests does not count: a disabled user, a group (undocumented whether its members get them)', async () => {
    const { AssociateDelegateToResourceCommand } = await import('@aws-sdk/client-workmail');
    const client = session.writeClient('us-east-1');
    const associate = (entity: string) => client.send(new AssociateDelegateToResourceCommand({ OrganizationId: acme.organizationId, ResourceId: idOf('room-borealis'), EntityId: entity }));
    for (const entity of [idOf('tara.singh'), idOf('helpdesk')]) await associate(entity);
    // Listed by ListResourceDelegates all the same, with nobody certainly behind them to answer.
    emu.setEntityState(acme.organizationId, idOf('tara.singh'), 'DISABLED');
    const undelegateUmar = ['action,mailbox,grantee,rights', 'undelegate,room-borealis,umar.farouk,'].join('\n');
    const planned = await plan(undelegateUmar);
    assert.equal(planned.lines[0]!.status, 'refused');
    assert.match(planned.lines[0]!.reason ?? '', new RegExp(`last booking delegate of room-borealis who can answer its requests \\(the others are tara\\.singh \\(disabled\\), ${idOf('helpdesk')} \\(a group: WorkMail does not document that its members receive the requests\\)\\)`));
    // An enabled user is enough.
    await associate(idOf('grace.kim'));
    assert.equal((await plan(undelegateUmar)).lines[0]!.status, 'write');
  });
  it('a plan counts a removal of another delegate that may still land, as apply does; a line whose answer was lost is held, and says until when', async () => {
    const { AssociateDelegateToResourceCommand } = await import('@aws-sdk/client-workmail');
    await session.writeClient('us-east-1').send(new AssociateDelegateToResourceCommand({ OrganizationId: acme.organizationId, ResourceId: idOf('room-borealis'), EntityId: idOf('grace.kim') }));
    // umar's removal is lost before WorkMail acts: listed still, but it may yet arrive.
    emu.setFaults({ rules: [{ operation: 'DisassociateDelegateFromResource', resetConnection: true, times: 1 }] });
    const first = await applyPlan(writer, await plan(['action,mailbox,grantee,rights', 'undelegate,room-borealis,umar.farouk,'].join('\n')));
    emu.setFaults({});
    assert.equal(first[0]!.errorCode, 'InDoubt');
    const planned = await plan(['action,mailbox,grantee,rights', 'undelegate,room-borealis,grace.kim,'].join('\n'));
    assert.equal(planned.lines[0]!.status, 'refused');
    assert.match(planned.lines[0]!.reason ?? '', /the other is \S+ \(being removed\)/);

    // On another resource, an answer lost after WorkMail acted: changed, and held until a time.
    emu.setFaults({ rules: [{ operation: 'AssociateDelegateToResource', resetConnection: 'after', times: 1 }] });
    const held = await applyPlan(writer, await plan(['action,mailbox,grantee,rights', 'delegate,room-atlas,grace.kim,'].join('\n')));
    emu.setFaults({});
    assert.equal(held[0]!.status, 'changed');
    assert.ok(held[0]!.heldUntil && Date.parse(held[0]!.heldUntil) > Date.now(), `held until a time to come: ${held[0]!.heldUntil}`);
  });
});
