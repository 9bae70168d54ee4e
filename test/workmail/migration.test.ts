import assert from 'node:assert/strict';
import path from 'node:path';
import { readSeedFile } from '../../emulator/seed';
import { commentText, gamDelegatesCsv, planMigration, powerShellString, renderMigrationScript, type MigrationOptions } from '../../src/workmail/migration';
import { collectScan, type ScanSnapshot } from '../../src/workmail/scan';
import { AUDIT_ORG, FIXTURE_ORG, auditWorld, expectGolden, startWorld, type Running } from './auditWorld';

const GENERATED_AT = new Date('2026-03-02T14:02:00Z');

describe('migration scripts of the fixture organization (golden files)', function () {
  this.timeout(30_000);
  let running: Running;
  let snapshot: ScanSnapshot;
  const base = { organization: FIXTURE_ORG, generatedAt: GENERATED_AT };

  before(async () => {
    running = await startWorld(readSeedFile(path.join(__dirname, '..', 'fixtures', 'audit-seed.json')));
    snapshot = await collectScan(running.session, FIXTURE_ORG);
  });
  after(async () => {
    await running.stop();
  });

  it('Exchange Online script matches the golden file', async () => {
    const plan = await planMigration(snapshot.grants, { ...base, target: 'exchange' });
    expectGolden('fixture.exchange.ps1', await renderMigrationScript(plan));
  });

  it('Exchange Online script with auto-mapping, disabled entities and security groups matches the golden file', async () => {
    const plan = await planMigration(snapshot.grants, { ...base, target: 'exchange', autoMapping: true, includeDisabled: true, groupGrantees: 'security-group' });
    expectGolden('fixture.exchange-automapping.ps1', await renderMigrationScript(plan));
  });

  it('GAM batch file and delegate CSV match the golden files', async () => {
    const plan = await planMigration(snapshot.grants, { ...base, target: 'gam' });
    expectGolden('fixture.gam.txt', await renderMigrationScript(plan));
    expectGolden('fixture.gam.csv', gamDelegatesCsv(plan));
  });

  it('uses the cmdlet each right needs, identities by email address', async () => {
    const plan = await planMigration(snapshot.grants, { ...base, target: 'exchange' });
    const lines = plan.commands.map((c) => c.line);
    assert.ok(lines.includes(`Add-MailboxPermission -Identity 'ana@fixture.example.com' -User 'bob@fixture.example.com' -AccessRights FullAccess -InheritanceType All -AutoMapping $false -WhatIf:$WhatIf`));
    assert.ok(lines.includes(`Add-RecipientPermission -Identity 'ana@fixture.example.com' -Trustee 'bob@fixture.example.com' -AccessRights SendAs -Confirm:$false -WhatIf:$WhatIf`));
    assert.ok(lines.includes(`Set-Mailbox -Identity 'ana@fixture.example.com' -GrantSendOnBehalfTo @{Add='bob@fixture.example.com'} -WhatIf:$WhatIf`));
    assert.ok(lines.includes(`Set-DistributionGroup -Identity 'sales@fixture.example.com' -GrantSendOnBehalfTo @{Add='bob@fixture.example.com'} -WhatIf:$WhatIf`));
  });

  it('lists what it cannot migrate, with the reason, instead of dropping it', async () => {
    const plan = await planMigration(snapshot.grants, { ...base, target: 'exchange' });
    const reasonFor = (granteeId: string, right: string) => plan.notMigrated.find((n) => n.granteeId === granteeId && n.right === right)?.reason ?? '';
    assert.match(reasonFor('00000000-0000-4000-8000-00000000000c', 'SEND_AS'), /disabled/);
    assert.match(reasonFor('00000000-0000-4000-8000-00000000000d', 'FULL_ACCESS'), /deleted/);
    assert.match(reasonFor('99999999-0000-4000-8000-000000000999', 'SEND_ON_BEHALF'), /not in the WorkMail directory/);
    assert.match(reasonFor('00000000-0000-4000-8000-00000000000f', 'SEND_AS'), /no email address/);
    assert.match(reasonFor('S-1-1-12-2000000000-000000000-000000000-0001', 'SEND_AS'), /mail-enabled security group/);
    const gam = await planMigration(snapshot.grants, { ...base, target: 'gam' });
    const gamReason = (mailboxId: string, granteeId: string, right: string) =>
      gam.notMigrated.find((n) => n.mailbox.id === mailboxId && n.granteeId === granteeId && n.right === right)?.reason ?? '';
    assert.match(gamReason('00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b', 'SEND_AS'), /no "send as another person" right/);
    assert.match(gamReason('00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-000000000010', 'SEND_ON_BEHALF'), /no send-only delegation/);
    assert.match(gamReason('r-a0000000000000000000000000000001', '00000000-0000-4000-8000-00000000000a', 'FULL_ACCESS'), /rooms and equipment/);
    const widened = gam.commands.find((c) => c.record.mailbox.id === '00000000-0000-4000-8000-00000000000b' && c.record.granteeId === '00000000-0000-4000-8000-00000000000a');
    assert.match(widened?.note ?? '', /also send on behalf/, 'FULL_ACCESS alone becomes a delegate that can also send: said, not hidden');
  });
});

describe('migration scripts of a large organization', function () {
  this.timeout(60_000);
  const world = auditWorld();
  let running: Running;
  let snapshot: ScanSnapshot;

  before(async () => {
    running = await startWorld(world.seed);
    snapshot = await collectScan(running.session, AUDIT_ORG);
  });
  after(async () => {
    await running.stop();
  });

  for (const target of ['exchange', 'gam'] as const) {
    it(`${target}: every scanned right is either migrated by a traced command or listed as not migrated`, async () => {
      const options: MigrationOptions = { target, organization: AUDIT_ORG, generatedAt: GENERATED_AT };
      const plan = await planMigration(snapshot.grants, options);
      const accounted = new Map<string, number>();
      const key = (mailboxId: string, granteeId: string | undefined, right: string) => `${mailboxId}|${granteeId}|${right}`;
      for (const command of plan.commands) {
        for (const right of command.rights) accounted.set(key(command.record.mailbox.id, command.record.granteeId, right), (accounted.get(key(command.record.mailbox.id, command.record.granteeId, right)) ?? 0) + 1);
      }
      for (const item of plan.notMigrated) accounted.set(key(item.mailbox.id, item.granteeId, item.right!), (accounted.get(key(item.mailbox.id, item.granteeId, item.right!)) ?? 0) + 1);
      const expected = running.emu.grants(AUDIT_ORG.organizationId).flatMap((g) => g.rights.map((r) => key(g.mailboxId, g.granteeId, r)));
      assert.deepEqual([...accounted.keys()].sort(), expected.sort());
      assert.ok([...accounted.values()].every((n) => n === 1), 'each right accounted for exactly once');
      const script = await renderMigrationScript(plan);
      const lines = script.split('\n');
      let commands = 0;
      for (let i = 0; i < lines.length; i++) {
        if (lines[i]!.startsWith('#') || lines[i] === '' || /^\[CmdletBinding|^param\(/.test(lines[i]!)) continue;
        commands++;
        const trace = lines.slice(Math.max(0, i - 2), i).find((l) => l.startsWith('# from WorkMail: mailbox='));
        assert.ok(trace, `line ${i + 1} is traced to its grant: ${lines[i]}`);
      }
      assert.equal(commands, plan.commands.length);
      assert.ok(script.includes(`adds ${plan.commands.length} permission`));
      assert.ok(script.includes(`${plan.notMigrated.length} items are NOT migrated`));
    });
  }
});

describe('script quoting (pure)', () => {
  it('doubles every kind of single quote PowerShell recognises', () => {
    assert.equal(powerShellString(`O'Brien`), `'O''Brien'`);
    assert.equal(powerShellString(`a\u2019b`), `'a\u2019\u2019b'`);
    assert.equal(powerShellString(`'; Remove-Item C:\\ -Recurse; '`), `'''; Remove-Item C:\\ -Recurse; '''`);
    assert.equal(powerShellString('$(Get-Secret) `n'), `'$(Get-Secret) \`n'`, 'single quotes do not expand variables or escapes');
  });

  it('keeps comments on one line whatever a name contains', () => {
    assert.equal(commentText('Eve\nRemove-Item -Recurse C:\\'), 'Eve Remove-Item -Recurse C:\\');
    assert.equal(commentText('a\r\u2028b\u0085c'), 'a  b c');
  });

  it('leaves out addresses that are not safe in a script, with the reason', async () => {
    const org = { organizationId: FIXTURE_ORG.organizationId, region: 'us-east-1' };
    const plan = await planMigration(
      [
        {
          type: 'grant',
          org,
          mailbox: { id: 'mb', kind: 'user', email: `evil'@x.example.com`, state: 'ENABLED' },
          granteeId: 'g',
          granteeType: 'USER',
          grantee: { id: 'g', kind: 'user', email: 'ok@x.example.com', state: 'ENABLED' },
          rights: ['SEND_AS'],
        },
      ],
      { target: 'exchange', organization: org, generatedAt: GENERATED_AT },
    );
    assert.equal(plan.commands.length, 0);
    assert.match(plan.notMigrated[0]!.reason, /not safe in a script/);
  });
});
