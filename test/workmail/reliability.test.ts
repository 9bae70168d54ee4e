// PermissionWriter when the write itself fails without a definite answer (real SDK, emulator):
// the read-back decides whether the change landed, and the error says which. One SDK attempt per
// call, so each fault hits exactly the call it names.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { EMULATOR_CREDENTIALS, SAMPLE_ORGS, startEmulator, type Emulator } from '../../emulator';
import { InDoubtError, WorkMailError } from '../../src/workmail/errors';
import type { PendingWriteStore } from '../../src/workmail/pendingWrites';
import { PermissionWriter } from '../../src/workmail/permissions';
import { tempPendingStore } from './fixture';
import { WorkMailSession } from '../../src/workmail/session';
import type { Right } from '../../src/workmail/types';
import { ReliabilityLog } from '../reliability/record';

const log = new ReliabilityLog(path.resolve(__dirname, '..', '..'), 'node-writer');
after(() => log.render());

const ACME = { organizationId: SAMPLE_ORGS.acme, region: 'us-east-1' } as const;

describe('reliability: a write whose answer is lost is settled by reading back', function () {
  this.timeout(30_000);
  let emu: Emulator;
  let writer: PermissionWriter;
  let store: PendingWriteStore;
  let liam: string;
  let keiko: string;

  const truth = (): Right[] => [...(emu.grants(ACME.organizationId).find((g) => g.mailboxId === liam && g.granteeId === keiko)?.rights ?? [])].sort() as Right[];

  before(async () => {
    emu = await startEmulator();
    const session = new WorkMailSession({ endpoint: emu.url, credentials: async () => EMULATOR_CREDENTIALS.default, maxAttempts: 1, requestTimeoutMs: 2_000 });
    store = tempPendingStore();
    writer = new PermissionWriter(session, { store, settleMs: 300, listLagMs: 100, throttleBackoffMs: 20 });
    liam = (await session.findEntity(ACME, 'liam.obrien'))!.id;
    keiko = (await session.findEntity(ACME, 'keiko.tanaka'))!.id;
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.setFaults({});
    // The emulator was reset: pending writes of the old state would block these changes.
    fs.rmSync(store.directory, { recursive: true, force: true });
  });

  const grantSendAs = () => writer.apply({ org: ACME, mailboxId: liam, mailboxKind: 'user', granteeId: keiko, change: { kind: 'grant', add: ['SEND_AS'] }, expectedBefore: ['FULL_ACCESS'] });

  it('the Put landed but its connection was lost: reported as done', async () => {
    await log.check(
      { area: 'faults', name: 'Put answer lost (writer)', action: 'PermissionWriter.apply grant Send as, 1 SDK attempt', fault: 'PutMailboxPermissions carried out, then the connection destroyed', expected: 'result verified, rights = intended, the lost answer kept as writeError' },
      async () => {
        emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', resetConnection: 'after', times: 1 }] });
        const result = await grantSendAs();
        assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
        assert.equal(result.verified, true);
        assert.deepEqual(result.after, ['FULL_ACCESS', 'SEND_AS']);
        assert.equal(result.writeError?.code, 'NetworkError');
        return `verified, after=${result.after.join('+')}, writeError=${result.writeError?.code}`;
      },
    );
  });

  it('the Put never arrived: the pair is in doubt until the settle window ends, never "nothing was changed"', async () => {
    await log.check(
      { area: 'faults', name: 'Put connection reset (writer)', action: 'PermissionWriter.apply grant Send as, 1 attempt', fault: 'PutMailboxPermissions connection destroyed before WorkMail acts', expected: 'an in-doubt error saying what WorkMail lists and until when the request may still land; the next change waits for that; rights = before' },
      async () => {
        emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', resetConnection: true, times: 1 }] });
        const err = await grantSendAs().then(
          () => assert.fail('the write failed'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof InDoubtError);
        assert.match(err.message, /It is not known whether WorkMail carried out the change .*lists Full access .*may still be carried out until/);
        assert.doesNotMatch(err.message, /Nothing was changed/);
        assert.deepEqual(truth(), ['FULL_ACCESS']);
        emu.clearCalls();
        const refused = await grantSendAs().then(
          () => assert.fail('a change to an in-doubt pair must wait'),
          (e: unknown) => e,
        );
        assert.ok(refused instanceof InDoubtError, String(refused));
        assert.match(refused.message, /Refresh after .* Nothing was changed\.$/);
        assert.ok(!emu.calls().some((c) => c.operation === 'PutMailboxPermissions'), 'nothing written while in doubt');
        await new Promise((resolve) => setTimeout(resolve, 450));
        const after = await grantSendAs();
        assert.equal(after.verified, true);
        assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
        return `"${err.message}"`;
      },
    );
  });

  it('the Put and the read-back both fail: the error says it is not known', async () => {
    await log.check(
      { area: 'faults', name: 'Put and read-back lost (writer)', action: 'PermissionWriter.apply grant Send as, 1 attempt', fault: 'the Put answers 500, then the verifying ListMailboxPermissions connection is destroyed', expected: 'an in-doubt error saying it is not known whether the change was written, and when to look again' },
      async () => {
        emu.setFaults({
          rules: [
            { operation: 'PutMailboxPermissions', error: 'InternalFailure', status: 500, times: 1 },
            // The first List is the writer's own fresh read; the second is the read-back.
            { operation: 'ListMailboxPermissions', delayMs: 1, times: 1 },
            { operation: 'ListMailboxPermissions', resetConnection: true, times: 1 },
          ],
        });
        const err = await grantSendAs().then(
          () => assert.fail('the write failed'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof InDoubtError);
        assert.match(err.message, /It is not known whether WorkMail carried out the change .*reading the permissions back failed too/);
        assert.deepEqual(truth(), ['FULL_ACCESS'], 'never fewer rights');
        return `"${err.message.slice(0, 200)}"`;
      },
    );
  });

  it('a throttled Put was refused unread: it is sent again, and done', async () => {
    await log.check(
      { area: 'faults', name: 'Put throttled once (writer)', action: 'PermissionWriter.apply grant Send as', fault: 'PutMailboxPermissions answers ThrottlingException once', expected: 'sent again after a back-off, verified' },
      async () => {
        emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', error: 'ThrottlingException', times: 1 }] });
        emu.clearCalls();
        const result = await grantSendAs();
        assert.equal(result.verified, true);
        assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
        assert.deepEqual(emu.calls().map((c) => c.operation), ['ListMailboxPermissions', 'PutMailboxPermissions', 'PutMailboxPermissions', 'ListMailboxPermissions']);
        return `verified after ${emu.calls().filter((c) => c.operation === 'PutMailboxPermissions').length} Puts`;
      },
    );
  });

  it('a Put throttled every time is known not to have happened', async () => {
    await log.check(
      { area: 'faults', name: 'Put throttled (writer)', action: 'PermissionWriter.apply grant Send as', fault: 'PutMailboxPermissions answers ThrottlingException every time', expected: 'an error saying nothing was changed, without a read-back' },
      async () => {
        emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', error: 'ThrottlingException' }] });
        emu.clearCalls();
        const err = await grantSendAs().then(
          () => assert.fail('the write failed'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof WorkMailError);
        assert.equal(err.code, 'ThrottlingException');
        assert.match(err.message, /Nothing was changed\.$/);
        assert.deepEqual(emu.calls().map((c) => c.operation), ['ListMailboxPermissions', ...Array(5).fill('PutMailboxPermissions')], 'no read-back needed');
        return `"${err.message}"`;
      },
    );
  });

  it('the emulator refuses an unknown resetConnection mode', async () => {
    await log.check(
      { area: 'faults', name: 'emulator fault settings', action: 'setFaults', fault: "resetConnection: 'sometimes'", expected: 'refused with a message naming the rule' },
      async () => {
        assert.throws(() => emu.setFaults({ rules: [{ resetConnection: 'sometimes' as unknown as boolean }] }), /rules\[0\]\.resetConnection must be true, false or "after"/);
        return 'refused: rules[0].resetConnection must be true, false or "after"';
      },
    );
  });

  it('a Put whose answer was lost is never sent again: settled by reading back', async () => {
    await log.check(
      {
        area: 'faults',
        name: 'Put answer lost, session with 4 SDK attempts (writer)',
        action: 'PermissionWriter.apply grant Send as, a session whose reads retry 4 times',
        fault: 'the first PutMailboxPermissions is carried out but its answer lost; any further Put would be throttled',
        expected: 'exactly one Put sent; reported as done (verified by reading back), never as "nothing was changed"',
      },
      async () => {
        const session = new WorkMailSession({ endpoint: emu.url, credentials: async () => EMULATOR_CREDENTIALS.default, maxAttempts: 4, requestTimeoutMs: 2_000 });
        const retrying = new PermissionWriter(session, { store: tempPendingStore(), settleMs: 300, listLagMs: 100 });
        emu.setFaults({
          rules: [
            { operation: 'PutMailboxPermissions', resetConnection: 'after', times: 1 },
            { operation: 'PutMailboxPermissions', error: 'ThrottlingException' },
          ],
        });
        emu.clearCalls();
        const result = await retrying.apply({ org: ACME, mailboxId: liam, mailboxKind: 'user', granteeId: keiko, change: { kind: 'grant', add: ['SEND_AS'] }, expectedBefore: ['FULL_ACCESS'] });
        assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS']);
        assert.equal(result.verified, true);
        assert.equal(result.writeError?.code, 'NetworkError');
        assert.equal(emu.calls().filter((c) => c.operation === 'PutMailboxPermissions').length, 1, 'no blind re-send of a write');
        session.dispose();
        return `verified, after=${result.after.join('+')}, one Put, its answer lost (${result.writeError?.code})`;
      },
    );
  });

  it('while WorkMail does not list a write yet, a second change is refused instead of undoing the first', async () => {
    await log.check(
      {
        area: 'faults',
        name: 'second grant while the list lags (writer)',
        action: 'grant Send as, then Send on behalf to the same grantee before WorkMail lists the first',
        fault: 'ListMailboxPermissions shows the state from before a write for 1.5 s',
        expected: 'the second change is refused with "try again shortly" and writes nothing; once listed, it keeps both rights',
      },
      async () => {
        emu.setFaults({ consistencyDelayMs: 1_500 });
        const first = await grantSendAs();
        assert.equal(first.verified, false, 'the list still shows the old rights');
        emu.clearCalls();
        const err = await writer
          .apply({ org: ACME, mailboxId: liam, mailboxKind: 'user', granteeId: keiko, change: { kind: 'grant', add: ['SEND_ON_BEHALF'] } })
          .then(
            () => assert.fail('the second change must wait for the list'),
            (e: unknown) => e,
          );
        assert.ok(err instanceof WorkMailError);
        assert.equal(err.code, 'ListLagging');
        assert.match(err.message, /try again shortly/);
        assert.deepEqual(emu.calls().map((c) => c.operation), ['ListMailboxPermissions'], 'nothing written');
        assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS'], 'the first write is intact');

        await new Promise((resolve) => setTimeout(resolve, 1_700));
        const second = await writer.apply({ org: ACME, mailboxId: liam, mailboxKind: 'user', granteeId: keiko, change: { kind: 'grant', add: ['SEND_ON_BEHALF'] } });
        assert.deepEqual(second.before, ['FULL_ACCESS', 'SEND_AS']);
        assert.deepEqual(truth(), ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'], 'both grants kept');
        return `refused while lagging ("${err.code}"), then ${second.requested.join('+')}`;
      },
    );
  });
});

