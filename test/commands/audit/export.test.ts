// Export Permissions…: files written from a fresh scan, equal to the emulator's ground truth row for
// row, the booking delegates and applications after the permissions, the access rules beside a CSV
// or in the JSON; unread mailboxes and route parts reported. (Export Migration Script… and Verify
// Migration…: migration.test.ts.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportResult } from '../../../src/commands/audit';
import { acme, ACME_ID, acmeSeed, admin, byName, freshStart, groundTruth, parseCsv, Recorder, runCommand, setFaults, tempFile } from './support';

const EXPORT = 'workmail.exportPermissions';

const COLUMNS = 'mailbox_name,mailbox_email,grantee_name,grantee_email,rights,mailbox_kind,mailbox_state,grantee_kind,grantee_state,organization,mailbox_id,grantee_id,read_at,route,details';

interface Booking {
  resourceId: string;
  delegates: Array<{ id: string; type: string }>;
}

describe('Export Permissions…', () => {
  const seed = acmeSeed();
  let temp: ReturnType<typeof tempFile>;

  beforeEach(async () => {
    await freshStart();
    temp = tempFile('permissions.csv');
  });

  afterEach(async () => {
    temp.dispose();
    await setFaults({});
  });

  it('CSV equals the ground truth row for row, with names and states from the directory', async () => {
    const recorder = new Recorder();
    const result = await runCommand<ExportResult>(EXPORT, { organization: 'acme', format: 'csv', path: temp.file, open: false, observe: recorder.observe });
    assert.equal(result.outcome, 'done', result.reason);
    const rows = parseCsv(fs.readFileSync(temp.file, 'utf8'));
    assert.equal(rows[0]!.join(','), COLUMNS, 'names and addresses first, IDs and the time each mailbox was read last');
    const col = (name: string) => rows[0]!.indexOf(name);
    const body = rows.slice(1).filter((r) => r[col('route')] === 'permission');
    const truth = await groundTruth(ACME_ID);
    assert.equal(body.length, truth.length);
    assert.equal(result.rows, truth.length);
    assert.deepEqual(
      body.map((r) => `${r[col('mailbox_id')]}|${r[col('grantee_id')]}|${r[col('rights')]}`).sort(),
      truth.map((g) => `${g.mailboxId}|${g.granteeId}|${[...g.rights].join(';')}`).sort(),
    );
    assert.ok(body.every((r) => r[col('organization')] === ACME_ID));
    const william = byName(seed, 'william.chen');
    assert.ok(body.some((r) => r[col('grantee_id')] === william.id && r[col('grantee_name')] === 'william.chen' && r[col('grantee_state')] === 'DISABLED'));
    assert.ok(body.some((r) => r[col('grantee_id')] === '6f1c2e3d-0b9a-4c8d-9e7f-5a4b3c2d1e0f' && r[col('grantee_state')] === 'UNKNOWN'), 'the unknown grantee is exported, marked as such');
    const mailboxes = new Set(body.map((r) => r[col('mailbox_id')])).size;
    assert.equal(
      recorder.messages('info')[0],
      `Exported ${truth.length} permissions on ${mailboxes} mailboxes of acme, 3 booking delegates and 3 applications. The access rules (3) are in permissions-access-rules.csv.`,
      'short sentences, counted as a person counts, naming the second file',
    );
    assert.deepEqual(fs.readdirSync(path.dirname(temp.file)).sort(), ['permissions-access-rules.csv', 'permissions.csv'], 'the access rules beside the export; no temporary file left behind');
    assert.equal(result.accessRulesPath, path.join(path.dirname(temp.file), 'permissions-access-rules.csv'));
  });

  it('CSV: the booking delegates equal the ground truth, one row per application, and the access rules in their own file in WorkMail\'s order', async () => {
    const result = await runCommand<ExportResult>(EXPORT, { organization: 'acme', format: 'csv', path: temp.file, open: false });
    assert.equal(result.outcome, 'done', result.reason);
    const rows = parseCsv(fs.readFileSync(temp.file, 'utf8'));
    const col = (name: string) => rows[0]!.indexOf(name);
    const delegates = rows.filter((r) => r[col('route')] === 'booking-delegate');
    const booking = await admin<Booking[]>('GET', `/organizations/${ACME_ID}/booking`);
    assert.deepEqual(delegates.map((r) => `${r[col('mailbox_id')]}|${r[col('grantee_id')]}`).sort(), booking.flatMap((b) => b.delegates.map((d) => `${b.resourceId}|${d.id}`)).sort());
    assert.equal(result.bookingDelegates, delegates.length);
    assert.ok(delegates.every((r) => r[col('rights')] === ''), 'a delegate holds no mailbox permission');
    assert.equal(delegates.find((r) => r[col('mailbox_name')] === 'room-borealis')?.[col('details')], 'Delegates approve every request');
    const applications = rows.filter((r) => r[col('route')] === 'impersonation-role');
    assert.deepEqual(applications.map((r) => `${r[col('grantee_name')]}: ${r[col('mailbox_name')]}`), [
      'CRM sync: Allow: carol.nguyen, david.okafor, emma.schmidt, farid.haddad, yasmin.ali, william.chen (disabled)',
      'E-discovery search: Allow: everyone except samuel.osei, rachel.green',
      'Mail archiver: Allow: everyone; Deny: alice.johnson',
    ]);
    const rules = parseCsv(fs.readFileSync(result.accessRulesPath!, 'utf8'));
    const at = (name: string) => rules[0]!.indexOf(name);
    assert.deepEqual(rules.slice(1).map((r) => `${r[at('order')]} ${r[at('name')]} ${r[at('default_rule')]}`), ['1 default-rule true', '2 imap-office-only false', '3 no-webmail-noah false']);
  });

  it('access rules and a room\'s delegates that could not be read: named in the warning and the result, no access-rules file, the rest exported', async () => {
    const atlas = byName(seed, 'room-atlas');
    await setFaults({
      rules: [
        { operation: 'ListAccessControlRules', error: 'AccessDeniedException', status: 400 },
        { operation: 'ListResourceDelegates', match: { ResourceId: atlas.id }, error: 'AccessDeniedException', status: 400 },
      ],
    });
    const recorder = new Recorder();
    const result = await runCommand<ExportResult>(EXPORT, { organization: 'acme', format: 'csv', path: temp.file, open: false, observe: recorder.observe });
    assert.equal(result.outcome, 'partial');
    assert.deepEqual([...(result.unreadRoutes ?? [])].sort(), ['the access rules', 'the booking delegates of room-atlas']);
    assert.equal(result.accessRulesPath, undefined);
    assert.deepEqual(fs.readdirSync(path.dirname(temp.file)), ['permissions.csv'], 'no access-rules file: an empty one would say every mailbox is blocked');
    assert.match(recorder.messages('warning')[0] ?? '', /Not read, and missing from the export: .*the access rules/);
    const rows = parseCsv(fs.readFileSync(temp.file, 'utf8'));
    const col = (name: string) => rows[0]!.indexOf(name);
    assert.ok(!rows.some((r) => r[col('route')] === 'booking-delegate' && r[col('mailbox_id')] === atlas.id));
    assert.ok(rows.some((r) => r[col('route')] === 'booking-delegate'), 'the other rooms\' delegates are there');
  });

  it('JSON from the organization node equals the ground truth, and the file opens', async () => {
    const org = await acme();
    const file = temp.file.replace(/\.csv$/, '.json');
    const result = await runCommand<ExportResult>(EXPORT, { kind: 'organization', org }, undefined, { format: 'json', path: file });
    assert.equal(result.outcome, 'done', result.reason);
    const document = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      organization: { id: string; alias: string };
      readAt: string;
      grants: Array<{ mailboxId: string; granteeId: string; rights: string[] }>;
      failures: unknown[];
      bookingDelegates: unknown[];
      impersonationRoles: Array<{ roleName: string }>;
      accessRules: Array<{ name: string; defaultRule: boolean }>;
      unread: unknown[];
    };
    assert.deepEqual(document.organization, { id: ACME_ID, region: 'us-east-1', alias: 'acme' });
    assert.equal(document.readAt, result.readAt);
    const truth = await groundTruth(ACME_ID);
    assert.deepEqual(
      document.grants.map((g) => `${g.mailboxId}|${g.granteeId}|${g.rights.join(';')}`).sort(),
      truth.map((g) => `${g.mailboxId}|${g.granteeId}|${[...g.rights].join(';')}`).sort(),
    );
    assert.deepEqual(document.failures, []);
    assert.equal(document.bookingDelegates.length, 3);
    assert.deepEqual(document.impersonationRoles.map((r) => r.roleName), ['CRM sync', 'E-discovery search', 'Mail archiver']);
    assert.deepEqual(document.accessRules.map((r) => `${r.name} ${r.defaultRule}`), ['default-rule true', 'imap-office-only false', 'no-webmail-noah false']);
    assert.deepEqual(document.unread, []);
    assert.equal(result.accessRulesPath, undefined, 'the JSON holds the access rules itself');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
  });

  it('names the mailboxes it could not read, in the message, the result and the JSON, never silently', async () => {
    const alice = byName(seed, 'alice.johnson');
    await setFaults({ rules: [{ operation: 'ListMailboxPermissions', match: { EntityId: alice.id }, error: 'AccessDeniedException', status: 400 }] });
    const recorder = new Recorder();
    const file = temp.file.replace(/\.csv$/, '.json');
    const result = await runCommand<ExportResult>(EXPORT, { organization: 'acme', format: 'json', path: file, open: false, observe: recorder.observe });
    assert.equal(result.outcome, 'partial');
    assert.deepEqual(result.unreadMailboxes?.map((m) => m.mailboxId), [alice.id]);
    assert.match(recorder.messages('warning')[0] ?? '', /The permissions of 1 mailbox could not be read and are missing from the export: Alice Johnson/);
    const document = JSON.parse(fs.readFileSync(file, 'utf8')) as { grants: Array<{ mailboxId: string }>; failures: Array<{ mailboxId: string }> };
    assert.deepEqual(document.failures.map((f) => f.mailboxId), [alice.id]);
    assert.ok(!document.grants.some((g) => g.mailboxId === alice.id));
    const truth = (await groundTruth(ACME_ID)).filter((g) => g.mailboxId !== alice.id);
    assert.equal(document.grants.length, truth.length, 'every other mailbox is there');
  });

  it('refuses a format it does not know, before any call', async () => {
    const recorder = new Recorder();
    const result = await runCommand<ExportResult>(EXPORT, { organization: 'acme', format: 'xlsx', path: temp.file, open: false, observe: recorder.observe });
    assert.equal(result.outcome, 'failed');
    assert.match(recorder.messages('error')[0] ?? '', /Unknown format "xlsx"/);
    assert.ok(!fs.existsSync(temp.file));
  });
});
