import assert from 'node:assert/strict';
import path from 'node:path';
import { readSeedFile } from '../../../emulator/seed';
import { collectScan } from '../../../src/workmail/scan';
import {
  commentText,
  planDestination,
  powerShellString,
  renderDestination,
  shellWord,
  unchangedAddresses,
  type DestinationOptions,
  type DestinationPlan,
  type DestinationTarget,
} from '../../../src/workmail/migration/destinations';
import { GMAIL_MAX_DELEGATES, googleCommand } from '../../../src/workmail/migration/destinations/google';
import type { Snapshot } from '../../../src/workmail/migration/schema';
import { AUDIT_ORG, FIXTURE_ORG, auditWorld, expectGolden, startWorld, type Running } from '../auditWorld';
import { snapshotRoutes } from '../../../src/workmail/migration/snapshotRoutes';
import { loadRoutes } from '../../../src/workmail/routes/load';
import {
  domainMapping,
  grant,
  interpretExchange,
  interpretGoogle,
  interpretGrommunio,
  shellWords,
  smallOrg,
  snapshotOf,
  snapshotOfScan,
  testMapping,
  user,
} from './support';

const GENERATED_AT = new Date('2026-03-02T14:02:00Z');
const base: DestinationOptions = { generatedAt: GENERATED_AT };

describe('migration destinations: the fixture organization (golden files)', function () {
  this.timeout(30_000);
  let running: Running;
  let snapshot: Snapshot;

  before(async () => {
    running = await startWorld(readSeedFile(path.join(__dirname, '..', '..', 'fixtures', 'audit-seed.json')));
    // Fixed times, so the golden files do not change with the clock. The other routes as the
    // product reads them (the command line's live migration-script writes the same file).
    const scan = await collectScan(running.session, FIXTURE_ORG);
    const routes = snapshotRoutes(await loadRoutes(running.session.routes, FIXTURE_ORG, scan.directory.resources), scan.directory.resources);
    snapshot = { ...snapshotOfScan(scan, FIXTURE_ORG.alias), routes, startedAt: '2026-03-02T14:01:00.000Z', readAt: '2026-03-02T14:01:30.000Z' };
  });
  after(async () => {
    await running.stop();
  });

  const render = (target: DestinationTarget, options: Partial<DestinationOptions> = {}, format?: 'csv'): string =>
    renderDestination(planDestination(target, snapshot, unchangedAddresses(), { ...base, ...options }), format);

  it('Exchange Online, addresses unchanged', () => {
    expectGolden('fixture.exchange.ps1', render('exchange'));
  });

  it('Exchange Online with auto-mapping, disabled entities, security groups and a -WhatIf default', () => {
    expectGolden('fixture.exchange-automapping.ps1', render('exchange', { autoMapping: true, includeDisabled: true, groupGrantees: 'security-group', whatIf: true }));
  });

  it('Google Workspace (GAM batch)', () => {
    expectGolden('fixture.google.gam.txt', render('google', { googleDomains: ['fixture.example.com'] }));
  });

  it('grommunio', () => {
    expectGolden('fixture.grommunio.sh', render('grommunio'));
  });

  it('Zoho Mail checklist, markdown and CSV', () => {
    expectGolden('fixture.zoho.md', render('zoho'));
    expectGolden('fixture.zoho.csv', render('zoho', {}, 'csv'));
  });

  it('a mapping moves every address, and the script says which it used', () => {
    const mapping = domainMapping(snapshot, 'new.example.org');
    const script = renderDestination(planDestination('exchange', snapshot, mapping, { ...base, mappingSource: 'mapping.csv' }));
    assert.match(script, /^# Addresses: mapped by mapping\.csv/m);
    assert.ok(script.includes(`Add-MailboxPermission -Identity 'ana@new.example.org' -User 'bob@new.example.org'`));
    assert.ok(!/-Identity '[^']*@fixture\.example\.com'/.test(script), 'no WorkMail address is used as a destination');
    assert.match(script, /^# from WorkMail: .*\(ana@fixture\.example\.com .* as ana@new\.example\.org <- bob@new\.example\.org$/m);
    const unchanged = render('exchange');
    assert.match(unchanged, /^# Addresses: unchanged\. No address mapping was given/m);
  });
});

describe('migration destinations (pure)', () => {
  const org = smallOrg();
  const mapping = domainMapping(org, 'new.example.org');
  const plan = (target: DestinationTarget, options: Partial<DestinationOptions> = {}, snapshot: Snapshot = org): DestinationPlan =>
    planDestination(target, snapshot, mapping, { ...base, mappingSource: 'map.csv', ...options });
  const rightsOf = (p: DestinationPlan): string[] =>
    [
      ...p.delegations.flatMap((d) => d.carries.map((r) => `${d.grant.mailboxId}|${d.grant.granteeId}|${r}`)),
      ...p.notCarried.map((n) => `${n.mailboxId}|${n.granteeId}|${n.right}`),
    ].sort();
  const every = org.grants.flatMap((g) => g.rights.map((r) => `${g.mailboxId}|${g.granteeId}|${r}`)).sort();

  for (const target of ['exchange', 'google', 'grommunio', 'zoho'] as const) {
    it(`${target}: every right of every grant is carried once or listed with a reason`, () => {
      const p = plan(target);
      assert.deepEqual(rightsOf(p), every);
      assert.ok(p.notCarried.every((n) => n.reason.length > 10));
    });
  }

  it('an entity without a mapping row is not mappable, never guessed', () => {
    const partial = testMapping({ 'ana@old.example.com': 'ana@new.example.org', 'u-bob': 'robert@new.example.org' });
    const p = planDestination('exchange', org, partial, { ...base, mappingSource: 'map.csv' });
    assert.deepEqual(
      p.delegations.map((d) => `${d.mailboxAddress}<-${d.granteeAddress}:${d.right}`),
      ['ana@new.example.org<-robert@new.example.org:FullAccess', 'ana@new.example.org<-robert@new.example.org:SendAs', 'ana@new.example.org<-robert@new.example.org:SendOnBehalf', 'robert@new.example.org<-ana@new.example.org:FullAccess'],
    );
    const unmapped = p.notCarried.filter((n) => n.kind === 'not-mappable');
    assert.equal(unmapped.length, every.length - 4);
    assert.ok(unmapped.every((n) => /no destination address for the (mailbox|grantee) in the address mapping/.test(n.reason)));
  });

  it('a wave carries only its mailboxes, and says when a grantee is elsewhere', () => {
    const p = plan('exchange', { mailboxIds: new Set(['u-ana', 'room@old.example.com']), wave: 2 });
    assert.deepEqual([...new Set(p.delegations.map((d) => d.grant.mailboxId))].sort(), ['r-room', 'u-ana']);
    assert.ok(p.delegations.filter((d) => d.grant.granteeId === 'u-bob').every((d) => /not in this wave/.test(d.note ?? '')));
    const script = renderDestination(p);
    assert.match(script, /^# Wave: 2: only grants on this wave's 2 mailboxes\.$/m);
    assert.deepEqual(
      interpretExchange(script).map((a) => a.owner).filter((v, i, all) => all.indexOf(v) === i),
      ['ana@new.example.org', 'room@new.example.org'],
    );
  });

  it('Exchange: -WhatIf is forwarded to every cmdlet, and the dry-run option makes it the default', () => {
    const script = renderDestination(plan('exchange', { whatIf: true }));
    assert.match(script, /^param\(\[switch\]\$WhatIf = \$true\)$/m);
    const commands = script.split('\n').filter((l) => /^(Add-|Set-)/.test(l));
    assert.ok(commands.length > 0 && commands.every((l) => l.endsWith('-WhatIf:$WhatIf')));
    assert.match(renderDestination(plan('exchange')), /^param\(\[switch\]\$WhatIf\)$/m);
  });

  it('Exchange: the script ends with the read-back of the four exports verification reads', () => {
    const script = renderDestination(plan('exchange'));
    const tail = script.slice(script.indexOf('# ---- Read-back'));
    for (const cmdlet of ['Get-EXOMailboxPermission', 'Get-EXORecipientPermission', 'Get-EXOMailbox -Identity $m -Properties GrantSendOnBehalfTo', 'Get-DistributionGroup', 'Get-EXORecipient -ResultSize Unlimited']) {
      assert.ok(tail.includes(cmdlet), cmdlet);
    }
    assert.ok(script.indexOf('---- Not migrated') < script.indexOf('---- Read-back'));
    assert.match(tail, /\$WorkMailGroups = @\(\n {2}'sales@new\.example\.org'\n\)/);
  });

  it('Google: SEND_ON_BEHALF alone is not migrated unless the person chooses delegation', () => {
    const skipped = plan('google');
    assert.match(skipped.notCarried.find((n) => n.mailboxId === 'u-ana' && n.granteeId === 'u-cy')?.reason ?? '', /no send-only delegation/);
    const chosen = plan('google', { sendOnBehalf: 'delegate' });
    const delegate = chosen.delegations.find((d) => d.grant.mailboxId === 'u-ana' && d.grant.granteeId === 'u-cy');
    assert.equal(delegate?.right, 'delegate');
    assert.match(delegate?.note ?? '', /also read/);
  });

  it('Google: FULL_ACCESS with SEND_ON_BEHALF is one delegate; SEND_AS is a send-as address on the grantee with the caveat', () => {
    const p = plan('google', { googleDomains: ['new.example.org'] });
    const script = renderDestination(p);
    assert.ok(script.includes('gam user ana@new.example.org add delegate bob@new.example.org'));
    assert.ok(script.includes(`gam user bob@new.example.org add sendas ana@new.example.org name 'Ana O'\\''Neil' treatasalias false`));
    assert.deepEqual(shellWords(`gam user bob@new.example.org add sendas ana@new.example.org name 'Ana O'\\''Neil' treatasalias false`)[7], "Ana O'Neil");
    assert.match(script, /^# NOTE: Gmail may mail the owner a verification link/m);
    assert.match(script, /^commit-batch\ngam redirect csv \.\/workmail-google-delegates\.csv all users print delegates\ngam redirect csv \.\/workmail-google-sendas\.csv all users print sendas\n$/m);
    assert.match(p.notCarried.find((n) => n.mailboxId === 'r-room')?.reason ?? '', /rooms and equipment have no Gmail mailbox/);
    assert.match(p.notCarried.find((n) => n.mailboxId === 'u-dee' && n.granteeId === 'g-sales')?.reason ?? '', /delegates must be users/);
  });

  it('Google: a send-as address of a mailbox whose display name is empty is named by its user name, never by an empty name', () => {
    const p = plan('google', { googleDomains: ['new.example.org'] });
    const sendAs = p.delegations.find((d) => d.right !== 'delegate');
    assert.ok(sendAs, 'the fixture has a send-as delegation');
    const unnamed = { ...sendAs, mailbox: { ...sendAs.mailbox, displayName: '' } };
    const words = shellWords(googleCommand(unnamed));
    assert.equal(words[words.indexOf('name') + 1], sendAs.mailbox.name);
  });

  it('Google: delegates outside the organization and beyond 1000 on one mailbox are listed, not written', () => {
    const outside = plan('google', { googleDomains: ['other.example.org'] });
    assert.equal(outside.delegations.length, 0);
    assert.ok(outside.notCarried.some((n) => /same Google Workspace organization/.test(n.reason)));
    assert.match(renderDestination(plan('google')).split('\n').find((l) => l.includes('was not checked')) ?? '', /googleDomains/);

    const people = Array.from({ length: GMAIL_MAX_DELEGATES + 3 }, (_, i) => user(`u-${i}`, `p${i}@old.example.com`));
    const busy = snapshotOf(
      [user('u-boss', 'boss@old.example.com'), ...people],
      people.map((p) => grant('u-boss', p.id, ['FULL_ACCESS'])),
    );
    const p = planDestination('google', busy, unchangedAddresses(), base);
    assert.equal(p.delegations.length, GMAIL_MAX_DELEGATES);
    const over = p.notCarried.filter((n) => /limit of 1000 delegates/.test(n.reason));
    assert.equal(over.length, 3);
    assert.match(renderDestination(p), /^# WARNING: more than 25 delegates on boss@old\.example\.com \(1000\)/m);
  });

  it('grommunio: store access, send-as and delegates through grommunio-admin; groups listed', () => {
    const p = plan('grommunio');
    const script = renderDestination(p);
    assert.ok(script.includes(`run grommunio-admin exmdb 'ana@new.example.org' folder grant 0x9 'bob@new.example.org' storeowner`));
    assert.ok(script.includes(`run grommunio-admin user sendas 'ana@new.example.org' add 'bob@new.example.org'`));
    assert.ok(script.includes(`run grommunio-admin user delegates 'ana@new.example.org' add 'bob@new.example.org'`));
    assert.match(script, /^#!\/usr\/bin\/env bash\n/);
    assert.match(script, /readback 'ana@new\.example\.org'/);
    assert.ok(p.notCarried.filter((n) => n.mailboxId === 'g-sales' || n.granteeId === 'g-sales').length === 3);
    assert.deepEqual(
      interpretGrommunio(script).map((a) => `${a.owner}|${a.grantee}|${a.right}`).sort(),
      p.delegations.map((d) => `${d.mailboxAddress}|${d.granteeAddress}|${d.right}`).sort(),
    );
  });

  it('Zoho Mail: a checklist line per delegation with the console steps; groups and resources listed', () => {
    const p = plan('zoho');
    const markdown = renderDestination(p);
    assert.match(markdown, /^- \[ \] bob@new\.example\.org: WorkMail FULL_ACCESS, read and manage everything in the mailbox\. Admin Console > Users > ana@new\.example\.org > Mail settings > Delegated to/m);
    const csv = renderDestination(p, 'csv').trimEnd().split('\r\n');
    assert.equal(csv.length, p.delegations.length + 1);
    assert.ok(p.notCarried.some((n) => n.mailboxId === 'r-room' && /room or equipment/.test(n.reason)));
  });

  it('every script only adds: the interpreter reads back exactly the planned delegations', () => {
    for (const [target, interpret] of [['exchange', interpretExchange], ['google', interpretGoogle], ['grommunio', interpretGrommunio]] as const) {
      const p = plan(target, { sendOnBehalf: 'delegate' });
      assert.deepEqual(
        interpret(renderDestination(p)).map((a) => `${a.owner}|${a.grantee}|${a.right}`).sort(),
        p.delegations.map((d) => (d.right === 'sendas' && target === 'google' ? `${d.mailboxAddress}|${d.granteeAddress}|sendas` : `${d.mailboxAddress}|${d.granteeAddress}|${d.right}`)).sort(),
        target,
      );
    }
  });
});

describe('migration destinations of a large organization', function () {
  this.timeout(60_000);
  const world = auditWorld();
  let running: Running;
  let snapshot: Snapshot;

  before(async () => {
    running = await startWorld(world.seed);
    snapshot = snapshotOfScan(await collectScan(running.session, AUDIT_ORG));
  });
  after(async () => {
    await running.stop();
  });

  for (const target of ['exchange', 'google', 'grommunio', 'zoho'] as const) {
    it(`${target}: every scanned right is either carried by a traced command or listed as not migrated`, () => {
      const p = planDestination(target, snapshot, unchangedAddresses(), base);
      const key = (m: string, g: string | undefined, r: string) => `${m}|${g}|${r}`;
      const accounted = [
        ...p.delegations.flatMap((d) => d.carries.map((r) => key(d.grant.mailboxId, d.grant.granteeId, r))),
        ...p.notCarried.map((n) => key(n.mailboxId, n.granteeId, n.right!)),
      ];
      const expected = running.emu.grants(AUDIT_ORG.organizationId).flatMap((g) => g.rights.map((r) => key(g.mailboxId, g.granteeId, r)));
      assert.deepEqual([...accounted].sort(), expected.sort());
      assert.equal(new Set(accounted).size, accounted.length, 'each right accounted for exactly once');
      const script = renderDestination(p);
      assert.ok(script.includes(`adds ${p.delegations.length} permission`));
      assert.ok(script.includes(`${p.notCarried.length} items are NOT migrated`));
      if (target !== 'zoho') {
        const lines = script.split('\n');
        const commandAt = lines.map((l, i) => [l, i] as const).filter(([l]) => /^(Add-|Set-|gam user |run grommunio-admin )/.test(l));
        assert.equal(commandAt.length, p.delegations.length);
        for (const [line, i] of commandAt) {
          assert.ok(lines.slice(Math.max(0, i - 2), i).some((l) => l.startsWith('# from WorkMail: mailbox=')), `traced: ${line}`);
        }
      }
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

  it('keeps comments and shell words on one line whatever a name contains', () => {
    assert.equal(commentText('Eve\nRemove-Item -Recurse C:\\'), 'Eve Remove-Item -Recurse C:\\');
    assert.equal(commentText('a\r\u2028b\u0085c'), 'a  b c');
    assert.equal(shellWord(`it's $(rm -rf /)\n`), `'it'\\''s $(rm -rf /) '`);
    assert.deepEqual(shellWords(`x ${shellWord(`it's $(rm -rf /)`)} y`), ['x', `it's $(rm -rf /)`, 'y']);
  });

  it('leaves out addresses that are not safe in a script, with the reason', () => {
    const snapshot = snapshotOf([user('mb', `evil'@x.example.com`), user('g', 'ok@x.example.com')], [grant('mb', 'g', ['SEND_AS'])]);
    for (const target of ['exchange', 'google', 'grommunio', 'zoho'] as const) {
      const p = planDestination(target, snapshot, unchangedAddresses(), base);
      assert.equal(p.delegations.length, 0);
      assert.match(p.notCarried[0]!.reason, /not safe in a script/);
    }
  });
});
