// Export Permissions…: files written from a fresh scan, equal to the emulator's ground truth row for
// row; unread mailboxes reported. (Export Migration Script… and Verify Migration…: migration.test.ts.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportResult } from '../../../src/commands/audit';
import { acme, ACME_ID, acmeSeed, byName, freshStart, groundTruth, parseCsv, Recorder, runCommand, setFaults, tempFile } from './support';

const EXPORT = 'workmail.exportPermissions';

const COLUMNS = 'mailbox_name,mailbox_email,grantee_name,grantee_email,rights,mailbox_kind,mailbox_state,grantee_kind,grantee_state,organization,mailbox_id,grantee_id,read_at';

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
    const body = rows.slice(1);
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
    assert.equal(recorder.messages('info')[0], `Exported ${truth.length} permissions on ${mailboxes} mailboxes of acme.`, 'one short sentence, counted as a person counts');
    assert.deepEqual(fs.readdirSync(path.dirname(temp.file)), ['permissions.csv'], 'no temporary file left behind');
  });

  it('JSON from the organization node equals the ground truth, and the file opens', async () => {
    const org = await acme();
    const file = temp.file.replace(/\.csv$/, '.json');
    const result = await runCommand<ExportResult>(EXPORT, { kind: 'organization', org }, undefined, { format: 'json', path: file });
    assert.equal(result.outcome, 'done', result.reason);
    const document = JSON.parse(fs.readFileSync(file, 'utf8')) as { organization: { id: string; alias: string }; readAt: string; grants: Array<{ mailboxId: string; granteeId: string; rights: string[] }>; failures: unknown[] };
    assert.deepEqual(document.organization, { id: ACME_ID, region: 'us-east-1', alias: 'acme' });
    assert.equal(document.readAt, result.readAt);
    const truth = await groundTruth(ACME_ID);
    assert.deepEqual(
      document.grants.map((g) => `${g.mailboxId}|${g.granteeId}|${g.rights.join(';')}`).sort(),
      truth.map((g) => `${g.mailboxId}|${g.granteeId}|${[...g.rights].join(';')}`).sort(),
    );
    assert.deepEqual(document.failures, []);
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
