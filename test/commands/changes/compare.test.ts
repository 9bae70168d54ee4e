// Compare with Snapshot…: a saved snapshot against a fresh scan of the emulator, from the
// "Compare with Live" lens on the snapshot file and from the organization node; the booking
// delegates, applications and access rules compared too, and a version 1 snapshot saying it did
// not record them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompareResult } from '../../../src/commands/changes';
import { snapshotFromScan, writeSnapshot } from '../../../src/workmail/migration/snapshot';
import { collectScan } from '../../../src/workmail/scan';
import { runCommand } from '../run';
import { acme, changeOutOfBand, entity, extensionApi, freshStart, Recorder, truth } from '../permissions/support';

const COMPARE = 'workmail.compareWithSnapshot';

describe('Compare with Snapshot…', () => {
  let dir: string;

  beforeEach(async () => {
    await freshStart();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-compare-'));
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function saveSnapshot(): Promise<string> {
    const api = await extensionApi();
    const org = await acme();
    const session = api.services.session();
    const file = path.join(dir, 'acme-snapshot.json');
    await writeSnapshot(file, await snapshotFromScan(session, await collectScan(session, org), { organization: org }));
    return file;
  }

  it('the lens on a snapshot file scans now and reports exactly the grant someone changed', async () => {
    const file = await saveSnapshot();
    const org = await acme();
    const alice = await entity(org, 'alice.johnson');
    const tara = await entity(org, 'tara.singh');
    const had = await truth(alice.id, tara.id);
    await changeOutOfBand(alice.id, tara.id, [...new Set([...had, 'SEND_AS' as const])]);
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    const lens = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? []).find((l) => l.command?.command === COMPARE);
    assert.ok(lens?.command, 'a snapshot file has the Compare with Live lens');

    const result = await runCommand<CompareResult>(lens.command.command, ...(lens.command.arguments ?? []));

    assert.equal(result.outcome, 'done', result.reason);
    const changed = [...(result.drift?.grantsChanged ?? []), ...(result.drift?.grantsAdded ?? [])];
    assert.deepEqual(changed.map((g) => [g.mailboxId, g.granteeId]), [[alice.id, tara.id]]);
    assert.deepEqual(result.drift?.grantsRemoved, []);
    // Titled by organization and the snapshot's day, no ID.
    const report = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'workmail-report' && /\/Changes in acme since \d{4}-\d{2}-\d{2}\.md$/.test(d.uri.path));
    assert.ok(report, vscode.workspace.textDocuments.map((d) => d.uri.toString()).join(' '));
    assert.match(report.getText(), /Tara Singh/);
  });

  it('from the organization node with the file given: no difference when nothing changed', async () => {
    const file = await saveSnapshot();
    const org = await acme();
    const result = await runCommand<CompareResult>(COMPARE, { kind: 'organization', org }, { path: file, open: false });
    assert.equal(result.outcome, 'done', result.reason);
    assert.equal((result.drift?.grantsAdded.length ?? 0) + (result.drift?.grantsRemoved.length ?? 0) + (result.drift?.grantsChanged.length ?? 0), 0);
  });

  it('reports a booking delegate WorkMail has and the snapshot did not, in its own section', async () => {
    const file = await saveSnapshot();
    const org = await acme();
    const tara = await entity(org, 'tara.singh');
    // The snapshot as if saved before Tara Singh became a delegate of room-atlas.
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    const atlas = saved.entities.find((e: { name?: string }) => e.name === 'room-atlas');
    const room = saved.routes.resources.find((r: { resourceId: string }) => r.resourceId === atlas.id);
    room.delegates = room.delegates.filter((d: { id: string }) => d.id !== tara.id);
    fs.writeFileSync(file, JSON.stringify(saved));
    const result = await runCommand<CompareResult>(COMPARE, { kind: 'organization', org }, { path: file });
    assert.equal(result.outcome, 'done', result.reason);
    assert.deepEqual(result.drift?.routes.delegatesAdded.map((d) => [d.resourceId, d.delegateId]), [[atlas.id, tara.id]]);
    assert.deepEqual(result.drift?.grantsAdded, []);
    const report = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'workmail-report' && /Changes in acme since/.test(d.uri.path));
    assert.ok(report);
    // An earlier test's report of the same title is replaced in place: wait for the new text to arrive.
    for (let i = 0; i < 100 && !report.getText().includes('Booking delegates'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.match(report.getText(), /## Booking delegates added \(1\)/);
    assert.match(report.getText(), /\| room-atlas \| Tara Singh \| user \|/);
  });

  it('with a version 1 snapshot, says its booking delegates, applications and access rules were not recorded, rather than all added', async () => {
    const file = await saveSnapshot();
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete saved.routes;
    saved.version = 1;
    fs.writeFileSync(file, JSON.stringify(saved));
    const org = await acme();
    const recorder = new Recorder();
    const result = await runCommand<CompareResult>(COMPARE, { kind: 'organization', org }, { path: file, open: false, observe: recorder.observe });
    assert.equal(result.outcome, 'done', result.reason);
    assert.match(result.drift?.routes.notRecorded ?? '', /^not recorded in the snapshot \(snapshot version 1\)$/);
    assert.deepEqual(result.drift?.routes.delegatesAdded, []);
    assert.match(recorder.messages('info')[0] ?? '', /The snapshot \(version 1\) did not record booking delegates, applications or access rules, so they were not compared/);
  });
});
