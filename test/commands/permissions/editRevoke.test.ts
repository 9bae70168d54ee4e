// Edit and revoke, options-driven, and what happens when someone else changes the rights between
// the moment they were shown and the moment the change is confirmed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PermissionCommandResult } from '../../../src/commands/permissions';
import type { Right } from '../../../src/workmail/types';
import {
  acme,
  changeOutOfBand,
  clearCalls,
  entity,
  freshStart,
  granteeNode,
  mailboxNode,
  Recorder,
  run,
  sorted,
  truth,
  writes,
} from './support';

const GRANT = 'workmail.grantPermissions';
const EDIT = 'workmail.editPermissions';
const REVOKE = 'workmail.revokePermissions';

describe('Edit and revoke permissions', () => {
  beforeEach(async () => {
    await freshStart();
  });

  it('editing to nothing asks first: declined writes nothing, confirmed removes the grant', async () => {
    const org = await acme();
    const henry = await entity(org, 'henry.walker');
    const grace = await entity(org, 'grace.kim');
    const node = granteeNode(org, henry, grace, ['FULL_ACCESS']);
    await clearCalls();
    const declined = new Recorder();

    const first = await run(EDIT, node, undefined, { rights: [], confirm: false, observe: declined.observe });

    assert.equal(first.outcome, 'cancelled');
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await truth(henry.id, grace.id), ['FULL_ACCESS']);
    assert.match(declined.questions()[0]?.text ?? '', /Remove all permissions of Grace Kim on Henry Walker/);
    assert.deepEqual(declined.messages('error'), [], 'declining is not an error');

    const second = await run(EDIT, node, undefined, { rights: [], confirm: true });

    assert.equal(second.outcome, 'done');
    assert.deepEqual(await truth(henry.id, grace.id), []);
    const calls = await writes();
    assert.deepEqual(calls.map((call) => call.operation), ['DeleteMailboxPermissions'], 'a revoke is a Delete, never an empty Put');
  });

  it('editing sets exactly the chosen rights', async () => {
    const org = await acme();
    const alice = await entity(org, 'alice.johnson');
    const tara = await entity(org, 'tara.singh');
    await clearCalls();

    const result = await run(EDIT, granteeNode(org, alice, tara, ['FULL_ACCESS', 'SEND_ON_BEHALF']), undefined, { rights: ['SEND_AS'] });

    assert.equal(result.outcome, 'done');
    assert.deepEqual(sorted(result.items[0]?.before), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    assert.deepEqual(await truth(alice.id, tara.id), ['SEND_AS']);
  });

  it('a revoke nobody confirmed (the modal is refused here) writes nothing', async () => {
    const org = await acme();
    const alice = await entity(org, 'alice.johnson');
    const bob = await entity(org, 'bob.martinez');
    await clearCalls();
    const recorder = new Recorder();

    const result = await run(REVOKE, granteeNode(org, alice, bob, ['SEND_ON_BEHALF']), undefined, { observe: recorder.observe });

    assert.equal(result.outcome, 'cancelled');
    const [question] = recorder.questions();
    assert.equal(question?.answeredBy, 'person', 'the modal was really asked');
    assert.match(question?.text ?? '', /Revoke all permissions of Bob Martinez on Alice Johnson/);
    assert.match(question?.detail ?? '', /loses Send on behalf/);
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await truth(alice.id, bob.id), ['SEND_ON_BEHALF']);
  });

  it('a confirmation passed in the command arguments is not an answer: a caller cannot revoke unseen', async () => {
    const org = await acme();
    const alice = await entity(org, 'alice.johnson');
    const bob = await entity(org, 'bob.martinez');
    await clearCalls();

    // What a keybinding or another extension could pass; only the tests' answer seam answers.
    const result = await vscode.commands.executeCommand<PermissionCommandResult>(REVOKE, granteeNode(org, alice, bob, ['SEND_ON_BEHALF']), undefined, {
      confirm: true,
      acceptConcurrentChange: 'exact',
    });

    assert.equal(result.outcome, 'cancelled', 'the refused modal counts as no');
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await truth(alice.id, bob.id), ['SEND_ON_BEHALF']);
  });

  it('revoking several grantees: one confirmation naming each, then each removed', async () => {
    const org = await acme();
    const [alice, bob, tara, william] = await Promise.all(['alice.johnson', 'bob.martinez', 'tara.singh', 'william.chen'].map((name) => entity(org, name)));
    const nodes = [granteeNode(org, alice!, bob!, ['SEND_ON_BEHALF']), granteeNode(org, alice!, tara!, ['FULL_ACCESS', 'SEND_ON_BEHALF']), granteeNode(org, bob!, tara!, ['SEND_ON_BEHALF'])];
    await clearCalls();
    const recorder = new Recorder();

    const result = await run(REVOKE, nodes[0], nodes, { confirm: true, observe: recorder.observe });

    assert.equal(result.outcome, 'done');
    assert.equal(recorder.questions().length, 1);
    const detail = recorder.questions()[0]?.detail ?? '';
    assert.match(detail, /Bob Martinez on Alice Johnson loses Send on behalf/);
    assert.match(detail, /Tara Singh on Alice Johnson loses Full access · Send on behalf/);
    assert.match(detail, /Tara Singh on Bob Martinez loses Send on behalf/);
    assert.deepEqual(await truth(alice!.id, bob!.id), []);
    assert.deepEqual(await truth(alice!.id, tara!.id), []);
    assert.deepEqual(await truth(bob!.id, tara!.id), []);
    assert.deepEqual(await truth(alice!.id, william!.id), ['FULL_ACCESS'], 'an unselected grantee on the same mailbox keeps its rights');
    assert.equal((await writes()).length, 3);
  });

  it('revoke from the palette, without the tree: organization → mailbox → grantee → confirm', async () => {
    const org = await acme();
    const samuel = await entity(org, 'samuel.osei');
    const tara = await entity(org, 'tara.singh');
    await clearCalls();

    const result = await run(REVOKE, { organization: 'acme', mailbox: 'samuel.osei', grantee: 'tara.singh@acme.example.com', confirm: true });

    assert.equal(result.outcome, 'done');
    assert.equal(result.items[0]?.grantee, 'Tara Singh');
    assert.deepEqual(await truth(samuel.id, tara.id), []);
  });

  it('revoke from the palette naming mailbox and grantee by display name, in any case', async () => {
    const org = await acme();
    const samuel = await entity(org, 'samuel.osei');
    const tara = await entity(org, 'tara.singh');
    await clearCalls();

    const result = await run(REVOKE, { organization: 'acme', mailbox: 'Samuel Osei', grantee: 'tara SINGH', confirm: true });

    assert.equal(result.outcome, 'done');
    assert.equal(result.items[0]?.grantee, 'Tara Singh');
    assert.deepEqual(await truth(samuel.id, tara.id), []);
  });

  it('revoke from the palette for someone without rights there says so and writes nothing', async () => {
    await acme();
    await clearCalls();
    const recorder = new Recorder();

    const result = await run(REVOKE, { organization: 'acme', mailbox: 'samuel.osei', grantee: 'maya.patel', confirm: true, observe: recorder.observe });

    assert.equal(result.outcome, 'failed');
    assert.match(recorder.messages('error')[0] ?? '', /^Could not revoke permissions on .*Maya Patel has no permissions on Samuel Osei/);
    assert.deepEqual(await writes(), []);
  });
});

describe('Someone else changed the rights after they were shown', () => {
  beforeEach(async () => {
    await freshStart();
  });

  it('grant: the difference is shown and, declined, nothing is written', async () => {
    const org = await acme();
    const liam = await entity(org, 'liam.obrien');
    const keiko = await entity(org, 'keiko.tanaka');
    // The person opened the dialog and saw Full access; then someone else added Send on behalf.
    await changeOutOfBand(liam.id, keiko.id, ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    await clearCalls();
    const recorder = new Recorder();

    const result = await run(GRANT, mailboxNode(org, liam), undefined, {
      grantee: 'keiko.tanaka',
      rights: ['SEND_AS'],
      expectedBefore: ['FULL_ACCESS'],
      acceptConcurrentChange: false,
      observe: recorder.observe,
    });

    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.items[0]?.status, 'refused');
    assert.deepEqual(result.items[0]?.concurrent, { expected: ['FULL_ACCESS'], actual: ['FULL_ACCESS', 'SEND_ON_BEHALF'] });
    const [question] = recorder.questions();
    assert.match(question?.text ?? '', /Someone else changed the permissions of Keiko Tanaka on Liam O.Brien/);
    assert.match(question?.detail ?? '', /When you opened them: Full access\./);
    assert.match(question?.detail ?? '', /Now: Full access · Send on behalf \(added Send on behalf\)/);
    assert.match(question?.detail ?? '', /Apply My Change: Keiko Tanaka will have Full access · Send as · Send on behalf \(their change is kept\)/);
    assert.doesNotMatch(question?.detail ?? '', /Set Exactly What I Chose/, 'a grant means the same either way: one choice');
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await truth(liam.id, keiko.id), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
  });

  it('grant: accepted, it is applied on top of the new rights', async () => {
    const org = await acme();
    const liam = await entity(org, 'liam.obrien');
    const keiko = await entity(org, 'keiko.tanaka');
    await changeOutOfBand(liam.id, keiko.id, ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    await clearCalls();

    const result = await run(GRANT, mailboxNode(org, liam), undefined, { grantee: 'keiko.tanaka', rights: ['SEND_AS'], expectedBefore: ['FULL_ACCESS'], acceptConcurrentChange: true });

    assert.equal(result.outcome, 'done');
    assert.deepEqual(await truth(liam.id, keiko.id), ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF']);
  });

  it('edit: a right removed by someone else is not silently re-added, nor one they added removed', async () => {
    const org = await acme();
    const umar = await entity(org, 'umar.farouk');
    const victoria = await entity(org, 'victoria.larsen');
    // Shown: Full access + Send as. Meanwhile someone else removed Send as and added Send on behalf.
    await changeOutOfBand(umar.id, victoria.id, ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    await clearCalls();
    const recorder = new Recorder();

    const result = await run(EDIT, granteeNode(org, umar, victoria, ['FULL_ACCESS', 'SEND_AS']), undefined, {
      rights: ['FULL_ACCESS'],
      expectedBefore: ['FULL_ACCESS', 'SEND_AS'],
      observe: recorder.observe,
    });

    assert.equal(result.items[0]?.status, 'refused');
    assert.equal(recorder.questions()[0]?.answeredBy, 'person', 'asked, and the refused modal counts as no');
    assert.match(recorder.questions()[0]?.detail ?? '', /added Send on behalf; removed Send as/);
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await truth(umar.id, victoria.id), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
  });

  it('edit: "Apply My Change" does not bring back a right another administrator just removed', async () => {
    const org = await acme();
    const isabel = await entity(org, 'isabel.rossi');
    const owner = await entity(org, 'olivia.brown');
    // Isabel had Full access and Send on behalf when the dialog opened; the person adds Send as.
    await changeOutOfBand(owner.id, isabel.id, ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    const shown: Right[] = ['FULL_ACCESS', 'SEND_ON_BEHALF'];
    // Meanwhile another administrator removes Send on behalf.
    await changeOutOfBand(owner.id, isabel.id, ['FULL_ACCESS']);
    await clearCalls();
    const recorder = new Recorder();
    const result = await run(EDIT, granteeNode(org, owner, isabel, shown), undefined, {
      rights: ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'],
      expectedBefore: shown,
      acceptConcurrentChange: true,
      observe: recorder.observe,
    });
    assert.equal(result.items[0]?.status, 'changed');
    assert.deepEqual(await truth(owner.id, isabel.id), ['FULL_ACCESS', 'SEND_AS'], 'the removal by the other administrator stands');
    assert.match(recorder.questions().at(-1)?.detail ?? '', /Set Exactly What I Chose: Isabel Rossi will have Full access · Send as · Send on behalf \(their change is undone\)/);

    // Taken literally, by explicit choice only, the removed right comes back.
    await changeOutOfBand(owner.id, isabel.id, ['FULL_ACCESS']);
    const exact = await run(EDIT, granteeNode(org, owner, isabel, shown), undefined, { rights: ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'], expectedBefore: shown, acceptConcurrentChange: 'exact' });
    assert.equal(exact.items[0]?.status, 'changed');
    assert.deepEqual(await truth(owner.id, isabel.id), ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF']);
  });

  it('revoke: a grantee who gained rights meanwhile is not removed without asking', async () => {
    const org = await acme();
    const keiko = await entity(org, 'keiko.tanaka');
    const maya = await entity(org, 'maya.patel');
    await changeOutOfBand(keiko.id, maya.id, ['FULL_ACCESS', 'SEND_ON_BEHALF']);
    await clearCalls();

    const result = await run(REVOKE, granteeNode(org, keiko, maya, ['SEND_ON_BEHALF']), undefined, { confirm: true, expectedBefore: ['SEND_ON_BEHALF'], acceptConcurrentChange: false });

    assert.equal(result.items[0]?.status, 'refused');
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await truth(keiko.id, maya.id), ['FULL_ACCESS', 'SEND_ON_BEHALF']);
  });
});
