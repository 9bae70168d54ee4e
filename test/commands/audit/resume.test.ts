// Resumable scans in VS Code: a scan interrupted part-way leaves a checkpoint in the extension's
// global storage; the next scan of the same organization asks Resume / Start Over (answered here
// through the test answer seam). Resume reads only the mailboxes the first scan had not read (the
// emulator's call log) and the export still equals the ground truth; Start Over reads them all.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExportResult } from '../../../src/commands/audit';
import { SCAN_CHECKPOINTS } from '../../../src/commands/scanCommand';
import { extensionApi } from '../../tree/support';
import { ACME_ID, calls, clearCalls, delay, freshStart, groundTruth, parseCsv, Recorder, runCommand, setFaults, tempFile } from './support';

const EXPORT = 'workmail.exportPermissions';
const QUESTION = /A scan of acme .*stopped after (\d+) of (\d+) mailboxes/;

describe('Resumable scans (Export Permissions…)', () => {
  let temp: ReturnType<typeof tempFile>;

  beforeEach(async () => {
    await freshStart();
    temp = tempFile('permissions.csv');
  });

  afterEach(async () => {
    await setFaults({});
    // Leave no checkpoint of acme behind: a completed scan deletes it.
    await runCommand<ExportResult>(EXPORT, { organization: 'acme', format: 'csv', path: temp.file, open: false, resumeScan: false });
    temp.dispose();
  });

  /** An export cancelled after a few mailboxes were read. Any older checkpoint is started over. */
  async function interruptedExport(): Promise<void> {
    await setFaults({ latencyMs: 120 });
    const controller = new AbortController();
    const running = runCommand<ExportResult>(EXPORT, { organization: 'acme', format: 'csv', path: temp.file, open: false, signal: controller.signal, resumeScan: false });
    for (let i = 0; i < 400 && (await calls('ListMailboxPermissions')).filter((c) => c.status === 200).length < 6; i++) {
      await delay(25);
    }
    controller.abort();
    const result = await running;
    assert.equal(result.outcome, 'cancelled');
    await setFaults({});
    await delay(300);
  }

  async function mailboxesRead(): Promise<string[]> {
    return (await calls('ListMailboxPermissions'))
      .filter((c) => c.status === 200 && c.params?.OrganizationId === ACME_ID)
      .map((c) => String(c.params?.EntityId));
  }

  async function assertExportIsTheGroundTruth(): Promise<void> {
    const [header, ...rows] = parseCsv(fs.readFileSync(temp.file, 'utf8'));
    const column = (name: string): number => header!.indexOf(name);
    // The mailbox permissions; the other routes (booking delegates, applications) follow them.
    const body = rows.filter((r) => r[column('route')] === 'permission');
    const [mailbox, grantee, rights] = [column('mailbox_id'), column('grantee_id'), column('rights')];
    const truth = await groundTruth(ACME_ID);
    assert.deepEqual(
      body.map((r) => `${r[mailbox]}|${r[grantee]}|${r[rights]}`).sort(),
      truth.map((g) => `${g.mailboxId}|${g.granteeId}|${[...g.rights].join(';')}`).sort(),
    );
  }

  it('offers to resume; Resume reads only the mailboxes not read before, and the export equals the ground truth', async () => {
    await interruptedExport();
    await clearCalls();
    const recorder = new Recorder();
    const result = await runCommand<ExportResult>(EXPORT, { organization: 'acme', format: 'csv', path: temp.file, open: false, resumeScan: true, observe: recorder.observe });
    assert.equal(result.outcome, 'done', result.reason);
    const questions = recorder.questions().filter((q) => QUESTION.test(q.text));
    assert.equal(questions.length, 1, 'asked once whether to resume');
    const [, done, total] = QUESTION.exec(questions[0]!.text)!.map(Number) as [number, number, number];
    assert.ok(done > 0 && done < total, `${done} of ${total} read before`);
    assert.match(questions[0]!.detail ?? '', new RegExp(`only the ${total - done} mailboxes`));
    assert.match(questions[0]!.text, /\(started \d{4}-\d\d-\d\d \d\d:\d\d, (less than a minute|1 minute|\d+ minutes) ago\)/, 'says how old the checkpoint is');
    assert.deepEqual(questions[0]!.choices, ['Resume', 'Start Over'], 'a recent checkpoint: Resume is suggested');
    const read = await mailboxesRead();
    assert.equal(new Set(read).size, total - done, 'only the mailboxes the first scan had not read');
    assert.equal(read.length, total - done, 'each once');
    await assertExportIsTheGroundTruth();
  });

  it('says how old the checkpoint is; one older than workmail.scanResumeMaxAgeHours suggests Start Over and says why; resumed anyway, the mailboxes read before keep their time', async () => {
    await interruptedExport();
    // The same checkpoint, as if the interrupted scan had run 30 hours ago.
    const folder = path.join((await extensionApi()).globalStorage, SCAN_CHECKPOINTS);
    const [name] = fs.readdirSync(folder).filter((f) => f.endsWith('.jsonl'));
    assert.ok(name, 'the interrupted scan left its checkpoint');
    const file = path.join(folder, name);
    const HOURS_30 = 30 * 3_600_000;
    const earlier = (iso: string): string => new Date(Date.parse(iso) - HOURS_30).toISOString();
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { startedAt?: string; readAt?: string; mailbox?: string });
    for (const line of lines) {
      if (line.startedAt) line.startedAt = earlier(line.startedAt);
      if (line.readAt) line.readAt = earlier(line.readAt);
    }
    fs.writeFileSync(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
    const readBefore = new Map(lines.filter((line) => line.mailbox).map((line) => [line.mailbox!, line.readAt!]));
    assert.ok(readBefore.size > 0);

    const recorder = new Recorder();
    const result = await runCommand<ExportResult>(EXPORT, { organization: 'acme', format: 'csv', path: temp.file, open: false, resumeScan: true, observe: recorder.observe });
    assert.equal(result.outcome, 'done', result.reason);
    const question = recorder.questions().find((q) => QUESTION.test(q.text));
    assert.ok(question, 'the question was asked');
    assert.match(question.text, /\(started \d{4}-\d\d-\d\d \d\d:\d\d, 30 hours ago\)/);
    assert.match(question.detail ?? '', /longer ago than the 24 hours of the setting workmail\.scanResumeMaxAgeHours, and what it read may have changed since, so Start Over \(read every mailbox again\) is suggested/);
    assert.deepEqual(question.choices, ['Start Over', 'Resume'], 'Start Over is the suggested answer');

    // Resumed (the explicit answer): each row says when its mailbox was read.
    const [header, ...rows] = parseCsv(fs.readFileSync(temp.file, 'utf8'));
    const [mailbox, readAt] = [header!.indexOf('mailbox_id'), header!.indexOf('read_at')];
    // The permission rows: the other routes are read afresh after the scan, resumed or not.
    const body = rows.filter((r) => r[header!.indexOf('route')] === 'permission');
    const early = body.filter((r) => readBefore.has(r[mailbox]!));
    assert.ok(early.length > 0, 'rows of mailboxes read before the interruption');
    for (const row of early) assert.equal(row[readAt], readBefore.get(row[mailbox]!), 'dated when it was read, 30 hours ago');
    assert.ok(body.filter((r) => !readBefore.has(r[mailbox]!)).every((r) => Date.parse(r[readAt]!) > Date.now() - HOURS_30 / 2), 'the rest was read now');
    await assertExportIsTheGroundTruth();
  });

  it('Start Over reads every mailbox again', async () => {
    await interruptedExport();
    await clearCalls();
    const recorder = new Recorder();
    const result = await runCommand<ExportResult>(EXPORT, { organization: 'acme', format: 'csv', path: temp.file, open: false, resumeScan: false, observe: recorder.observe });
    assert.equal(result.outcome, 'done', result.reason);
    const question = recorder.questions().find((q) => QUESTION.test(q.text));
    assert.ok(question, 'the question was asked');
    const total = Number(QUESTION.exec(question.text)![2]);
    assert.equal(new Set(await mailboxesRead()).size, total);
    await assertExportIsTheGroundTruth();
  });

  it('when the question cannot be shown, reads everything and keeps the checkpoint for later', async () => {
    await interruptedExport();
    const unseen = new Recorder();
    const result = await runCommand<ExportResult>(EXPORT, { organization: 'acme', format: 'csv', path: temp.file, open: false, observe: unseen.observe });
    assert.equal(result.outcome, 'done', result.reason);
    assert.ok(unseen.questions().some((q) => QUESTION.test(q.text) && q.answeredBy === 'person'));
    await assertExportIsTheGroundTruth();
    const later = new Recorder();
    await runCommand<ExportResult>(EXPORT, { organization: 'acme', format: 'csv', path: temp.file, open: false, resumeScan: true, observe: later.observe });
    assert.ok(later.questions().some((q) => QUESTION.test(q.text)), 'the checkpoint is still offered');
    await assertExportIsTheGroundTruth();
  });
});
