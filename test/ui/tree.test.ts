// A person opens the WorkMail view and reads who has access to a mailbox. Checked against the
// emulator's live state, not against numbers written into the test.
import * as assert from 'node:assert/strict';
import { seedEntity, seedUserByName, shownName } from './seed';
import { childLabels, expand, openWorkMailView, row, startUiEnvironment, type UiEnvironment } from './workbench';

const RIGHT_WORDS: Record<string, string> = {
  FULL_ACCESS: 'Full access',
  SEND_AS: 'Send as',
  SEND_ON_BEHALF: 'Send on behalf',
};

describe('UI: the WorkMail view', function () {
  this.timeout(120_000);
  let env: UiEnvironment;

  before(async function () {
    // First start compiles nothing but still boots code-server, the workbench and Chromium.
    this.timeout(240_000);
    env = await startUiEnvironment();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await env.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}.png`).catch(() => {});
  });

  after(async () => {
    await env?.stop();
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
      const label = grantees.find((candidate) => candidate.startsWith(`${shownName(grantee)} `));
      assert.ok(label, `${shownName(grantee)} is missing under ${shownName(mailbox)}; shown: ${grantees.join(' | ')}`);
      const description = label.slice(shownName(grantee).length);
      for (const [right, words] of Object.entries(RIGHT_WORDS)) {
        const has = new RegExp(`(^|[^\\w])${words}($|[^\\w])`).test(description);
        assert.equal(has, grant.rights.includes(right), `${shownName(grantee)}: "${label}" vs rights ${grant.rights.join(', ')}`);
      }
    }
    await env.screenshot('tree.png');
  });
});
