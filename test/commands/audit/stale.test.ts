// Review Stale Grants…: the seed's stale grants listed with reasons, cleaned up through the safe
// write path, refused items reported with what to do, and the clean-up undone by Undo Last Change;
// stale booking delegates and application rule targets reported beside them, never removed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StaleReviewResult } from '../../../src/commands/audit';
import { ACME_ID, acmeSeed, admin, byName, calls, clearCalls, freshStart, groundTruth, Recorder, runCommand, setFaults, writes } from './support';

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

  /** The open stale-grant report's markdown (the document behind the rendered preview). */
  let reportUri: vscode.Uri | undefined;
  const reportText = async (until: (text: string) => boolean = () => true): Promise<{ uri: vscode.Uri; text: string }> => {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'workmail-access' && d.uri.path.includes('/Stale grants in '));
    assert.ok(document, 'the stale-grant report is open');
    reportUri = document.uri;
    // A replaced report reaches the open document a moment later (the provider's change event).
    const deadline = Date.now() + 10_000;
    while (!until(document.getText()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return { uri: reportUri, text: document.getText() };
  };
  /** The table's rows (header and rule left out), cells unescaped. */
  const tableRows = (markdown: string): string[][] =>
    markdown
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| Mailbox') && !line.startsWith('| ---'))
      .map((line) => line.slice(2, -2).split(' | ').map((cell) => cell.replace(/\\(.)/g, '$1')));

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

    // The whole list is rendered beside the picker, titled by organization and time, each grant
    // with its reason, read as a person reads the tree (mailbox, then grantee, by name).
    const listed = await reportText();
    assert.match(listed.uri.path, /^\/m-[0-9a-f]+\/Stale grants in acme, \d{4}-\d\d-\d\d\.md$/, `titled by organization and day, not ${listed.uri.path}`);
    assert.match(listed.text, /Found: 6 stale grants/);
    const rows = tableRows(listed.text);
    assert.equal(rows.length, 6);
    assert.deepEqual(rows.map((r) => r[0]), [...rows.map((r) => r[0])].sort((a, b) => a.localeCompare(b)), 'by mailbox name');
    assert.ok(rows.some((r) => r[0] === 'Alice Johnson' && r[1] === 'William Chen' && r[3] === 'the grantee is disabled'), 'names and reason, not IDs');
    assert.ok(rows.some((r) => r[1] === UNKNOWN && r[3] === 'the grantee is no longer in the directory'), 'an unknown grantee by its ID');
    assert.ok(rows.every((r) => r.length === 4), 'no outcome before the clean-up');

    // Someone enables William while the preview is open: his grants, and the grants on his
    // mailbox, are no longer stale, and must be left alone.
    await admin('PUT', `/organizations/${ACME_ID}/entities/${id('william.chen')}/state`, { state: 'ENABLED' });
    await clearCalls();
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const result = await running;

    assert.deepEqual(result.stale?.map((s) => `${s.id}|${s.reasons.join(',')}`).sort(), expected());
    const question = recorder.questions()[0];
    assert.match(question?.text ?? '', /Revoke 6 stale grants in acme\?/);
    assert.match(question?.detail ?? '', /1 grant to an ID WorkMail no longer knows cannot be put back by Undo/);
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
    assert.match(recorder.messages('warning')[0] ?? '', /The report beside lists what became of each/);

    // The same report, replaced in place, now says what became of each.
    const after = await reportText((text) => text.includes('| Outcome |'));
    assert.equal(after.uri.toString(), result.uri, 'the same document');
    const outcome = new Map(tableRows(after.text).map((r) => [`${r[0]} <- ${r[1]}`, r[4] ?? '']));
    assert.equal(outcome.get(`Quinn Murphy <- ${UNKNOWN}`), 'revoked (cannot be put back)');
    assert.equal(outcome.get('Alice Johnson <- William Chen'), 'no longer stale, left as it is');
    assert.match(outcome.get('Rachel Green <- Xavier Dubois') ?? '', /^not revoked: .*deleted/);

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

  it('declined writes nothing, and a grant that is not stale is not offered to choose', async () => {
    await clearCalls();
    const declined = await runCommand<StaleReviewResult>(REVIEW, { organization: 'acme', confirm: false, select: [key(id('quinn.murphy'), UNKNOWN)] });
    assert.equal(declined.outcome, 'cancelled');
    const recorder = new Recorder();
    const wrong = await runCommand<StaleReviewResult>(REVIEW, { organization: 'acme', confirm: true, select: [key(id('alice.johnson'), id('tara.singh'))], observe: recorder.observe });
    assert.equal(wrong.outcome, 'failed');
    // The script can only pick among what the picker offers; Alice's grant to Tara is not there.
    assert.match(recorder.messages('error')[0] ?? '', /the script selects what the picker does not offer/);
    assert.deepEqual(await writes(), []);
    assert.deepEqual(await rightsNow(id('quinn.murphy'), UNKNOWN), ['FULL_ACCESS']);
  });

  it('reports the booking delegates and application rule targets that serve no one, with what to do, and removes none of them', async () => {
    await admin('PUT', `/organizations/${ACME_ID}/entities/${id('tara.singh')}/state`, { state: 'DISABLED' });
    const booking = await admin('GET', `/organizations/${ACME_ID}/booking`);
    await clearCalls();
    const recorder = new Recorder();
    const result = await runCommand<StaleReviewResult>(REVIEW, { organization: 'acme', confirm: true, select: [], observe: recorder.observe });
    assert.equal(result.outcome, 'cancelled', 'nothing chosen');
    assert.deepEqual(result.staleDelegates?.map((d) => `${d.resource} <- ${d.delegate}: ${d.reasons.join(',')}`), ['room-atlas <- Tara Singh: delegate-disabled']);
    assert.deepEqual(result.staleApplications?.map((a) => `${a.role}: ${[...a.reasons, ...a.targets].join('; ')}`), ['CRM sync: rule "Sales department" names william.chen, who is disabled']);
    assert.deepEqual(result.unreadRoutes, []);
    const { text } = await reportText((t) => t.includes('## Booking delegates'));
    assert.match(text, /- Also: 1 stale booking delegate, 1 application with stale rules/);
    assert.match(text, /## Booking delegates\n\n.*remove each with Remove Booking Delegate.*\n\n- room-atlas ← Tara Singh: the delegate is disabled; remove with Remove Booking Delegate\n/);
    assert.match(text, /## Applications \(impersonation roles\)\n\n.*never changed.*\n\n- CRM sync \(full access\): rule "Sales department" names william\.chen, who is disabled\n/);
    assert.deepEqual(await admin('GET', `/organizations/${ACME_ID}/booking`), booking, 'no delegate removed');
    assert.ok(!(await calls()).some((call) => /Delegate|ImpersonationRole$|AccessControlRule$/.test(call.operation ?? '') && !/^(List|Get)/.test(call.operation ?? '')), 'no route write of any kind');
  });

  it('names the route parts it could not read, in the report and the result', async () => {
    await setFaults({ rules: [{ operation: 'ListImpersonationRoles', error: 'AccessDeniedException', status: 400 }] });
    try {
      const recorder = new Recorder();
      const result = await runCommand<StaleReviewResult>(REVIEW, { organization: 'acme', confirm: true, select: [], observe: recorder.observe });
      assert.deepEqual(result.unreadRoutes, ['the impersonation roles']);
      assert.deepEqual(result.staleApplications, []);
      const { text } = await reportText((t) => t.includes('## Not read'));
      assert.match(text, /## Not read\n\n.*stale booking delegates or applications in them are missing.*\n\n- the impersonation roles\n/);
    } finally {
      await setFaults({});
    }
  });
});
