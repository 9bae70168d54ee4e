// The real quick picks, driven the way a keyboard would through workbench commands
// (select next, toggle, accept, back, close). What the pickers list is read from the commands'
// observer, which snapshots exactly the items handed to the QuickPick.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PermissionCommandResult, PermissionUiEvent } from '../../../src/commands/permissions';
import {
  acceptItem,
  acme,
  changeOutOfBand,
  clearCalls,
  delay,
  entity,
  focusItem,
  freshStart,
  granteeNode,
  mailboxNode,
  Recorder,
  run,
  truth,
  writes,
} from './support';
import { SettingsSnapshot, setSetting } from '../../tree/support';

const GRANT = 'workmail.grantPermissions';
const EDIT = 'workmail.editPermissions';
const REVOKE = 'workmail.revokePermissions';

/** A workbench quick-input command, as its keybinding would run it. */
const workbench = (action: string) => vscode.commands.executeCommand(`workbench.action.${action}`);

describe('Permission dialogs (real quick picks)', () => {
  let settings: SettingsSnapshot;

  beforeEach(async () => {
    settings = await SettingsSnapshot.take();
    await freshStart();
  });

  afterEach(async () => {
    // A failed test must not leave a picker open for the next one.
    await workbench('closeQuickOpen');
    await settings.restore();
  });

  it('the grantee picker loads users and groups page by page, without the mailbox, resources or system users', async () => {
    await setSetting('pageSize', 5);
    const org = await acme();
    const david = await entity(org, 'david.okafor');
    const carol = await entity(org, 'carol.nguyen');
    await clearCalls();
    const recorder = new Recorder();

    const pending = run(GRANT, mailboxNode(org, david), undefined, { rights: ['SEND_AS'], observe: recorder.observe });
    const picker = await recorder.pickerLoaded(1);

    const labels = picker.items.filter((item) => !item.separator).map((item) => item.label);
    assert.ok(labels.some((label) => label.endsWith('Alice Johnson')), 'users are listed');
    assert.ok(labels.some((label) => label.endsWith(' sales')), 'groups are listed');
    assert.ok(!labels.some((label) => label.endsWith('David Okafor')), 'not the mailbox itself');
    assert.ok(!labels.some((label) => /room-atlas|projector-1/.test(label)), 'no resources');
    assert.ok(!labels.some((label) => /mail\.archiver|Mail Archiver/i.test(label)), 'no system users');
    assert.ok(!labels.some((label) => /Xavier/.test(label)), 'no deleted users');
    const growth = recorder.events.filter((e) => e.type === 'picker' && e.phase === 'items').length;
    assert.ok(growth >= 6, `items arrived page by page (${growth} appends of 5)`);
    assert.equal(picker.title, 'Grant permissions on David Okafor');
    assert.equal(picker.step, 1);
    assert.equal(picker.totalSteps, 2);

    await acceptItem(picker, (label) => label.endsWith('Carol Nguyen'));
    const result = await pending;

    assert.equal(result.outcome, 'done');
    assert.deepEqual(await truth(david.id, carol.id), ['FULL_ACCESS', 'SEND_AS']);
  });

  it('a display name, name, address or ID typed into the grantee picker is looked up when it is not in the list', async () => {
    const org = await acme();
    const david = await entity(org, 'david.okafor');
    const alice = await entity(org, 'alice.johnson');
    await clearCalls();
    const recorder = new Recorder();
    const hasItem = (pattern: RegExp) => (e: PermissionUiEvent) => e.type === 'picker' && e.phase === 'items' && e.items.some((item) => pattern.test(item.label));

    const pending = run(GRANT, mailboxNode(org, david), undefined, { rights: ['SEND_AS'], observe: recorder.observe });
    const picker = await recorder.pickerLoaded(1);

    picker.typeText('bad@@name');
    await recorder.next(hasItem(/\$\(warning\) An email address looks like name@example\.com/));
    picker.typeText('nobody.here');
    await recorder.next(hasItem(/Use 'nobody\.here'…/));
    await delay(150);
    await workbench('acceptSelectedQuickOpenItem');
    await recorder.next(hasItem(/No user or group "nobody\.here" in acme/));
    assert.deepEqual(await writes(), [], 'still open, nothing written');

    // IDs are not among the labels, so only the look-up item matches.
    picker.typeText(alice.id);
    await recorder.next(hasItem(new RegExp(`Use '${alice.id}'…`)));
    await delay(150);
    await workbench('acceptSelectedQuickOpenItem');
    const result = await pending;

    assert.equal(result.outcome, 'done');
    assert.equal(result.items[0]?.grantee, 'Alice Johnson');
    assert.deepEqual(await truth(david.id, alice.id), ['SEND_AS']);
  });

  it('the rights picker is pre-checked with current rights, explains why Full access is missing on a group, and toggling adds a right', async () => {
    const org = await acme();
    const sales = await entity(org, 'sales@acme.example.com');
    const david = await entity(org, 'david.okafor');
    await clearCalls();
    const recorder = new Recorder();

    const pending = run(GRANT, mailboxNode(org, sales), undefined, { grantee: 'david.okafor', observe: recorder.observe });
    const picker = await recorder.pickerLoaded(2);

    assert.ok(picker.canSelectMany);
    const rights = picker.items.filter((item) => !item.separator);
    assert.deepEqual(rights.map((item) => item.description), ['SEND_AS', 'SEND_ON_BEHALF'], 'no Full access on a group');
    assert.ok(rights.every((item) => item.detail && item.detail.length > 20), 'each right explained in plain words');
    assert.ok(picker.items.some((item) => item.separator && /Full access is not offered: a group has no mailbox/.test(item.label)));
    assert.match(picker.placeholder ?? '', /Full access does not apply to groups/);
    assert.ok(rights.every((item) => !item.picked), 'David has nothing on sales yet');

    await focusItem(picker, (label) => label === 'Send on behalf');
    await workbench('quickPickManyToggle');
    await workbench('acceptSelectedQuickOpenItem');
    const result = await pending;

    assert.equal(result.outcome, 'done');
    assert.deepEqual(await truth(sales.id, david.id), ['SEND_ON_BEHALF']);
  });

  it('walks the palette grant flow, with Back, through all four numbered steps', async () => {
    const org = await acme();
    const samuel = await entity(org, 'samuel.osei');
    const maya = await entity(org, 'maya.patel');
    await clearCalls();
    const recorder = new Recorder();
    const pending = run(GRANT, { observe: recorder.observe });

    let step = await recorder.pickerLoaded(1);
    assert.equal(step.title, 'Grant mailbox permissions');
    assert.equal(step.totalSteps, 4);
    await acceptItem(step, (label) => label.endsWith(' acme'));

    await recorder.pickerLoaded(2);
    await workbench('quickInputBack');
    step = await recorder.pickerLoaded(1);
    await acceptItem(step, (label) => label.endsWith(' acme'));

    step = await recorder.pickerLoaded(2);
    assert.ok(step.items.some((item) => /room-atlas/.test(item.label)), 'resources have mailboxes too');
    await acceptItem(step, (label) => label.endsWith('Samuel Osei'));

    step = await recorder.pickerLoaded(3);
    await acceptItem(step, (label) => label.endsWith('Maya Patel'));

    await recorder.pickerLoaded(4);
    await workbench('quickInputBack');
    step = await recorder.pickerLoaded(3);
    await acceptItem(step, (label) => label.endsWith('Maya Patel'));

    step = await recorder.pickerLoaded(4);
    await focusItem(step, (label) => label === 'Send as');
    await workbench('quickPickManyToggle');
    await workbench('acceptSelectedQuickOpenItem');
    const result = await pending;

    assert.equal(result.outcome, 'done');
    assert.deepEqual(await truth(samuel.id, maya.id), ['SEND_AS']);
    assert.equal((await writes()).length, 1);
  });

  it('lists organizations by alias with their region and the tree\'s icon, and mailboxes and grantees by name', async () => {
    // Small pages, so the lists arrive in several pieces in WorkMail's ID order.
    await setSetting('pageSize', 7);
    const recorder = new Recorder();
    const pending = run(GRANT, { observe: recorder.observe });
    const byName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true });

    const orgStep = await recorder.pickerLoaded(1);
    const orgs = orgStep.items.filter((item) => !item.separator);
    const aliases = orgs.map((item) => item.label.replace(/^\$\(mail\) /, ''));
    assert.ok(orgs.every((item) => item.label.startsWith('$(mail) ')), 'the icon the tree gives organizations');
    assert.deepEqual(aliases, [...aliases].sort(byName), 'organizations by alias');
    assert.ok(aliases.includes('acme') && aliases.includes('acme-eu'));
    assert.ok(orgs.every((item) => /^(us-east-1|us-west-2|eu-west-1)/.test(item.description ?? '') && !/\bm-[0-9a-f]/.test(`${item.label} ${item.description}`)), 'the region, not the raw ID');
    await acceptItem(orgStep, (label) => label.endsWith(' acme'));

    const mailboxStep = await recorder.pickerLoaded(2);
    const mailboxes = mailboxStep.items.filter((item) => !item.separator);
    const kindOf = (label: string) => (label.startsWith('$(person)') ? 0 : label.startsWith('$(organization)') ? 1 : 2);
    const kinds = mailboxes.map((item) => kindOf(item.label));
    assert.deepEqual(kinds, [...kinds].sort(), 'users, then groups, then resources');
    for (const kind of [0, 1, 2]) {
      const names = mailboxes.filter((item) => kindOf(item.label) === kind).map((item) => item.label.replace(/^\$\([a-z]+\) /, ''));
      assert.deepEqual(names, [...names].sort(byName), `kind ${kind} by name`);
    }
    assert.ok(mailboxes.filter((item) => kindOf(item.label) === 0).length > 7, 'more than one page of users');
    await acceptItem(mailboxStep, (label) => label.endsWith('Samuel Osei'));

    const grantees = (await recorder.pickerLoaded(3)).items.filter((item) => !item.separator && kindOf(item.label) === 0);
    const names = grantees.map((item) => item.label.replace(/^\$\(person\) /, ''));
    assert.deepEqual(names, [...names].sort(byName), 'grantees by name');
    await workbench('closeQuickOpen');
    assert.equal((await pending).outcome, 'cancelled');
  });

  for (const closeAt of [1, 2, 3, 4]) {
    it(`closing the palette grant flow at step ${closeAt} of 4 writes nothing and shows no error`, async () => {
      await acme();
      await clearCalls();
      const recorder = new Recorder();
      const pending = run(GRANT, { observe: recorder.observe });
      const answers = ['acme', 'Samuel Osei', 'Maya Patel'];
      for (let step = 1; step < closeAt; step++) {
        const picker = await recorder.pickerLoaded(step);
        await acceptItem(picker, (label) => label.endsWith(answers[step - 1] as string));
      }
      await recorder.pickerLoaded(closeAt);
      await workbench('closeQuickOpen');
      const result: PermissionCommandResult = await pending;

      assert.equal(result.outcome, 'cancelled');
      assert.deepEqual(await writes(), []);
      assert.deepEqual(recorder.messages('error'), []);
    });
  }

  it('closing the revoke flow at its grantee step writes nothing; its list names grantees and their rights', async () => {
    const org = await acme();
    const alice = await entity(org, 'alice.johnson');
    await clearCalls();
    const recorder = new Recorder();

    const pending = run(REVOKE, mailboxNode(org, alice), undefined, { observe: recorder.observe });
    const picker = await recorder.pickerLoaded(3);

    const labels = picker.items.map((item) => `${item.label} — ${item.description ?? ''}`);
    assert.ok(labels.some((label) => /Tara Singh — .*Full access · Send on behalf/.test(label)), labels.join('\n'));
    assert.ok(labels.some((label) => /executives/.test(label)), 'group grantees named through the directory');
    await workbench('closeQuickOpen');

    assert.equal((await pending).outcome, 'cancelled');
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await truth(alice.id, (await entity(org, 'tara.singh')).id), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
  });

  it('a change made while the edit dialog is open is caught when it is accepted', async () => {
    const org = await acme();
    const noah = await entity(org, 'noah.fischer');
    const quinn = await entity(org, 'quinn.murphy');
    const recorder = new Recorder();

    // No expectedBefore: the dialog reads the rights itself as it opens.
    const pending = run(EDIT, granteeNode(org, noah, quinn, ['FULL_ACCESS']), undefined, { observe: recorder.observe });
    const picker = await recorder.pickerLoaded();
    assert.deepEqual(
      picker.items.filter((item) => item.picked).map((item) => item.description),
      ['FULL_ACCESS'],
      'pre-checked with what Quinn has',
    );
    await changeOutOfBand(noah.id, quinn.id, ['FULL_ACCESS', 'SEND_AS']);
    await clearCalls();

    await focusItem(picker, (label) => label === 'Send on behalf');
    await workbench('quickPickManyToggle');
    await workbench('acceptSelectedQuickOpenItem');
    const result = await pending;

    assert.equal(result.items[0]?.status, 'refused', 'the modal question is refused in tests, which means no');
    assert.deepEqual(result.items[0]?.concurrent, { expected: ['FULL_ACCESS'], actual: ['FULL_ACCESS', 'SEND_AS'] });
    // The default keeps the other change (Send as) and adds the person's own (Send on behalf);
    // the literal choice, which would remove Send as again, is offered apart.
    assert.match(recorder.questions()[0]?.detail ?? '', /Apply My Change: Quinn Murphy will have Full access · Send as · Send on behalf \(their change is kept\)/);
    assert.match(recorder.questions()[0]?.detail ?? '', /Set Exactly What I Chose: Quinn Murphy will have Full access · Send on behalf \(their change is undone\)/);
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await truth(noah.id, quinn.id), ['FULL_ACCESS', 'SEND_AS']);
  });

  it('unchecking a right in the grant dialog is never a silent removal', async () => {
    const org = await acme();
    const emma = await entity(org, 'emma.schmidt');
    const yasmin = await entity(org, 'yasmin.ali');
    await clearCalls();
    const recorder = new Recorder();

    const pending = run(GRANT, mailboxNode(org, emma), undefined, { grantee: 'yasmin.ali', observe: recorder.observe });
    const picker = await recorder.pickerLoaded(2);
    assert.deepEqual(picker.items.filter((item) => item.picked).map((item) => item.description), ['FULL_ACCESS', 'SEND_AS']);
    await focusItem(picker, (label) => label === 'Full access');
    await workbench('quickPickManyToggle');
    await workbench('acceptSelectedQuickOpenItem');
    const result = await pending;

    const [question] = recorder.questions();
    assert.match(question?.text ?? '', /You unchecked Full access, which Yasmin Ali already has on Emma Schmidt/);
    assert.equal(result.outcome, 'cancelled', 'the refused question means: write nothing');
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await truth(emma.id, yasmin.id), ['FULL_ACCESS', 'SEND_AS']);
  });
});
