// Resumable scans in VS Code: a scan interrupted part-way leaves a checkpoint in the extension's
// global storage; the next scan of the same organization asks Resume / Start Over (answered here
// through the test answer seam). Resume reads only the mailboxes the first scan had not read (the
// emulator's call log) and the export still equals the ground truth; Start Over reads them all.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { ExportResult } from '../../../src/commands/audit';
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
    const [header, ...body] = parseCsv(fs.readFileSync(temp.file, 'utf8'));
    const column = (name: string): number => header!.indexOf(name);
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
    const read = await mailboxesRead();
    assert.equal(new Set(read).size, total - done, 'only the mailboxes the first scan had not read');
    assert.equal(read.length, total - done, 'each once');
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
