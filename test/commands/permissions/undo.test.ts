// Undo last change: exactly the rights read before the change come back, after a question.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { setSetting } from '../../tree/support';
import { acme, changeOutOfBand, clearCalls, entity, freshStart, granteeNode, mailboxNode, Recorder, run, truth, writes } from './support';

const GRANT = 'workmail.grantPermissions';
const REVOKE = 'workmail.revokePermissions';
const UNDO = 'workmail.undoLastChange';

describe('Undo last permission change', () => {
  beforeEach(async () => {
    await freshStart();
  });

  it('after a grant, puts back exactly the rights read before it', async () => {
    const org = await acme();
    const david = await entity(org, 'david.okafor');
    const carol = await entity(org, 'carol.nguyen');
    await run(GRANT, mailboxNode(org, david), undefined, { grantee: 'carol.nguyen', rights: ['SEND_AS', 'SEND_ON_BEHALF'] });
    assert.deepEqual(await truth(david.id, carol.id), ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF']);
    await clearCalls();
    const recorder = new Recorder();

    const result = await run(UNDO, { confirm: true, observe: recorder.observe });

    assert.equal(result.outcome, 'done');
    assert.match(recorder.questions()[0]?.text ?? '', /give Carol Nguyen back Full access on David Okafor/);
    assert.deepEqual(await truth(david.id, carol.id), ['FULL_ACCESS']);
    const [put] = await writes();
    assert.deepEqual(put?.params?.PermissionValues, ['FULL_ACCESS']);
  });

  it('refuses to undo at another endpoint than the change was written to, and says how to go back', async () => {
    const org = await acme();
    const david = await entity(org, 'david.okafor');
    const carol = await entity(org, 'carol.nguyen');
    await run(GRANT, mailboxNode(org, david), undefined, { grantee: 'carol.nguyen', rights: ['SEND_AS'] });
    const endpoint = vscode.workspace.getConfiguration('workmail').inspect<string>('endpoint')?.globalValue;
    await clearCalls();
    const recorder = new Recorder();
    try {
      // Nothing listens there: an undo sent to it would fail, but it must not even be tried.
      await setSetting('endpoint', 'http://127.0.0.1:9');
      const refused = await run(UNDO, { confirm: true, observe: recorder.observe });
      assert.equal(refused.outcome, 'failed');
      assert.match(recorder.messages('error')[0] ?? '', /the last change was made at http:\/\/127\.0\.0\.1:\d+.*set workmail\.endpoint back/);
    } finally {
      await setSetting('endpoint', endpoint);
    }
    assert.deepEqual(await writes(), []);
    const undone = await run(UNDO, { confirm: true });
    assert.equal(undone.outcome, 'done', 'back at the endpoint it was written to, the change is still undoable');
    assert.deepEqual(await truth(david.id, carol.id), ['FULL_ACCESS']);
  });

  it('after a revoke, gives every right back; then there is nothing left to undo', async () => {
    const org = await acme();
    const alice = await entity(org, 'alice.johnson');
    const tara = await entity(org, 'tara.singh');
    await run(REVOKE, granteeNode(org, alice, tara, ['FULL_ACCESS', 'SEND_ON_BEHALF']), undefined, { confirm: true });
    assert.deepEqual(await truth(alice.id, tara.id), []);

    const undone = await run(UNDO, { confirm: true });
    assert.equal(undone.outcome, 'done');
    assert.deepEqual(await truth(alice.id, tara.id), ['FULL_ACCESS', 'SEND_ON_BEHALF']);

    await clearCalls();
    const recorder = new Recorder();
    const again = await run(UNDO, { confirm: true, observe: recorder.observe });
    assert.equal(again.outcome, 'nothing-to-do');
    assert.match(recorder.messages('info')[0] ?? '', /no permission change to undo/);
    assert.deepEqual(await writes(), []);
  });

  it('declined, or changed by someone else since, writes nothing and stays undoable', async () => {
    const org = await acme();
    const grace = await entity(org, 'grace.kim');
    const henry = await entity(org, 'henry.walker');
    await run(GRANT, mailboxNode(org, grace), undefined, { grantee: 'henry.walker', rights: ['FULL_ACCESS'] });
    assert.deepEqual(await truth(grace.id, henry.id), ['FULL_ACCESS', 'SEND_AS']);
    await clearCalls();

    const declined = await run(UNDO, { confirm: false });
    assert.equal(declined.outcome, 'cancelled');
    assert.deepEqual(await writes(), []);

    await changeOutOfBand(grace.id, henry.id, ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF']);
    await clearCalls();
    const recorder = new Recorder();
    const conflicted = await run(UNDO, { confirm: true, acceptConcurrentChange: false, observe: recorder.observe });
    assert.equal(conflicted.items[0]?.status, 'refused');
    assert.match(recorder.questions()[1]?.text ?? '', /Someone else changed/);
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await truth(grace.id, henry.id), ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF']);

    // Still the last change: accepting now takes back what the grant added (Full access) and keeps
    // what the other administrator added since (Send on behalf).
    const accepted = await run(UNDO, { confirm: true, acceptConcurrentChange: true });
    assert.equal(accepted.outcome, 'done');
    assert.deepEqual(await truth(grace.id, henry.id), ['SEND_AS', 'SEND_ON_BEHALF']);
  });
});
