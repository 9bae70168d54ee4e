// Grant, options-driven: the same code path as the dialogs (fresh read, concurrent-change check,
// union, verify) against the emulator, with the emulator's own store as ground truth.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { calls } from '../../tree/support';
import {
  acme,
  clearCalls,
  delay,
  entity,
  freshStart,
  mailboxNode,
  Recorder,
  run,
  setFaults,
  sorted,
  truth,
  writes,
} from './support';

const GRANT = 'workmail.grantPermissions';

describe('Grant permissions', () => {
  beforeEach(async () => {
    await freshStart();
  });

  after(async () => {
    await setFaults({});
  });

  it('granting Send as to someone with Full access keeps both', async () => {
    const org = await acme();
    const david = await entity(org, 'david.okafor');
    const carol = await entity(org, 'carol.nguyen');
    assert.deepEqual(await truth(david.id, carol.id), ['FULL_ACCESS'], 'seed: Carol has Full access on David');
    await clearCalls();

    const result = await run(GRANT, mailboxNode(org, david), undefined, { grantee: 'carol.nguyen', rights: ['SEND_AS'], confirm: true });

    assert.equal(result.outcome, 'done');
    assert.deepEqual(sorted(result.items[0]?.after), ['FULL_ACCESS', 'SEND_AS']);
    assert.equal(result.items[0]?.verified, true);
    assert.deepEqual(await truth(david.id, carol.id), ['FULL_ACCESS', 'SEND_AS']);
    const puts = await writes();
    assert.equal(puts.length, 1, 'one write');
    assert.deepEqual(sorted(puts[0]?.params?.PermissionValues as never), ['FULL_ACCESS', 'SEND_AS'], 'the Put carries the union, never just the new right');
  });

  it('a grantee given by display name is the one person of that name', async () => {
    const org = await acme();
    const david = await entity(org, 'david.okafor');
    const carol = await entity(org, 'carol.nguyen');
    await clearCalls();

    const result = await run(GRANT, mailboxNode(org, david), undefined, { grantee: 'Carol Nguyen', rights: ['SEND_AS'], confirm: true });

    assert.equal(result.outcome, 'done');
    assert.deepEqual(await truth(david.id, carol.id), ['FULL_ACCESS', 'SEND_AS']);
  });

  it('a right the grantee already has is not written again', async () => {
    const org = await acme();
    const david = await entity(org, 'david.okafor');
    const carol = await entity(org, 'carol.nguyen');
    await clearCalls();
    const recorder = new Recorder();

    const result = await run(GRANT, mailboxNode(org, david), undefined, { grantee: carol.id, rights: ['FULL_ACCESS'], observe: recorder.observe });

    assert.equal(result.outcome, 'nothing-to-do');
    assert.equal(result.items[0]?.status, 'unchanged');
    assert.deepEqual(await writes(), []);
    assert.match(recorder.messages('info').join('\n'), /already has Full access/);
  });

  it('Full access on a group mailbox is refused before anything is written', async () => {
    const org = await acme();
    const sales = await entity(org, 'sales@acme.example.com');
    await clearCalls();
    const recorder = new Recorder();

    const result = await run(GRANT, mailboxNode(org, sales), undefined, { grantee: 'david.okafor', rights: ['FULL_ACCESS'], observe: recorder.observe });

    assert.equal(result.outcome, 'failed');
    assert.deepEqual(await writes(), []);
    const [message] = recorder.messages('error');
    assert.match(message ?? '', /^Could not grant permissions on sales: .*group/);
  });

  it('the mailbox cannot be given to itself, nor to a resource', async () => {
    const org = await acme();
    const david = await entity(org, 'david.okafor');
    await clearCalls();
    const recorder = new Recorder();

    const self = await run(GRANT, mailboxNode(org, david), undefined, { grantee: 'david.okafor', rights: ['SEND_AS'], observe: recorder.observe });
    const resource = await run(GRANT, mailboxNode(org, david), undefined, { grantee: 'room-atlas@acme.example.com', rights: ['SEND_AS'], observe: recorder.observe });

    assert.equal(self.outcome, 'failed');
    assert.equal(resource.outcome, 'failed');
    assert.deepEqual(await writes(), []);
    const errors = recorder.messages('error');
    assert.match(errors[0] ?? '', /mailbox itself/);
    assert.match(errors[1] ?? '', /is a resource/);
  });

  it('a grantee that names nobody, or an address WorkMail would not accept, is refused and nothing is written', async () => {
    const org = await acme();
    const david = await entity(org, 'david.okafor');
    await clearCalls();
    const recorder = new Recorder();

    const nobody = await run(GRANT, mailboxNode(org, david), undefined, { grantee: 'not a name!', rights: ['SEND_AS'], observe: recorder.observe });
    assert.equal(nobody.outcome, 'failed');
    assert.match(recorder.messages('error')[0] ?? '', /No user or group "not a name!" in acme/);

    await clearCalls();
    const badAddress = await run(GRANT, mailboxNode(org, david), undefined, { grantee: 'bob@@acme', rights: ['SEND_AS'], observe: recorder.observe });
    assert.equal(badAddress.outcome, 'failed');
    assert.match(recorder.messages('error')[1] ?? '', /"bob@@acme" is not valid as an email address/);
    assert.deepEqual((await calls()).filter((call) => JSON.stringify(call.params ?? {}).includes('bob@@acme')), [], 'the address reached no call');
    assert.deepEqual(await writes(), []);
  });

  it('on several mailboxes, one failure keeps the others and is named with its reason', async () => {
    const org = await acme();
    const [grace, keiko, noah, tara] = await Promise.all(['grace.kim', 'keiko.tanaka', 'noah.fischer', 'tara.singh'].map((name) => entity(org, name)));
    await setFaults({ rules: [{ operation: 'PutMailboxPermissions', match: { EntityId: keiko!.id }, error: 'EntityStateException', times: 1 }] });
    await clearCalls();
    const recorder = new Recorder();
    const nodes = [mailboxNode(org, grace!), mailboxNode(org, keiko!), mailboxNode(org, noah!)];

    const result = await run(GRANT, nodes[0], nodes, { grantee: 'tara.singh', rights: ['SEND_AS'], confirm: true, observe: recorder.observe });

    assert.equal(result.outcome, 'partial');
    const byMailbox = new Map(result.items.map((item) => [item.mailboxId, item]));
    assert.equal(byMailbox.get(grace!.id)?.status, 'changed');
    assert.equal(byMailbox.get(noah!.id)?.status, 'changed');
    assert.equal(byMailbox.get(keiko!.id)?.status, 'failed');
    assert.equal(byMailbox.get(keiko!.id)?.errorCode, 'EntityStateException');
    assert.deepEqual(await truth(grace!.id, tara!.id), ['SEND_AS']);
    assert.deepEqual(await truth(noah!.id, tara!.id), ['SEND_AS']);
    assert.deepEqual(await truth(keiko!.id, tara!.id), []);
    assert.equal(recorder.questions().length, 1, 'one confirmation for the whole selection');
    const [warning] = recorder.messages('warning');
    assert.match(warning ?? '', /2 changed/);
    assert.match(warning ?? '', /1 failed/);
    assert.match(warning ?? '', /Keiko Tanaka: .*disabled or deleted/);
  });

  it('several mailboxes with the confirmation declined: nothing is written', async () => {
    const org = await acme();
    const [grace, noah] = await Promise.all(['grace.kim', 'noah.fischer'].map((name) => entity(org, name)));
    await clearCalls();
    const nodes = [mailboxNode(org, grace!), mailboxNode(org, noah!)];

    const result = await run(GRANT, nodes[1], nodes, { grantee: 'tara.singh', rights: ['SEND_AS'], confirm: false });

    assert.equal(result.outcome, 'cancelled');
    assert.deepEqual(await writes(), []);
  });

  it('from the palette, with organization and mailbox named, without the tree', async () => {
    const org = await acme();
    const samuel = await entity(org, 'samuel.osei');
    const maya = await entity(org, 'maya.patel');
    await clearCalls();

    const result = await run(GRANT, { organization: 'acme', mailbox: 'samuel.osei@acme.example.com', grantee: 'maya.patel', rights: ['SEND_ON_BEHALF', 'SEND_AS'] });

    assert.equal(result.outcome, 'done');
    assert.deepEqual(await truth(samuel.id, maya.id), ['SEND_AS', 'SEND_ON_BEHALF']);
    const [put] = await writes();
    assert.equal(put?.params?.OrganizationId, org.organizationId);
  });

  it('an organization that is not Active is refused with what to do, before any write', async () => {
    await clearCalls();

    const result = await run(GRANT, { organization: 'acme-archive', mailbox: 'anyone', grantee: 'someone', rights: ['SEND_AS'] });

    assert.notEqual(result.outcome, 'done');
    assert.match(result.reason ?? '', /acme-archive is Inactive/);
    assert.match(result.reason ?? '', /Activate it in the WorkMail console/);
    assert.deepEqual(await writes(), []);
  });

  it('a profile switched while several mailboxes are being changed does not send the rest to the other account', async () => {
    const org = await acme();
    const [grace, noah, tara] = await Promise.all(['grace.kim', 'noah.fischer', 'tara.singh'].map((name) => entity(org, name)));
    // Each Put is held, so the switch lands between the first and the second write.
    await setFaults({ rules: [{ operation: 'PutMailboxPermissions', delayMs: 700 }] });
    await clearCalls();
    const nodes = [mailboxNode(org, grace!), mailboxNode(org, noah!)];
    try {
      const running = run(GRANT, nodes[0], nodes, { grantee: 'tara.singh', rights: ['SEND_AS'], confirm: true });
      // The first item's fresh read is logged as soon as it answers; its Put is then held.
      for (let i = 0; i < 200 && (await calls()).filter((call) => call.operation === 'ListMailboxPermissions').length === 0; i++) {
        await delay(10);
      }
      await vscode.commands.executeCommand('workmail.selectProfile', 'emulator-other');
      const result = await running;

      const keys = new Set((await calls()).filter((call) => call.operation !== 'ListOrganizations').map((call) => call.accessKeyId));
      assert.deepEqual([...keys], ['AKIDWORKMAILEMULATOR'], 'every call of the batch went to the account it started with');
      assert.equal(result.items[0]?.status, 'changed');
      assert.deepEqual(await truth(grace!.id, tara!.id), ['SEND_AS']);
      // The rest is either written to the same account or refused without a write: never elsewhere.
      const second = result.items[1];
      if (second?.status === 'changed') {
        assert.deepEqual(await truth(noah!.id, tara!.id), ['SEND_AS']);
      } else {
        assert.equal(second?.status, 'failed');
        assert.match(second?.reason ?? '', /Nothing was changed/);
        assert.deepEqual(await truth(noah!.id, tara!.id), []);
      }
    } finally {
      await vscode.commands.executeCommand('workmail.selectProfile', 'emulator');
    }
  });
});

