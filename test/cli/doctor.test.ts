// `workmail-permissions doctor` against the emulator in each variant: read only, and it reports the
// variant the emulator runs for every behaviour a read can tell.
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../emulator/index';
import { ACME, BOB, SALES, seedWithMailboxlessUser } from '../workmail/fixture';
import { cli } from './support';

/** With a user that has no mailbox and a group holding Full access, so every readable variant shows. */
const doctorSeed = () => seedWithMailboxlessUser([{ mailbox: BOB, grantee: SALES, rights: ['FULL_ACCESS'] }]);
const doctor = (args: string[]) => cli(['doctor', ...args]);

describe('workmail-permissions doctor', function () {
  this.timeout(60_000);
  let emu: Emulator;

  before(async () => {
    emu = await startEmulator({ port: 0, seed: doctorSeed() });
  });
  after(async () => {
    await emu.stop();
  });

  for (const [mailboxless, describeGroup, granteeIdForm, directoryLag, filterCase] of [
    ['lists', 'not-found', 'as-stored', 'none', 'insensitive'],
    ['entity-state-error', 'invalid-parameter', 'as-given', 'lagging', 'sensitive'],
  ] as const) {
    it(`reports mailboxless-list=${mailboxless}, describe-user-of-group=${describeGroup}, list-filter-case=${filterCase} and grantee-id-form=${granteeIdForm} (when it can tell) with directory-lag=${directoryLag}, and writes nothing`, async () => {
      emu.reset();
      emu.setVariants({ 'mailboxless-list': mailboxless, 'describe-user-of-group': describeGroup, 'grantee-id-form': granteeIdForm, 'directory-lag': directoryLag, 'list-filter-case': filterCase });
      // Another administrator gave Ana Send as on Bob's mailbox by her user name.
      emu.putGrantDirect(ACME.organizationId, BOB, 'ana', ['SEND_AS']);
      emu.clearCalls();
      const result = await doctor(['--profile', 'emulator', '--endpoint', emu.url, '--organization', 'acme', '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as { variants: Record<string, string>; checks: Array<{ name: string; outcome: string }> };
      assert.deepEqual(report.variants, {
        'mailboxless-list': mailboxless,
        'describe-user-of-group': describeGroup,
        'list-filter-case': filterCase,
        'group-grantee-full-access': 'allowed',
        // Grantees listed by ID only could be either: as-stored is never claimed.
        ...(granteeIdForm === 'as-given' ? { 'grantee-id-form': 'as-given' } : {}),
      });
      const outcome = (name: string) => report.checks.find((c) => c.name === name)?.outcome;
      assert.equal(outcome('credentials'), 'ok');
      assert.equal(outcome('deleting a grant to an orphaned ID'), 'not-checked');
      assert.equal(outcome('grantee ID form in permissions'), granteeIdForm === 'as-given' ? 'ok' : 'not-checked');
      assert.equal(outcome('directory changes becoming visible'), 'not-checked', 'a read cannot tell');
      assert.ok(!emu.calls().some((c) => c.operation === 'PutMailboxPermissions' || c.operation === 'DeleteMailboxPermissions'), 'read only');
    });
  }

  it('prints a readable report on the terminal, naming the regions that answer and the account', async () => {
    emu.setVariants({});
    const result = await doctor(['--profile', 'emulator', '--endpoint', emu.url]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^region us-east-1 +ok +answers; 2 organizations: acme \(Active\), acme-paused \(Inactive\)/m);
    assert.match(result.stdout, /^account +ok +111111111111/m);
    assert.match(result.stdout, /Emulator variants this service matched: mailboxless-list=lists, describe-user-of-group=not-found, list-filter-case=insensitive, group-grantee-full-access=allowed/);
  });
});
