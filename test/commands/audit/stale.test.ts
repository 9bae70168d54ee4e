// Review Stale Grants…: the seed's stale grants listed with reasons, cleaned up through the safe
// write path, refused items reported with what to do, and the clean-up undone by Undo Last Change.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StaleReviewResult } from '../../../src/commands/audit';
import { ACME_ID, acmeSeed, admin, byName, clearCalls, freshStart, groundTruth, Recorder, runCommand, writes } from './support';

const REVIEW = 'workmail.reviewStaleGrants';
const UNDO = 'workmail.undoLastChange';
const UNKNOWN = '6f1c2e3d-0b9a-4c8d-9e7f-5a4b3c2d1e0f';

describe('Review Stale Grants…', () => {
  const seed = acmeSeed();
  const id = (name: string) => byName(seed, name).id;
  const key = (mailbox: string, grantee: string) => `${mailbox}/${grantee}`;
  const rightsNow = async (mailbox: string, grantee: string) =>
    (await groundTruth(ACME_ID)).find((g) => g.mailboxId === mailbox && g.granteeId === grantee)?.rights ?? [];

  // Stale in the sample seed: to the unknown ID, to disabled william, to deleted xavier, and on
  // william's (disabled) and xavier's (deleted) mailboxes.
  const expected = () =>
    [
      `${key(id('quinn.murphy'), UNKNOWN)}|grantee-unknown`,
      `${key(id('alice.johnson'), id('william.chen'))}|grantee-disabled`,
      `${key(id('rachel.green'), id('xavier.dubois'))}|grantee-deleted`,
      `${key(id('william.chen'), id('carol.nguyen'))}|mailbox-disabled`,
      `${key(id('william.chen'), id('emma.schmidt'))}|mailbox-disabled`,
      `${key(id('xavier.dubois'), id('rachel.green'))}|mailbox-deleted`,
    ].sort();

  beforeEach(async () => {
    await freshStart();
  });

  it('lists the known stale grants with their reasons, all checked; checks each again before revoking, leaving alone what is no longer stale; reports the refused ones', async () => {
    const recorder = new Recorder();
    const running = runCommand<StaleReviewResult>(REVIEW, { organization: 'acme', confirm: true, observe: recorder.observe });
    const preview = await recorder.pickerLoaded();
    assert.ok(preview.canSelectMany);
    assert.equal(preview.items.length, 6);
    assert.ok(preview.items.every((item) => item.picked), 'all pre-checked');
    const quinn = preview.items.find((item) => item.label.includes(UNKNOWN));
    assert.match(quinn?.detail ?? '', /no longer in the directory/);
    assert.match(preview.items.find((item) => item.label.includes('William Chen') && item.label.includes('Alice'))?.detail ?? '', /grantee is disabled/);

    // Someone enables William while the preview is open: his grants, and the grants on his
    // mailbox, are no longer stale, and must be left alone.
    await admin('PUT', `/organizations/${ACME_ID}/entities/${id('william.chen')}/state`, { state: 'ENABLED' });
    await clearCalls();
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const result = await running;

    assert.deepEqual(result.stale?.map((s) => `${s.id}|${s.reasons.join(',')}`).sort(), expected());
    const question = recorder.questions()[0];
    assert.match(question?.text ?? '', /Revoke 6 stale grant\(s\) in acme\?/);
    assert.match(question?.detail ?? '', /1 grant\(s\) to IDs WorkMail no longer knows cannot be put back by Undo/);
    const status = new Map(result.items?.map((item) => [item.id, item]));
    assert.equal(status.get(key(id('quinn.murphy'), UNKNOWN))?.status, 'revoked');
    assert.deepEqual(await rightsNow(id('quinn.murphy'), UNKNOWN), [], 'the admin API shows it gone');
    for (const [mailbox, grantee] of [['alice.johnson', 'william.chen'], ['william.chen', 'carol.nguyen'], ['william.chen', 'emma.schmidt']] as const) {
      assert.equal(status.get(key(id(mailbox), id(grantee)))?.status, 'not-stale', `${mailbox} <- ${grantee}`);
      assert.match(status.get(key(id(mailbox), id(grantee)))?.reason ?? '', /no longer stale/);
      assert.deepEqual(await rightsNow(id(mailbox), id(grantee)), ['FULL_ACCESS'], `${mailbox} <- ${grantee} keeps its rights`);
    }
    const refused = [key(id('rachel.green'), id('xavier.dubois')), key(id('xavier.dubois'), id('rachel.green'))];
    for (const item of refused) {
      assert.equal(status.get(item)?.status, 'failed');
      assert.equal(status.get(item)?.errorCode, 'EntityStateException');
      assert.match(status.get(item)?.reason ?? '', /deleted/);
    }
    assert.deepEqual(await rightsNow(id('rachel.green'), id('xavier.dubois')), ['FULL_ACCESS', 'SEND_ON_BEHALF'], 'refused items are left as they were');
    assert.equal(result.outcome, 'partial');
    const deletes = (await writes()).filter((w) => w.operation === 'DeleteMailboxPermissions');
    assert.equal(deletes.length, 3, 'one Delete per item still stale, none for those no longer stale, no Put');
    assert.equal((await writes()).filter((w) => w.operation === 'PutMailboxPermissions').length, 0);
    assert.match(recorder.messages('warning')[0] ?? '', /1 revoked, 2 not revoked, 3 no longer stale, left as they are/);

    // The one revoked grant was to an ID WorkMail no longer knows: nothing can be put back.
    const undone = await runCommand<{ outcome: string }>(UNDO, { confirm: true });
    assert.equal(undone.outcome, 'nothing-to-do');
  });

  it('reports what WorkMail refuses with what to do ("enable the user first") and revokes the rest', async () => {
    const result = await runCommand<StaleReviewResult>(REVIEW, { organization: 'acme', confirm: true, select: expected().map((line) => line.split('|')[0]!) });
    const status = new Map(result.items?.map((item) => [item.id, item]));
    assert.equal(status.get(key(id('quinn.murphy'), UNKNOWN))?.status, 'revoked');
    assert.equal(status.get(key(id('quinn.murphy'), UNKNOWN))?.undoable, false);
    const william = status.get(key(id('alice.johnson'), id('william.chen')));
    assert.equal(william?.status, 'failed');
    assert.equal(william?.errorCode, 'EntityStateException');
    assert.match(william?.reason ?? '', /William Chen is disabled: enable the user first/);
    assert.match(status.get(key(id('william.chen'), id('carol.nguyen')))?.reason ?? '', /The mailbox William Chen is disabled: enable the user first/);
    assert.deepEqual(await rightsNow(id('alice.johnson'), id('william.chen')), ['FULL_ACCESS']);
    assert.deepEqual(await rightsNow(id('quinn.murphy'), UNKNOWN), []);

    // Nothing of this clean-up can be put back, so there is nothing (older) to undo either.
    const undone = await runCommand<{ outcome: string }>(UNDO, { confirm: true });
    assert.equal(undone.outcome, 'nothing-to-do');
  });

  it('declined, or a choice that is not stale, writes nothing', async () => {
    await clearCalls();
    const declined = await runCommand<StaleReviewResult>(REVIEW, { organization: 'acme', confirm: false, select: [key(id('quinn.murphy'), UNKNOWN)] });
    assert.equal(declined.outcome, 'cancelled');
    const recorder = new Recorder();
    const wrong = await runCommand<StaleReviewResult>(REVIEW, { organization: 'acme', confirm: true, select: [key(id('alice.johnson'), id('tara.singh'))], observe: recorder.observe });
    assert.equal(wrong.outcome, 'failed');
    assert.match(recorder.messages('error')[0] ?? '', /Not a stale grant in this scan/);
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await rightsNow(id('quinn.murphy'), UNKNOWN), ['FULL_ACCESS']);
  });
});
