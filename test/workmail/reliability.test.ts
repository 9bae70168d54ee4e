// PermissionWriter when the write itself fails without a definite answer (real SDK, emulator):
// the read-back decides whether the change landed, and the error says which. One SDK attempt per
// call, so each fault hits exactly the call it names.
import assert from 'node:assert/strict';
import path from 'node:path';
import { EMULATOR_CREDENTIALS, SAMPLE_ORGS, startEmulator, type Emulator } from '../../emulator';
import { WorkMailError } from '../../src/workmail/errors';
import { PermissionWriter } from '../../src/workmail/permissions';
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
  let liam: string;
  let keiko: string;

  const truth = (): Right[] => [...(emu.grants(ACME.organizationId).find((g) => g.mailboxId === liam && g.granteeId === keiko)?.rights ?? [])].sort() as Right[];

  before(async () => {
    emu = await startEmulator();
    const session = new WorkMailSession({ endpoint: emu.url, credentials: async () => EMULATOR_CREDENTIALS.default, maxAttempts: 1, requestTimeoutMs: 2_000 });
    writer = new PermissionWriter(session);
    liam = (await session.findEntity(ACME, 'liam.obrien'))!.id;
    keiko = (await session.findEntity(ACME, 'keiko.tanaka'))!.id;
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.setFaults({});
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

  it('the Put never arrived: the error says nothing was changed', async () => {
    await log.check(
      { area: 'faults', name: 'Put connection reset (writer)', action: 'PermissionWriter.apply grant Send as, 1 SDK attempt', fault: 'PutMailboxPermissions connection destroyed before WorkMail acts', expected: 'an error saying nothing was changed and what WorkMail still lists; rights = before' },
      async () => {
        emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', resetConnection: true, times: 1 }] });
        const err = await grantSendAs().then(
          () => assert.fail('the write failed'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof WorkMailError);
        assert.match(err.message, /Nothing was changed: WorkMail still lists Full access for/);
        assert.deepEqual(truth(), ['FULL_ACCESS']);
        return `"${err.message}"`;
      },
    );
  });

  it('the Put and the read-back both fail: the error says it is not known', async () => {
    await log.check(
      { area: 'faults', name: 'Put and read-back lost (writer)', action: 'PermissionWriter.apply grant Send as, 1 SDK attempt', fault: 'the Put answers 500, then the verifying ListMailboxPermissions connection is destroyed', expected: 'an error saying it is not known whether the change was written, and to refresh before retrying' },
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
        assert.ok(err instanceof WorkMailError);
        assert.match(err.message, /It is not known whether the change was written/);
        assert.deepEqual(truth(), ['FULL_ACCESS'], 'never fewer rights');
        return `"${err.message.slice(0, 200)}"`;
      },
    );
  });

  it('a throttled Put is known not to have happened', async () => {
    await log.check(
      { area: 'faults', name: 'Put throttled (writer)', action: 'PermissionWriter.apply grant Send as, 1 SDK attempt', fault: 'PutMailboxPermissions answers ThrottlingException', expected: 'an error saying nothing was changed, without a read-back' },
      async () => {
        emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', error: 'ThrottlingException', times: 1 }] });
        emu.clearCalls();
        const err = await grantSendAs().then(
          () => assert.fail('the write failed'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof WorkMailError);
        assert.equal(err.code, 'ThrottlingException');
        assert.match(err.message, /Nothing was changed\.$/);
        assert.deepEqual(emu.calls().map((c) => c.operation), ['ListMailboxPermissions', 'PutMailboxPermissions'], 'no read-back needed');
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
});
