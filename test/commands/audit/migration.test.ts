// Export Migration Script… (from a fresh scan or a snapshot file, four destinations) and Verify
// Migration… (the destination's exports against the snapshot): files written, questions asked with
// explanations, the markdown report opened, and bad exports refused with file, line and column.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MigrationResult, VerifyResult } from '../../../src/commands/audit';
import { mailboxAddresses, planDestination, renderDestination, unchangedAddresses } from '../../../src/workmail/migration/destinations';
import { writeSnapshot } from '../../../src/workmail/migration/snapshot';
import { exchangeExports } from '../../workmail/migration/exports';
import { interpretExchange, smallOrg } from '../../workmail/migration/support';
import { acceptItem, acme, acmeSeed, byName, freshStart, previewTab, Recorder, runCommand, tempFile } from './support';

const MIGRATION = 'workmail.exportMigrationScript';
const VERIFY = 'workmail.verifyMigration';

describe('Export Migration Script…', () => {
  const seed = acmeSeed();
  let temp: ReturnType<typeof tempFile>;
  const alice = byName(seed, 'alice.johnson');
  const tara = byName(seed, 'tara.singh');

  beforeEach(async () => {
    await freshStart();
    temp = tempFile('migration.ps1');
  });

  afterEach(() => {
    temp.dispose();
  });

  it('Exchange Online from a scan: the cmdlets for a known grant, group grants listed, the read-back at the end', async () => {
    const result = await runCommand<MigrationResult>(MIGRATION, { organization: 'acme', target: 'exchange', mapping: false, autoMapping: false, groupsAreSecurityGroups: false, path: temp.file, open: false });
    assert.equal(result.outcome, 'done', result.reason);
    const script = fs.readFileSync(temp.file, 'utf8');
    // tara.singh has FULL_ACCESS and SEND_ON_BEHALF on alice.johnson.
    assert.ok(
      script.includes(`Add-MailboxPermission -Identity '${alice.email}' -User '${tara.email}' -AccessRights FullAccess -InheritanceType All -AutoMapping $false -WhatIf:$WhatIf`),
    );
    assert.ok(script.includes(`Set-Mailbox -Identity '${alice.email}' -GrantSendOnBehalfTo @{Add='${tara.email}'} -WhatIf:$WhatIf`));
    assert.match(script, /^# from WorkMail: mailbox=86b3240b-21dc-40e0-a851-698f2456a226 grantee=.* right=FULL_ACCESS/m);
    assert.ok(!script.includes(`-User '${byName(seed, 'executives').email}'`), 'a group is not given rights unless it was recreated as a security group');
    assert.match(script, /# ---- Not migrated \(\d+\) ----/);
    assert.match(script, /^# Addresses: unchanged\./m);
    assert.match(script, /Get-EXOMailboxPermission -Identity \$m/);
    assert.ok(result.commands! > 0 && result.notMigrated! > 0);
  });

  it('asks for the destination, the addresses, auto-mapping and groups with explanations, and follows the answers', async () => {
    const recorder = new Recorder();
    const running = runCommand<MigrationResult>(MIGRATION, { organization: 'acme', path: temp.file, open: false, observe: recorder.observe });
    const destinations = await recorder.pickerLoaded(2);
    assert.deepEqual(
      destinations.items.map((item) => item.label),
      ['Exchange Online', 'Google Workspace (GAM)', 'grommunio', 'Zoho Mail'],
    );
    await acceptItem(destinations, (label) => label.startsWith('Exchange Online'));
    const addresses = await recorder.pickerLoaded(3);
    assert.ok(addresses.items.every((item) => (item.detail ?? '').length > 20), 'each answer is explained');
    await acceptItem(addresses, (label) => label.startsWith('The same addresses'));
    const autoMapping = await recorder.pickerLoaded(4);
    assert.match(autoMapping.placeholder ?? '', /AutoMapping/);
    await acceptItem(autoMapping, (label) => label.startsWith('Yes'));
    await acceptItem(await recorder.pickerLoaded(5), (label) => label.startsWith('Yes'));
    const result = await running;
    assert.equal(result.outcome, 'done', result.reason);
    const script = fs.readFileSync(temp.file, 'utf8');
    assert.ok(script.includes(`-User '${tara.email}' -AccessRights FullAccess -InheritanceType All -AutoMapping $true`));
    assert.ok(script.includes(`Set-Mailbox -Identity '${alice.email}' -GrantSendOnBehalfTo @{Add='${byName(seed, 'executives').email}'}`), 'group grants migrate to the security group');
  });

  it('Google Workspace from the organization node: delegates, and Send on behalf alone asked about', async () => {
    const file = temp.file.replace(/\.ps1$/, '.txt');
    const org = await acme();
    const recorder = new Recorder();
    const running = runCommand<MigrationResult>(MIGRATION, { kind: 'organization', org }, undefined, { target: 'gam', mapping: false, path: file, open: false, observe: recorder.observe });
    const question = await recorder.pickerLoaded(4);
    assert.match(question.placeholder ?? '', /no send-only delegation/);
    await acceptItem(question, (label) => label.startsWith('Not migrated'));
    const result = await running;
    assert.equal(result.outcome, 'done', result.reason);
    assert.equal(result.target, 'google');
    const script = fs.readFileSync(file, 'utf8');
    assert.ok(script.includes(`gam user ${alice.email} add delegate ${tara.email}`));
    assert.match(script, /^gam redirect csv \.\/workmail-google-delegates\.csv all users print delegates$/m);
    assert.ok(!/Add-MailboxPermission/.test(script));
  });

  it('from a snapshot file, without WorkMail: a grommunio script and a Zoho checklist with its CSV beside it', async () => {
    const snapshotFile = path.join(path.dirname(temp.file), 'snapshot.json');
    await writeSnapshot(snapshotFile, smallOrg());
    const grommunio = path.join(path.dirname(temp.file), 'migration.sh');
    const result = await runCommand<MigrationResult>(MIGRATION, { snapshot: snapshotFile, target: 'grommunio', mapping: false, path: grommunio, open: false });
    assert.equal(result.outcome, 'done', result.reason);
    assert.match(fs.readFileSync(grommunio, 'utf8'), /^run grommunio-admin exmdb 'ana@old\.example\.com' folder grant 0x9 'bob@old\.example\.com' storeowner$/m);
    assert.equal(result.organizationId, smallOrg().organization.id);

    const checklist = path.join(path.dirname(temp.file), 'checklist.md');
    const zoho = await runCommand<MigrationResult>(MIGRATION, { snapshot: snapshotFile, target: 'zoho', mapping: false, path: checklist });
    assert.equal(zoho.outcome, 'done', zoho.reason);
    assert.equal(zoho.csvPath, path.join(path.dirname(temp.file), 'checklist.csv'));
    assert.match(fs.readFileSync(zoho.csvPath!, 'utf8'), /^done,mailbox,delegate,workmail_right,/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, checklist);
  });

  it('a snapshot path that is not absolute is refused before anything is read', async () => {
    const recorder = new Recorder();
    const result = await runCommand<MigrationResult>(MIGRATION, { snapshot: 'snapshot.json', target: 'exchange', mapping: false, path: temp.file, open: false, observe: recorder.observe });
    assert.equal(result.outcome, 'failed');
    assert.match(recorder.messages('error')[0] ?? '', /The path must be absolute/);
    assert.ok(!fs.existsSync(temp.file));
  });
});

describe('Verify Migration…', () => {
  const org = smallOrg();
  const plan = planDestination('exchange', org, unchangedAddresses(), { generatedAt: new Date() });
  const script = renderDestination(plan);
  const state = interpretExchange(script);
  let temp: ReturnType<typeof tempFile>;
  let snapshotFile: string;
  const writeExports = (applied: typeof state): string[] =>
    Object.entries(exchangeExports(script, applied, mailboxAddresses(plan))).map(([name, text]) => {
      const file = path.join(path.dirname(temp.file), name);
      fs.writeFileSync(file, text);
      return file;
    });

  beforeEach(async () => {
    temp = tempFile('report.md');
    snapshotFile = path.join(path.dirname(temp.file), 'snapshot.json');
    await writeSnapshot(snapshotFile, org);
  });

  afterEach(() => {
    temp.dispose();
  });

  it('everything arrived: the markdown report opens, the CSV is written beside it', async () => {
    const recorder = new Recorder();
    const result = await runCommand<VerifyResult>(VERIFY, { snapshot: snapshotFile, target: 'exchange', mapping: false, autoMapping: false, groupsAreSecurityGroups: false, exports: writeExports(state), path: temp.file, observe: recorder.observe });
    assert.equal(result.outcome, 'done', result.reason);
    assert.equal(result.counts?.arrived, plan.delegations.length);
    assert.match(fs.readFileSync(temp.file, 'utf8'), /\*\*Everything arrived\.\*\*/);
    assert.ok(fs.existsSync(temp.file.replace(/\.md$/, '.csv')));
    await previewTab(`Preview ${path.basename(temp.file)}`);
    assert.match(recorder.messages('info')[0] ?? '', new RegExp(`Exchange Online: ${plan.delegations.length} arrived, 0 missing`));
  });

  it('one delegation removed from the export: exactly that one is missing, in a rendered report titled by organization and destination', async () => {
    const removed = state[1]!;
    const recorder = new Recorder();
    const result = await runCommand<VerifyResult>(VERIFY, { snapshot: snapshotFile, target: 'exchange', mapping: false, autoMapping: false, groupsAreSecurityGroups: false, exports: writeExports(state.filter((a) => a !== removed)), observe: recorder.observe });
    assert.equal(result.outcome, 'missing', result.reason);
    assert.deepEqual(result.missing, [{ mailbox: removed.owner, grantee: removed.grantee, right: removed.right }]);
    await previewTab(/^Preview Verification of \S+ at Exchange Online, \d{4}-\d{2}-\d{2}\.md$/);
    const source = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.uri);
    assert.equal(source?.languageId, 'markdown');
    assert.match(source?.getText() ?? '', /## Missing \(1\)/);
    assert.match(recorder.messages('warning')[0] ?? '', /1 missing/);
  });

  it('an unreadable export is refused with its file, line and column; nothing is written', async () => {
    const bad = path.join(path.dirname(temp.file), 'bad.csv');
    fs.writeFileSync(bad, 'Identity,Trustee,AccessControlType,AccessRights\r\nana,"bob,Allow,SendAs\r\n');
    const recorder = new Recorder();
    const result = await runCommand<VerifyResult>(VERIFY, { snapshot: snapshotFile, target: 'exchange', mapping: false, autoMapping: false, groupsAreSecurityGroups: false, exports: [bad], path: temp.file, open: false, observe: recorder.observe });
    assert.equal(result.outcome, 'failed');
    assert.match(recorder.messages('error')[0] ?? '', /bad\.csv, line 2, column 2: not readable as CSV.*Nothing was written\./);
    assert.ok(!fs.existsSync(temp.file));
  });
});
