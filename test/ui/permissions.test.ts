// A person grants and revokes mailbox permissions with the mouse: right-click menu, quick picks,
// the modal confirmation. Every test checks the emulator's state afterwards through its admin API,
// including that no other grant changed (PutMailboxPermissions replaces a grantee's rights, so a
// careless write loses rights silently).
import * as assert from 'node:assert/strict';
import { seedUserByName, shownName } from './seed';
import {
  assertEventually,
  childLabels,
  contextMenu,
  dialogButton,
  expand,
  granteeLabel,
  granteeRow,
  modalDialog,
  openWorkMailView,
  quickInput,
  quickPickChecked,
  quickPickItem,
  quickPickLabels,
  quickPickOk,
  row,
  runFromPalette,
  setQuickPickChecked,
  type Grant,
  useUiEnvironment,
} from './workbench';

const GRANT = 'Grant Mailbox Permissions…';
const REVOKE = 'Revoke Mailbox Permissions…';

const key = (grant: Grant): string => `${grant.mailboxId}/${grant.granteeId}`;

/** Grants as a map, to compare everything except the pair a test changed. */
function byPair(grants: Grant[]): Map<string, string> {
  return new Map(grants.map((grant) => [key(grant), [...grant.rights].sort().join(',')]));
}

function assertOnlyChanged(before: Grant[], after: Grant[], changedPair: string): void {
  const old = byPair(before);
  const now = byPair(after);
  old.delete(changedPair);
  now.delete(changedPair);
  assert.deepEqual(now, old, 'a grant other than the one changed in the UI was modified');
}

describe('UI: granting and revoking', function () {
  this.timeout(120_000);
  const env = useUiEnvironment();
  let orgId: string;
  const mailbox = seedUserByName('acme', 'Alice Johnson');

  before(async () => {
    orgId = (await env.emulator.organizationByAlias('acme')).id;
  });

  beforeEach(async () => {
    // Every test starts from the sample seed in a freshly loaded window.
    await env.emulator.reset();
    await env.reload();
    await env.emulator.clearCalls();
  });

  async function showMailbox() {
    const tree = await openWorkMailView(env.page);
    await expand(row(tree, 1, 'acme '));
    await expand(row(tree, 2, 'Users'));
    const mailboxRow = row(tree, 3, `${shownName(mailbox)} `);
    await mailboxRow.waitFor({ timeout: 20_000 });
    return { tree, mailboxRow };
  }

  async function chooseGrantee(name: string): Promise<void> {
    const page = env.page;
    await quickInput(page).waitFor({ state: 'visible', timeout: 20_000 });
    await page.keyboard.type(name);
    const item = quickPickItem(page, `person  ${name},`).or(quickPickItem(page, `${name},`)).first();
    await item.waitFor({ timeout: 20_000 });
    await item.click();
  }

  it('grants a right to someone new from the right-click menu and quick picks', async () => {
    const page = env.page;
    const grantee = seedUserByName('acme', 'Carol Nguyen');
    const before = await env.emulator.grants(orgId);
    assert.deepEqual(await env.emulator.rightsOf(orgId, mailbox.id, grantee.id), [], 'precondition: Carol has no rights on Alice\'s mailbox');

    const { tree, mailboxRow } = await showMailbox();
    await contextMenu(page, mailboxRow, GRANT);
    // The grantee picker lists people by name (WorkMail lists them by ID), users before groups.
    await quickInput(page).waitFor({ state: 'visible', timeout: 20_000 });
    let people: string[] = [];
    await assertEventually(async () => {
      people = (await quickPickLabels(page)).filter((label) => /^person /.test(label)).map((label) => label.replace(/^person\s+/, '').split(',')[0]!.trim());
      return people.length >= 8;
    }, 'the grantee picker did not fill');
    assert.deepEqual(people, [...people].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true })), `the grantee picker is not in name order: ${people.join(' | ')}`);
    await chooseGrantee(shownName(grantee));
    await setQuickPickChecked(page, 'Send as,', true);
    await env.screenshot('grant-quickpick.png');
    await quickPickOk(page).click();

    await assertEventually(
      async () => (await env.emulator.rightsOf(orgId, mailbox.id, grantee.id)).join() === 'SEND_AS',
      'the emulator never got SEND_AS for Carol on Alice\'s mailbox',
    );
    assertOnlyChanged(before, await env.emulator.grants(orgId), `${mailbox.id}/${grantee.id}`);

    // The result stays within reach after its notification: "Show details" opens the WorkMail log,
    // which holds it. (From the notification centre if the toast has already gone.)
    const details = (where: string) => page.locator(`${where} .monaco-button`, { hasText: /^\s*Show details\s*$/ }).first();
    if (!(await details('.notifications-toasts').isVisible())) await runFromPalette(page, 'Notifications: Show Notifications');
    await details('.notifications-toasts').or(details('.notifications-center')).first().click({ timeout: 20_000 });
    const log = page.locator('.part.panel .monaco-editor .view-lines').first();
    await assertEventually(async () => {
      const text = ((await log.textContent().catch(() => '')) ?? '').replace(/\u00a0/g, ' ');
      return /result: .*Carol Nguyen/.test(text);
    }, 'Show details opens the WorkMail log holding the result about Carol Nguyen', 20_000);

    await expand(mailboxRow);
    await assertEventually(
      async () => (await childLabels(tree, mailboxRow)).some((label) => granteeLabel(label, shownName(grantee))?.rights.includes('Send as') === true),
      'the tree does not show Carol with Send as under Alice Johnson',
    );
  });

  it('adds a right to an existing grantee and keeps the rights they had', async () => {
    const page = env.page;
    const grantee = seedUserByName('acme', 'Tara Singh');
    const before = await env.emulator.grants(orgId);
    const had = await env.emulator.rightsOf(orgId, mailbox.id, grantee.id);
    assert.ok(had.length > 0 && !had.includes('SEND_AS'), `precondition: Tara has some rights on Alice's mailbox but not SEND_AS (has ${had.join(', ')})`);

    const { mailboxRow } = await showMailbox();
    await contextMenu(page, mailboxRow, GRANT);
    await chooseGrantee(shownName(grantee));
    // The rights step starts from what the grantee has now.
    await quickPickItem(page, 'Send as,').waitFor({ timeout: 20_000 });
    const checked = await quickPickChecked(page);
    for (const [label, isChecked] of checked) {
      const right = label.split(', ')[1];
      assert.equal(isChecked, had.includes(right), `"${label}" should ${had.includes(right) ? '' : 'not '}be pre-checked`);
    }
    await setQuickPickChecked(page, 'Send as,', true);
    await quickPickOk(page).click();

    const expected = [...had, 'SEND_AS'].sort().join();
    await assertEventually(
      async () => (await env.emulator.rightsOf(orgId, mailbox.id, grantee.id)).join() === expected,
      `Tara's rights on Alice's mailbox did not become ${expected}`,
    );
    assertOnlyChanged(before, await env.emulator.grants(orgId), `${mailbox.id}/${grantee.id}`);
  });

  it('revokes a grantee after the modal confirmation', async () => {
    const page = env.page;
    const grantee = seedUserByName('acme', 'Bob Martinez');
    const before = await env.emulator.grants(orgId);
    assert.ok((await env.emulator.rightsOf(orgId, mailbox.id, grantee.id)).length > 0, 'precondition: Bob has rights on Alice\'s mailbox');

    const { tree, mailboxRow } = await showMailbox();
    await expand(mailboxRow);
    await contextMenu(page, granteeRow(tree, shownName(grantee)), REVOKE);

    await modalDialog(page).waitFor({ timeout: 20_000 });
    const question = await modalDialog(page).innerText();
    assert.match(question, new RegExp(shownName(grantee)), `the confirmation does not name ${shownName(grantee)}: ${question}`);
    assert.match(question, new RegExp(shownName(mailbox)), `the confirmation does not name the mailbox: ${question}`);
    await env.screenshot('revoke-confirm.png');
    await dialogButton(page, 'Revoke').click();

    await assertEventually(
      async () => (await env.emulator.rightsOf(orgId, mailbox.id, grantee.id)).length === 0,
      'Bob still has rights on Alice\'s mailbox in the emulator',
    );
    assertOnlyChanged(before, await env.emulator.grants(orgId), `${mailbox.id}/${grantee.id}`);
    await assertEventually(
      async () => !(await childLabels(tree, mailboxRow)).some((label) => granteeLabel(label, shownName(grantee))),
      'the tree still shows Bob under Alice Johnson',
    );
  });

  it('writes nothing when the revoke confirmation is cancelled', async () => {
    const page = env.page;
    const grantee = seedUserByName('acme', 'Bob Martinez');
    const before = await env.emulator.grants(orgId);

    const { tree, mailboxRow } = await showMailbox();
    await expand(mailboxRow);
    await contextMenu(page, granteeRow(tree, shownName(grantee)), REVOKE);
    await modalDialog(page).waitFor({ timeout: 20_000 });
    await dialogButton(page, 'Cancel').click();
    await modalDialog(page).waitFor({ state: 'hidden', timeout: 10_000 });

    const writes = (await env.emulator.calls()).filter((call) => /^(Put|Delete)MailboxPermissions$/.test(call.operation ?? ''));
    assert.deepEqual(writes, [], 'a permission write was sent although the revoke was cancelled');
    assert.deepEqual(byPair(await env.emulator.grants(orgId)), byPair(before));
  });
});
