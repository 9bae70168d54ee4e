// Show Access of…: every mailbox a user or group reaches, directly or through nested groups, with
// the path; checked against a brute force over the emulator's ground truth and the seed's groups.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ShowAccessResult } from '../../../src/commands/audit';
import { acceptItem, acme, ACME_ID, acmeSeed, byName, calls, clearCalls, delay, entity, expectedAccess, freshStart, groundTruth, loadSeed, previewTab, Recorder, runCommand, sampleSeed, setFaults } from './support';

const SHOW = 'workmail.showAccessOf';

function summary(result: ShowAccessResult): string[] {
  return (result.entries ?? []).map((e) => `${e.mailboxId}|${e.granteeId}|${[...e.rights].sort().join(',')}|${e.path}`).sort();
}

describe('Show Access of…', () => {
  const seed = acmeSeed();

  beforeEach(async () => {
    await freshStart();
  });

  afterEach(async () => {
    await setFaults({});
  });

  it('adds the other routes: the rooms a person is a booking delegate of (through groups too), and the applications that may act as them', async () => {
    const tara = await runCommand<ShowAccessResult>(SHOW, { organization: 'acme', entity: 'tara.singh', open: false, rescan: true });
    assert.ok(tara.bookingDelegateOf?.some((d) => d.resource.startsWith('room-atlas') && d.path === 'direct'), JSON.stringify(tara.bookingDelegateOf));
    assert.ok(tara.applications?.some((role) => role.name === 'Mail archiver'));
    assert.match(tara.text ?? '', /^## Booking delegate of$/m);
    const alice = await runCommand<ShowAccessResult>(SHOW, { organization: 'acme', entity: 'alice.johnson', open: false });
    assert.ok(alice.bookingDelegateOf?.some((d) => d.resource.startsWith('room-atlas') && /executives/.test(d.path)), 'through the executives group');
    assert.ok(!alice.applications?.some((role) => role.name === 'Mail archiver'), 'the archiver may not act as her');
  });

  it('for a user in sales-emea-dach: direct grants and every grant to sales, sales-emea and sales-emea-dach, with the path; equals the brute force', async () => {
    const emma = byName(seed, 'emma.schmidt');
    const recorder = new Recorder();
    const result = await runCommand<ShowAccessResult>(SHOW, { organization: 'acme', entity: 'emma.schmidt', open: false, rescan: true, observe: recorder.observe });

    assert.equal(result.outcome, 'done', result.reason);
    assert.equal(result.entity?.id, emma.id);
    assert.deepEqual(summary(result), expectedAccess(seed, await groundTruth(ACME_ID), emma.id));
    const carol = byName(seed, 'carol.nguyen');
    const viaSales = result.entries?.find((e) => e.mailboxId === carol.id);
    assert.equal(viaSales?.path, 'via sales → sales-emea → sales-emea-dach', 'the grant to sales reaches her through both nested groups');
    assert.deepEqual(viaSales?.via, ['sales', 'sales-emea', 'sales-emea-dach']);
    assert.ok(result.entries?.some((e) => e.path === 'direct'), 'and her direct grants');
    assert.match(recorder.messages('info')[0] ?? '', /^Emma Schmidt has rights on \d+ mailboxes in acme, as of \d{1,2}:\d{2}\.$/);

    // The report is a read-only document anyone can copy from.
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(result.uri!));
    assert.equal(document.uri.scheme, 'workmail-access');
    assert.equal(document.getText(), result.text);
    assert.equal(document.languageId, 'markdown');
    assert.match(document.getText(), /\| Carol Nguyen \| carol\.nguyen@acme\.example\.com \| Send on behalf \| via sales → sales-emea → sales-emea-dach \|/);
    assert.match(document.uri.path, /\/Access of Emma Schmidt\.md$/, 'titled by whose access it is');
  });

  it('a grant made through the extension drops the cached scan, so the next report is not stale', async () => {
    const first = await runCommand<ShowAccessResult>(SHOW, { organization: 'acme', entity: 'emma.schmidt', open: false, rescan: true });
    const again = await runCommand<ShowAccessResult>(SHOW, { organization: 'acme', entity: 'emma.schmidt', open: false });
    assert.equal(again.fromCache, true, 'without a change the scan is reused');

    // Give Emma a right she does not have yet on a mailbox she cannot reach today.
    const reachable = new Set((first.entries ?? []).map((e) => e.mailboxId));
    const target = seed.users.find((u) => u.state === 'ENABLED' && u.role !== 'SYSTEM_USER' && u.name !== 'emma.schmidt' && !reachable.has(u.id));
    assert.ok(target, 'the seed has a mailbox Emma cannot reach');
    const granted = await vscode.commands.executeCommand<{ outcome: string }>('workmail.grantPermissions', undefined, undefined, {
      organization: 'acme',
      mailbox: target.name,
      grantee: 'emma.schmidt',
      rights: ['SEND_AS'],
    });
    assert.equal(granted.outcome, 'done');

    const after = await runCommand<ShowAccessResult>(SHOW, { organization: 'acme', entity: 'emma.schmidt', open: false });
    assert.equal(after.fromCache, false, 'the change invalidated the cached scan');
    assert.ok(after.entries?.some((e) => e.mailboxId === target.id && e.rights.includes('SEND_AS') && e.path === 'direct'));
  });

  it('equals the brute force for every user and group of acme (the scan is made once and reused)', async () => {
    const truth = await groundTruth(ACME_ID);
    await runCommand<ShowAccessResult>(SHOW, { organization: 'acme', entity: 'alice.johnson', open: false, rescan: true });
    for (const subject of [...seed.users, ...seed.groups]) {
      if (subject.state === 'DELETED') {
        continue;
      }
      const result = await runCommand<ShowAccessResult>(SHOW, { organization: 'acme', entity: subject.id, open: false });
      assert.equal(result.fromCache, true);
      assert.deepEqual(summary(result), expectedAccess(seed, truth, subject.id), subject.name);
    }
  });

  it('from a mailbox, grantee or group member node; a recent scan is reused and says when it was read; Rescan reads again', async () => {
    const org = await acme();
    const yasmin = await entity(org, 'yasmin.ali');
    const first = await runCommand<ShowAccessResult>(SHOW, { kind: 'mailbox', org, entity: yasmin }, undefined, { open: false, rescan: true });
    assert.equal(first.fromCache, false);
    assert.ok((await calls('ListMailboxPermissions')).length > 30, 'a whole-organization scan');
    await clearCalls();

    const recorder = new Recorder();
    const member = await runCommand<ShowAccessResult>(SHOW, { kind: 'groupMember', org, entity: yasmin }, undefined, { open: false, observe: recorder.observe });
    assert.equal(member.fromCache, true);
    assert.equal(member.readAt, first.readAt);
    assert.deepEqual(summary(member), summary(first));
    assert.deepEqual(await calls(), [], 'no call at all');
    assert.match(recorder.messages('info')[0] ?? '', /as of \d{1,2}:\d{2}\. This is from an earlier scan\./);
    assert.match(member.text ?? '', /from an earlier scan/);

    const grant = { granteeId: yasmin.id, granteeType: 'USER' as const, rights: ['FULL_ACCESS' as const] };
    const fromGrantee = await runCommand<ShowAccessResult>(SHOW, { kind: 'grantee', org, mailbox: await entity(org, 'emma.schmidt'), grant, grantee: yasmin }, undefined, { open: false, rescan: true });
    assert.equal(fromGrantee.fromCache, false);
    assert.notEqual(fromGrantee.readAt, first.readAt);
    assert.deepEqual(summary(fromGrantee), summary(first));
  });

  it('from the palette: organization and entity picked, then the report opens rendered, titled by the person\'s name', async () => {
    const recorder = new Recorder();
    const running = runCommand<ShowAccessResult>(SHOW, { observe: recorder.observe, rescan: true });
    await acceptItem(await recorder.pickerLoaded(), (label) => label.endsWith(' acme'));
    const entityPicker = await recorder.pickerLoaded();
    assert.ok(entityPicker.items.some((item) => /sales-emea-dach/.test(item.label)), 'groups can be chosen');
    assert.ok(!entityPicker.items.some((item) => /room-atlas/.test(item.label)), 'resources hold no rights');
    await acceptItem(entityPicker, (label) => label.endsWith(' Maya Patel'));
    const result = await running;
    assert.equal(result.outcome, 'done', result.reason);
    assert.equal(result.entity?.name, 'maya.patel');
    assert.deepEqual(summary(result), expectedAccess(seed, await groundTruth(ACME_ID), byName(seed, 'maya.patel').id));
    // Opened rendered, in a tab titled by the person's name; the markdown is the preview's source.
    const tab = await previewTab('Preview Access of Maya Patel.md');
    assert.ok(tab.isActive, 'the report is in front');
    assert.ok(vscode.workspace.textDocuments.some((d) => d.uri.toString() === result.uri), 'its source is one command away');
  });

  it('keeps hostile names inert in the report', async () => {
    const hostileSeed = sampleSeed();
    const org = acmeSeed(hostileSeed);
    const tara = org.users.find((u) => u.name === 'tara.singh')!;
    const alice = org.users.find((u) => u.name === 'alice.johnson')!;
    tara.displayName = '**Tara** [run](command:workbench.action.quit) <img src=x onerror=alert(1)>';
    alice.displayName = 'Alice | `evil` ![x](https://example.com/x.png) &amp;\u202Egnp.exe';
    await loadSeed(hostileSeed);

    const result = await runCommand<ShowAccessResult>(SHOW, { organization: 'acme', entity: 'tara.singh', open: false, rescan: true });
    assert.equal(result.outcome, 'done', result.reason);
    const text = result.text ?? '';
    assert.ok(!text.includes('[run](command:'), 'no link survives');
    assert.ok(!/(?<!\\)</.test(text), 'no HTML survives: every < is escaped');
    assert.ok(!text.includes('\u202E'), 'no bidi override survives');
    // Names are inert before they reach the document (no `](` at all), then markdown-escaped.
    assert.ok(text.includes('\\*\\*Tara\\*\\* \\[run\\] (command:workbench.action.quit) \\<img src=x onerror=alert(1)\\>'));
    const aliceRow = text.split('\n').find((line) => line.includes('alice.johnson@'));
    assert.ok(aliceRow, 'Alice\'s mailbox is listed');
    assert.equal(aliceRow.split(/(?<!\\)\|/).length, 6, 'a pipe in a name does not add a table column');
    assert.ok(aliceRow.includes('\\`evil\\`') && aliceRow.includes('!\\[x\\]') && aliceRow.includes('\\&amp;'));
  });

  it('cancelling stops the scan: no more calls, nothing shown', async () => {
    await setFaults({ latencyMs: 150 });
    const controller = new AbortController();
    const running = runCommand<ShowAccessResult>(SHOW, { organization: 'acme', entity: 'emma.schmidt', open: false, rescan: true, signal: controller.signal });
    for (let i = 0; i < 100 && (await calls('ListMailboxPermissions')).length === 0; i++) {
      await delay(50);
    }
    controller.abort();
    const result = await running;
    assert.equal(result.outcome, 'cancelled');
    await delay(600);
    const settled = (await calls()).length;
    await delay(1000);
    assert.equal((await calls()).length, settled, 'no call after the cancellation settled');
    assert.ok((await calls('ListMailboxPermissions')).length < seed.users.length, 'stopped well before the end');
  });
});
