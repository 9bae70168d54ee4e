// A person opens the WorkMail view and reads who has access to a mailbox. Checked against the
// emulator's live state, not against numbers written into the test.
import * as assert from 'node:assert/strict';
import { seedEntity, seedOrganization, seedUserByName, shownName } from './seed';
import { assertEventually, childLabels, expand, openWorkMailView, row, useUiEnvironment, visibleLabelText } from './workbench';

/** A grantee row reads "Full access · Send as — Jane Doe", then the description: rights and name of it. */
function granteeParts(label: string): { rights: string; rest: string } {
  const at = label.indexOf(' — ');
  return at < 0 ? { rights: '', rest: label } : { rights: label.slice(0, at), rest: label.slice(at + 3) };
}

const byName = (a: string, b: string): number => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true });

const RIGHT_WORDS: Record<string, string> = {
  FULL_ACCESS: 'Full access',
  SEND_AS: 'Send as',
  SEND_ON_BEHALF: 'Send on behalf',
};

describe('UI: the WorkMail view', function () {
  this.timeout(120_000);
  const env = useUiEnvironment();

  // First, in the window as it opens: the side bar at the width VS Code gives it.
  it('at the default side bar width: users in name order with their count, and every grantee\'s rights on screen', async () => {
    const tree = await openWorkMailView(env.page, { defaultWidth: true });
    const sideBar = await env.page.locator('.part.sidebar').boundingBox();
    assert.ok(sideBar && sideBar.width <= 320, `the side bar should be at its default width, not ${sideBar?.width}px`);
    const acme = await env.emulator.organizationByAlias('acme');
    const mailbox = seedUserByName('acme', 'Alice Johnson');
    const grants = (await env.emulator.grants(acme.id)).filter((grant) => grant.mailboxId === mailbox.id);

    await expand(row(tree, 1, 'acme '));
    const usersRow = row(tree, 2, 'Users');
    await expand(usersRow);
    const people = (seedOrganization('acme').users ?? []).filter((user) => user.state !== 'DELETED').map(shownName);
    let shown: string[] = [];
    await assertEventually(async () => {
      shown = (await childLabels(tree, usersRow)).map((label) => people.filter((name) => label === name || label.startsWith(`${name} `)).sort((a, b) => b.length - a.length)[0] ?? label);
      return shown.length >= 8;
    }, 'the users did not load');
    assert.deepEqual(shown, [...shown].sort(byName), `users are not in name order: ${shown.join(' | ')}`);
    // Every user of acme fits one page: the count is complete, with the system user left out.
    assert.match((await usersRow.getAttribute('aria-label')) ?? '', /^Users \d+ · 1 system user hidden$/);

    const mailboxRow = row(tree, 3, `${shownName(mailbox)} `);
    await expand(mailboxRow);
    let grantees: string[] = [];
    await assertEventually(async () => (grantees = await childLabels(tree, mailboxRow)).length >= grants.length, 'the grantees did not load');
    const names = grantees.map((label) => granteeParts(label).rest);
    assert.deepEqual(names, [...names].sort(byName), `grantees are not in name order: ${grantees.join(' | ')}`);
    for (const label of grantees) {
      const { rights } = granteeParts(label);
      assert.ok(rights, `"${label}" does not lead with the rights`);
      const visible = await visibleLabelText(tree.locator(`.monaco-list-row[aria-level="4"][aria-label="${label.replace(/["\\]/g, '\\$&')}"]`).first());
      assert.ok(visible.startsWith(rights), `at ${sideBar.width}px the rights "${rights}" are cut: only "${visible}" is on screen`);
    }
    await env.screenshot('tree.png');
    // Leave the view as it opened, so the next test sees every organization on screen.
    const acmeRow = row(tree, 1, 'acme ');
    await acmeRow.click();
    await assertEventually(async () => (await acmeRow.getAttribute('aria-expanded')) === 'false', 'acme did not collapse');
  });

  it('reads the first page of Users as the organization opens, so opening Users makes no call', async () => {
    // A window of its own, every organization collapsed: nothing of acme-labs read yet.
    await env.reload();
    const tree = await openWorkMailView(env.page);
    const labs = await env.emulator.organizationByAlias('acme-labs');
    const labsRow = row(tree, 1, 'acme-labs ');
    await labsRow.waitFor({ timeout: 30_000 });
    for (const open of await tree.locator('.monaco-list-row[aria-level="1"][aria-expanded="true"]').all()) await open.click();
    await assertEventually(async () => (await tree.locator('.monaco-list-row[aria-level="1"][aria-expanded="true"]').count()) === 0, 'the organizations did not collapse');
    const listUsersOfLabs = async () => (await env.emulator.calls()).filter((call) => call.operation === 'ListUsers' && call.params?.OrganizationId === labs.id);
    await env.emulator.clearCalls();

    await expand(labsRow);
    await assertEventually(async () => (await listUsersOfLabs()).length === 1, 'opening acme-labs did not read its users');
    const usersRow = row(tree, 2, 'Users');
    if ((await usersRow.getAttribute('aria-expanded')) === 'true') await usersRow.click(); // a restored expansion: start collapsed
    await env.emulator.clearCalls();
    await expand(usersRow);
    await assertEventually(async () => (await childLabels(tree, usersRow)).length >= 20, 'the first page of acme-labs users is not shown');
    assert.deepEqual(await listUsersOfLabs(), [], 'opening Users called WorkMail again');
    assert.match((await usersRow.getAttribute('aria-label')) ?? '', /^Users \d+\+/, 'the Users row counts what was read');

    await labsRow.click();
    await assertEventually(async () => (await labsRow.getAttribute('aria-expanded')) === 'false', 'acme-labs did not collapse');
  });

  it('lists the organizations of the profile\'s account, and no other account\'s', async () => {
    const tree = await openWorkMailView(env.page);
    const organizations = await env.emulator.organizations();
    const acme = organizations.find((org) => org.alias === 'acme');
    assert.ok(acme, 'the sample seed has no acme organization');
    const ours = organizations.filter((org) => org.account === acme.account);
    const theirs = organizations.filter((org) => org.account !== acme.account);
    assert.ok(theirs.length > 0, 'the sample seed should have an organization in a second account');

    await row(tree, 1, 'acme ').waitFor({ timeout: 30_000 });
    const topLevel = await tree.locator('.monaco-list-row[aria-level="1"]').evaluateAll((rows) => rows.map((r) => (r.getAttribute('aria-label') ?? '').trim()));
    for (const org of ours) {
      assert.ok(
        topLevel.some((label) => label.startsWith(`${org.alias} `)),
        `organization ${org.alias} is missing; the view shows: ${topLevel.join(' | ')}`,
      );
    }
    for (const org of theirs) {
      assert.ok(!topLevel.some((label) => label.startsWith(`${org.alias} `)), `${org.alias} belongs to another account but is shown`);
    }
    const archive = ours.find((org) => org.state !== 'Active');
    if (archive) {
      const label = topLevel.find((candidate) => candidate.startsWith(`${archive.alias} `)) ?? '';
      assert.match(label, new RegExp(archive.state, 'i'), `${archive.alias} is ${archive.state} but its row says "${label}"`);
    }
  });

  it('expands acme → Users → a mailbox and shows each grantee with exactly its rights', async () => {
    const tree = await openWorkMailView(env.page);
    const acme = await env.emulator.organizationByAlias('acme');
    const mailbox = seedUserByName('acme', 'Alice Johnson');
    const grants = (await env.emulator.grants(acme.id)).filter((grant) => grant.mailboxId === mailbox.id);
    assert.ok(grants.length >= 2, 'the sample seed should give Alice Johnson\'s mailbox several grantees');

    await expand(row(tree, 1, 'acme '));
    await expand(row(tree, 2, 'Users'));
    const mailboxRow = row(tree, 3, `${shownName(mailbox)} `);
    await expand(mailboxRow);
    // Grantees load over the API after the expand: wait until as many rows as grants are shown.
    let grantees: string[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      grantees = await childLabels(tree, mailboxRow);
      if (grantees.length >= grants.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(grantees.length, grants.length, `expected ${grants.length} grantees, the tree shows: ${grantees.join(' | ')}`);

    for (const grant of grants) {
      const grantee = seedEntity('acme', grant.granteeId);
      assert.ok(grantee, `grantee ${grant.granteeId} is not in the sample seed`);
      const label = grantees.find((candidate) => granteeParts(candidate).rest === shownName(grantee) || granteeParts(candidate).rest.startsWith(`${shownName(grantee)} `));
      assert.ok(label, `${shownName(grantee)} is missing under ${shownName(mailbox)}; shown: ${grantees.join(' | ')}`);
      const { rights } = granteeParts(label);
      for (const [right, words] of Object.entries(RIGHT_WORDS)) {
        const has = new RegExp(`(^|[^\\w])${words}($|[^\\w])`).test(rights);
        assert.equal(has, grant.rights.includes(right), `${shownName(grantee)}: "${label}" vs rights ${grant.rights.join(', ')}`);
      }
    }
  });
});
