// A change file in the editor: the Plan and Apply lenses at its top, the plan as a report that
// writes nothing, Apply confirmed once and written through the batch pipeline (one Undo for the
// whole file), and a plan that went stale refusing the line instead of asking.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeFileApplyResult, ChangeFilePlanResult } from '../../../src/commands/changes';
import { applyChangeFile } from '../../../src/commands/changes/applyChangeFile';
import { applyAll, bindSession } from '../../../src/commands/permissions/apply';
import { ChangeHistory } from '../../../src/commands/permissions/history';
import { ReportDocuments } from '../../../src/commands/ui/reportDocuments';
import { runCommand } from '../run';
import { ScriptedUi, type ScriptedUiEvent } from '../scriptedUi';
import { acme, changeOutOfBand, clearCalls, entity, extensionApi, freshStart, Recorder, truth, writes } from '../permissions/support';

/** A person who clicks Apply only after `meanwhile` (another administrator at work) is done. */
class ApplyAfter extends ScriptedUi {
  constructor(
    observe: (event: ScriptedUiEvent) => void,
    private readonly meanwhile: () => Promise<void>,
  ) {
    super({ observe });
  }

  override async confirm(text: string, detail: string | undefined, acceptLabel: string): Promise<boolean> {
    this.shown({ type: 'question', kind: 'confirm', text, detail, choices: [acceptLabel], answeredBy: 'person' });
    await this.meanwhile();
    return true;
  }
}

/** Keeps the result report instead of opening it. */
class KeptReports extends ReportDocuments {
  readonly shown: Array<{ title: string; text: string }> = [];

  override async show(title: string, text: string): Promise<vscode.Uri> {
    this.shown.push({ title, text });
    return this.publish(title, text);
  }
}

const PLAN = 'workmail.planChangeFile';
const APPLY = 'workmail.applyChangeFile';
const UNDO = 'workmail.undoLastChange';

describe('change files in the editor', () => {
  let dir: string;

  beforeEach(async () => {
    await freshStart();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-change-file-'));
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string, text: string): Promise<vscode.TextDocument> {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    return document;
  }

  it('shows Plan and Apply lenses at the top of a change file, and none on other files', async () => {
    const changes = await open('review.workmail-changes.csv', 'action,mailbox,grantee,rights\n');
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', changes.uri)) ?? [];
    const ours = lenses.filter((lens) => lens.command?.command.startsWith('workmail.'));
    assert.deepEqual(
      ours.map((lens) => [lens.range.start.line, lens.command?.command, String((lens.command?.arguments?.[0] as vscode.Uri | undefined)?.fsPath)]),
      [
        [0, PLAN, changes.uri.fsPath],
        [0, APPLY, changes.uri.fsPath],
      ],
    );
    const other = await open('notes.csv', 'a,b\n');
    const none = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', other.uri)) ?? []).filter((lens) => lens.command?.command.startsWith('workmail.'));
    assert.deepEqual(none, []);
  });

  it('Plan (from its lens) opens a report of the calls, refuses what cannot be done, and writes nothing', async () => {
    const org = await acme();
    const alice = await entity(org, 'alice.johnson');
    const tara = await entity(org, 'tara.singh');
    const document = await open('q4.workmail-changes.csv', 'action,mailbox,grantee,rights\ngrant,alice.johnson,tara.singh,SEND_AS\ngrant,alice.johnson,nobody.here,SEND_AS\n');
    const lens = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? []).find((l) => l.command?.command === PLAN);
    assert.ok(lens?.command);
    await clearCalls();
    const before = await truth(alice.id, tara.id);

    const result = await runCommand<ChangeFilePlanResult>(lens.command.command, ...(lens.command.arguments ?? []), { organization: 'acme' });

    assert.equal(result.outcome, 'done', result.reason);
    assert.deepEqual(result.counts, { write: 1, satisfied: 0, refused: 1 });
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await truth(alice.id, tara.id), before);
    const report = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'workmail-report');
    assert.ok(report, 'the plan is open');
    assert.match(report.uri.path, /Plan for q4\.workmail-changes\.csv/);
    assert.match(report.getText(), /\| 2 \| grant \| Alice Johnson \| Tara Singh \|/);
    assert.match(report.getText(), /refused: no user or group "nobody\.here" in acme/);
  });

  it('Apply asks once, writes exactly the plan, and one Undo puts the whole file back', async () => {
    const org = await acme();
    const alice = await entity(org, 'alice.johnson');
    const tara = await entity(org, 'tara.singh');
    const bob = await entity(org, 'bob.martinez');
    const aliceTara = await truth(alice.id, tara.id);
    const aliceBob = await truth(alice.id, bob.id);
    const text = JSON.stringify({ organization: 'acme', changes: [{ action: 'set', mailbox: 'alice.johnson', grantee: 'tara.singh', rights: ['SEND_ON_BEHALF'] }, { action: 'revoke', mailbox: 'alice.johnson', grantee: 'bob.martinez' }] }, null, 2);
    const document = await open('cleanup.workmail-changes.json', text);
    const recorder = new Recorder();

    const result = await runCommand<ChangeFileApplyResult>(APPLY, document.uri, { open: false, confirm: true, observe: recorder.observe });

    assert.equal(result.outcome, 'done', result.reason);
    assert.equal(recorder.questions().length, 1, 'one confirmation for the file');
    assert.match(recorder.questions()[0]!.text, /Apply 2 changes from cleanup\.workmail-changes\.json\?/);
    assert.deepEqual(result.items?.map((item) => [item.line, item.status]), [
      [4, 'changed'],
      [12, 'changed'],
    ]);
    assert.deepEqual(await truth(alice.id, tara.id), ['SEND_ON_BEHALF']);
    assert.deepEqual(await truth(alice.id, bob.id), []);

    const undone = await runCommand<{ outcome: string }>(UNDO, { confirm: true });
    assert.equal(undone.outcome, 'done');
    assert.deepEqual(await truth(alice.id, tara.id), aliceTara);
    assert.deepEqual(await truth(alice.id, bob.id), aliceBob);
  });

  it('a reviewed plan whose rights changed since is refused without a question, and their change stands', async () => {
    const api = await extensionApi();
    const org = await acme();
    const alice = await entity(org, 'alice.johnson');
    const tara = await entity(org, 'tara.singh');
    await changeOutOfBand(alice.id, tara.id, ['FULL_ACCESS']);
    const recorder = new Recorder();
    const ui = new ScriptedUi({ observe: recorder.observe });
    const outcomes = await applyAll(
      { services: api.services, ui, history: new ChangeHistory() },
      'apply',
      'test',
      [{ org, mailbox: alice, grantee: { id: tara.id, type: 'USER', label: 'Tara Singh' }, change: { kind: 'grant', add: ['SEND_AS'] }, expectedBefore: [], fromReviewedPlan: true }],
      bindSession(api.services),
    );
    assert.equal(outcomes[0]?.status, 'refused');
    assert.equal(outcomes[0]?.errorCode, 'ChangedSincePlan');
    assert.match(outcomes[0]?.reason ?? '', /changed since the plan/);
    assert.deepEqual(recorder.questions(), [], 'no question: the confirmed plan is the only thing to apply');
    assert.deepEqual(await truth(alice.id, tara.id), ['FULL_ACCESS']);
  });

  it('Apply reads lines planned already so again: one given a right while the question was open is refused and listed, one still so makes no call', async () => {
    const api = await extensionApi();
    const org = await acme();
    const bob = await entity(org, 'bob.martinez');
    const alice = await entity(org, 'alice.johnson');
    const tara = await entity(org, 'tara.singh');
    const grace = await entity(org, 'grace.kim');
    // Bob leaves: he has Full access on Alice, and nothing on Tara or Grace.
    await changeOutOfBand(alice.id, bob.id, ['FULL_ACCESS']);
    await changeOutOfBand(tara.id, bob.id, []);
    await changeOutOfBand(grace.id, bob.id, []);
    const document = await open('offboarding.workmail-changes.csv', 'action,mailbox,grantee,rights\nrevoke,alice.johnson,bob.martinez,\nrevoke,tara.singh,bob.martinez,\nrevoke,grace.kim,bob.martinez,\n');
    await clearCalls();
    const recorder = new Recorder();
    // Another administrator gives Bob Send as on Tara while the plan is on the screen.
    const ui = new ApplyAfter(recorder.observe, () => changeOutOfBand(tara.id, bob.id, ['SEND_AS']));
    const reports = new KeptReports('workmail-test-report');
    try {
      const result = await applyChangeFile({ services: api.services, ui, reports, history: new ChangeHistory() }, document.uri, { organization: 'acme' });

      assert.equal(recorder.questions().length, 1);
      assert.match(recorder.questions()[0]!.text, /Apply 1 change from offboarding\.workmail-changes\.csv\?/);
      assert.deepEqual(result.counts, { write: 1, satisfied: 2, refused: 0 });
      assert.deepEqual(result.items?.map((item) => [item.line, item.status, item.errorCode]), [
        [2, 'changed', undefined],
        [3, 'refused', 'ChangedSincePlan'],
        [4, 'unchanged', undefined],
      ]);
      assert.match(result.items?.[1]?.reason ?? '', /changed since the plan \(planned from no rights, now Send as\); nothing was written/);
      assert.equal(result.outcome, 'partial', 'a line was not done');
      assert.deepEqual(await truth(tara.id, bob.id), ['SEND_AS'], 'their change stands');
      assert.deepEqual(await truth(alice.id, bob.id), []);
      assert.deepEqual(
        (await writes()).map((call) => [call.operation, call.params?.['EntityId']]),
        [['DeleteMailboxPermissions', alice.id]],
        'no call for the lines already so',
      );
      assert.deepEqual(await api.services.writer().pendingWrites(), [], 'nothing left pending');
      const report = reports.shown[0]?.text ?? '';
      assert.match(report, /\| 3 \| revoke \| Tara Singh \| Bob Martinez \| not done \(refused\): changed since the plan/);
      assert.match(report, /\| 4 \| revoke \| Grace Kim \| Bob Martinez \| already so \|/);
    } finally {
      reports.dispose();
    }
  });

  it('a file with a wrong line says where, and nothing is read or written', async () => {
    const document = await open('bad.workmail-changes.csv', 'action,mailbox,grantee,rights\ngrant,alice.johnson,tara.singh,READ\n');
    await clearCalls();
    const recorder = new Recorder();
    const result = await runCommand<ChangeFilePlanResult>(PLAN, document.uri, { organization: 'acme', observe: recorder.observe });
    assert.equal(result.outcome, 'failed');
    assert.match(recorder.messages('error')[0] ?? '', /bad\.workmail-changes\.csv cannot be planned: line 2, column 4: "READ" is not a right/);
    assert.deepEqual(await writes(), []);
  });
});
