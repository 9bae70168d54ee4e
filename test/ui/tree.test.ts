// A person opens the WorkMail view and reads who has access to a mailbox. Checked against the
// emulator's live state, not against numbers written into the test.
import * as assert from 'node:assert/strict';
import { seedEntity, seedOrganization, seedUserByName, shownName } from './seed';
import { assertEventually, childLabels, collapse, expand, openWorkMailView, row, runFromPalette, useUiEnvironment, visibleLabelText } from './workbench';

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
    await rowReads(usersRow, /^Users \d+ · 1 system user hidden$/, `the Users row does not count ${people.length} users and 1 system user hidden`);

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
    const { tree, orgRow: labsRow } = await freshWindowAt('acme-labs');
    const labs = await env.emulator.organizationByAlias('acme-labs');
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
    await rowReads(usersRow, /^Users \d+\+/, 'the Users row counts what was read');

    await closeRows(labsRow);
  });

  /** A freshly loaded window with every organization closed, and `alias`'s row in it. */
  async function freshWindowAt(alias: string) {
    await env.reload();
    const tree = await openWorkMailView(env.page);
    const orgRow = row(tree, 1, `${alias} `);
    await orgRow.waitFor({ timeout: 30_000 });
    for (const open of await tree.locator('.monaco-list-row[aria-level="1"][aria-expanded="true"]').all()) await open.click();
    await assertEventually(async () => (await tree.locator('.monaco-list-row[aria-level="1"][aria-expanded="true"]').count()) === 0, 'the organizations did not collapse');
    return { tree, orgRow };
  }

  /** In a fresh window, `alias` open and its Users open, with at least `rows` rows on screen. */
  async function openUsersOf(alias: string, rows: number) {
    const { tree, orgRow } = await freshWindowAt(alias);
    await expand(orgRow);
    const usersRow = row(tree, 2, 'Users');
    await expand(usersRow);
    await assertEventually(async () => (await childLabels(tree, usersRow)).length >= rows, `the first page of ${alias} users is not shown`);
    return { tree, orgRow, usersRow };
  }

  /** acme-labs open, its Users open with the first page on screen, every other organization closed, in a freshly loaded window. */
  async function openLabsUsers() {
    const { tree, orgRow: labsRow, usersRow } = await openUsersOf('acme-labs', 20);
    return { tree, labsRow, usersRow };
  }

  /** Alice Johnson's mailbox in acme, the grants the emulator holds on it, and its row under acme's open Users. */
  async function aliceUnderOpenUsers() {
    const { tree, orgRow: acmeRow, usersRow } = await openUsersOf('acme', 8);
    const acme = await env.emulator.organizationByAlias('acme');
    const mailbox = seedUserByName('acme', 'Alice Johnson');
    const grants = (await env.emulator.grants(acme.id)).filter((grant) => grant.mailboxId === mailbox.id);
    const mailboxRow = row(tree, 3, `${shownName(mailbox)} `);
    await mailboxRow.waitFor({ timeout: 20_000 });
    const grantsShown = async (what: string) =>
      assertEventually(async () => (await childLabels(tree, mailboxRow)).length === grants.length, `${what}: ${shownName(mailbox)} does not show its ${grants.length} grantees`);
    return { tree, acmeRow, usersRow, mailboxRow, grantsShown };
  }

  /** Closes `rows`, innermost first. */
  async function closeRows(...rows: Array<ReturnType<typeof row>>) {
    for (const open of rows) await collapse(open);
  }

  /** Until `target`'s row reads `pattern` (a list's count comes once the tree is quiet). */
  async function rowReads(target: ReturnType<typeof row>, pattern: RegExp, message: string) {
    await assertEventually(async () => pattern.test((await target.getAttribute('aria-label')) ?? ''), message);
  }

  /** Until the emulator has answered a call of `operation` since its log was last cleared. */
  async function called(operation: string, message: string) {
    await assertEventually(async () => (await env.emulator.calls()).some((call) => call.operation === operation), message);
  }

  async function refreshWithRowButton(target: ReturnType<typeof row>) {
    await env.emulator.clearCalls();
    await target.hover();
    await target.locator('.action-label[aria-label^="Refresh"]').click();
  }


  it('Refresh of open Users, twice, reads it again each time and shows the rows it read, with the count', async () => {
    const { tree, labsRow, usersRow } = await openLabsUsers();
    for (const time of ['first', 'second']) {
      await refreshWithRowButton(usersRow);
      await called('ListUsers', `the ${time} Refresh of open Users read nothing`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await assertEventually(async () => (await childLabels(tree, usersRow)).length >= 20, `after the ${time} Refresh of open Users, it shows no rows`);
      await rowReads(usersRow, /^Users \d+\+/, 'the Users row counts what was read');
    }
    await closeRows(usersRow, labsRow);
  });

  it('Refresh of open Groups (a list opened without a read ahead) shows the rows it read, with the count', async () => {
    const { tree, labsRow, usersRow } = await openLabsUsers();
    await usersRow.click();
    const groupsRow = row(tree, 2, 'Groups');
    await expand(groupsRow);
    await assertEventually(async () => (await childLabels(tree, groupsRow)).length >= 1, 'the groups of acme-labs are not shown');
    await rowReads(groupsRow, /^Groups \d+/, 'the Groups row has no count');
    const before = await childLabels(tree, groupsRow);
    await refreshWithRowButton(groupsRow);
    await called('ListGroups', 'Refresh of open Groups read nothing');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await assertEventually(async () => (await childLabels(tree, groupsRow)).length === before.length, `after Refresh of open Groups it shows ${(await childLabels(tree, groupsRow)).length} rows, not ${before.length}`);
    await rowReads(groupsRow, /^Groups \d+/, 'the Groups row counts what was read');
    await groupsRow.click();
    await closeRows(usersRow, labsRow);
  });

  it('Refresh of closed Users reads it again: opened, it shows the rows read, with the count', async () => {
    const { tree, labsRow, usersRow } = await openLabsUsers();
    await usersRow.click();
    await assertEventually(async () => (await usersRow.getAttribute('aria-expanded')) === 'false', 'Users did not collapse');
    await refreshWithRowButton(usersRow);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expand(usersRow);
    await assertEventually(async () => (await childLabels(tree, usersRow)).length >= 20, 'after Refresh, opening Users shows no rows');
    assert.equal((await env.emulator.calls()).filter((call) => call.operation === 'ListUsers').length, 1, 'Refresh read the list again, once');
    await rowReads(usersRow, /^Users \d+\+/, 'the Users row counts what was read');
    await closeRows(usersRow, labsRow);
  });

  it('Refresh of the organization with Users open reads Users again and shows its rows, with the count', async () => {
    const { tree, labsRow, usersRow } = await openLabsUsers();
    await refreshWithRowButton(labsRow);
    await called('ListUsers', 'Refresh of acme-labs did not read its open Users');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await assertEventually(async () => (await childLabels(tree, usersRow)).length >= 20, 'after Refresh of acme-labs, its open Users shows no rows');
    await rowReads(usersRow, /^Users \d+\+/, 'the Users row counts what was read');
    await closeRows(usersRow, labsRow);
  });

  it('Refresh of the whole view with Users open shows its rows again, with the count', async () => {
    const { tree, labsRow, usersRow } = await openLabsUsers();
    await env.emulator.clearCalls();
    await runFromPalette(env.page, 'WorkMail: Refresh');
    await called('ListUsers', 'Refresh of the view did not read the open Users');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await assertEventually(async () => (await childLabels(tree, usersRow)).length >= 20, 'after Refresh of the view, the open Users shows no rows');
    await rowReads(usersRow, /^Users \d+\+/, 'the Users row counts what was read');
    await closeRows(usersRow, labsRow);
  });

  it('with WorkMail slow and a mailbox open under Users: Refresh of Users (twice) and of the organization show everything again', async () => {
    const { tree, acmeRow, usersRow, mailboxRow, grantsShown } = await aliceUnderOpenUsers();
    await expand(mailboxRow);
    const everythingShown = async (what: string) => {
      await assertEventually(async () => (await childLabels(tree, usersRow)).length >= 8, `${what}: Users shows no rows`);
      await grantsShown(what);
      await rowReads(usersRow, /^Users \d+/, `${what}: the Users row has no count`);
    };
    await everythingShown('opened');
    // VS Code batches changes over 200 ms and applies them while it may be reading rows: a change of
    // Users applied while the open mailbox's grantees are read, or of acme's lists while Users is
    // read, files those rows under a replaced row, and the next read of them fails.
    const slowGrantees = { rules: [{ operation: 'ListMailboxPermissions', delayMs: 700 }] };
    const slowUsers = { rules: [{ operation: 'ListUsers', delayMs: 400 }] };
    const steps = [
      [usersRow, 'first Refresh of Users', slowGrantees],
      [usersRow, 'second Refresh of Users', slowGrantees],
      [acmeRow, 'Refresh of acme', slowUsers],
      [usersRow, 'Refresh of Users after that', slowGrantees],
    ] as const;
    try {
      for (const [target, what, faults] of steps) {
        await env.emulator.setFaults(faults);
        await refreshWithRowButton(target);
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        await everythingShown(`after the ${what}`);
      }
    } finally {
      await env.emulator.setFaults({});
    }
    await closeRows(mailboxRow, usersRow, acmeRow);
  });

  it('a Refresh of Users while an open mailbox\'s grantees are still being read: the mailbox shows them, then and after its own Refresh', async () => {
    const { acmeRow, usersRow, mailboxRow, grantsShown } = await aliceUnderOpenUsers();
    try {
      await env.emulator.setFaults({ rules: [{ operation: 'ListMailboxPermissions', delayMs: 1500, times: 1 }] });
      await mailboxRow.click();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await refreshWithRowButton(usersRow);
      await grantsShown('after Refresh of Users during the read');
      await env.emulator.setFaults({});
      await refreshWithRowButton(mailboxRow);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await grantsShown('after Refresh of the mailbox');
    } finally {
      await env.emulator.setFaults({});
    }
    await closeRows(mailboxRow, usersRow, acmeRow);
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
