// A person looks at every route into acme's mailboxes in the WorkMail view: the applications that
// act as its users (each role's type, rules and reach), the access rules in WorkMail's order, a
// room's booking delegates with its booking options, and then asks who can open the room. Checked
// against the emulator's live state (its admin API), not against numbers written into the test.
import * as assert from 'node:assert/strict';
import { seedOrganization } from './seed';
import { assertEventually, childLabels, collapse, contextMenu, expand, openWorkMailView, row, useUiEnvironment } from './workbench';

interface TruthRole {
  id: string;
  name: string;
  type: 'FULL_ACCESS' | 'READ_ONLY';
  rules: Array<{ id: string; name?: string; effect: 'ALLOW' | 'DENY'; targetUsers?: string[]; notTargetUsers?: string[] }>;
}

/** The enabled users a role may act as, by the documented semantics: a DENY wins, then an ALLOW, else no. */
function actsAs(role: TruthRole, users: ReadonlyArray<{ id: string; state?: string }>): number {
  const matches = (rule: TruthRole['rules'][number], id: string): boolean => (!rule.targetUsers || rule.targetUsers.includes(id)) && !rule.notTargetUsers?.includes(id);
  return users.filter((user) => (user.state ?? 'ENABLED') === 'ENABLED').filter((user) => {
    const matching = role.rules.filter((rule) => matches(rule, user.id));
    return !matching.some((rule) => rule.effect === 'DENY') && matching.some((rule) => rule.effect === 'ALLOW');
  }).length;
}

describe('UI: every route into a mailbox', function () {
  this.timeout(240_000);
  const env = useUiEnvironment();

  async function truth<T>(path: string): Promise<T> {
    const response = await fetch(`${env.emulator.url}/__emulator${path}`);
    assert.ok(response.ok, `GET ${path} answered ${response.status}`);
    return (await response.json()) as T;
  }

  it('Applications shows each role with its type, rules and reach; Access rules are in WorkMail\'s order, the default marked', async () => {
    const tree = await openWorkMailView(env.page);
    const acme = await env.emulator.organizationByAlias('acme');
    const roles = await truth<TruthRole[]>(`/organizations/${acme.id}/impersonation-roles`);
    const rules = await truth<Array<{ name: string; effect: string }>>(`/organizations/${acme.id}/access-control-rules`);
    const users = seedOrganization('acme').users ?? [];
    assert.equal(roles.length, 3, 'the sample seed holds three roles');

    await expand(row(tree, 1, 'acme '));
    const applications = row(tree, 2, 'Applications');
    await expand(applications);
    // Sorted by name; each "name type · N rules · reaches N+ mailboxes" once the users are counted.
    const expected = [...roles]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((role) => `${role.name} ${role.type === 'FULL_ACCESS' ? 'reads and changes mail' : 'reads mail'} · ${role.rules.length === 1 ? '1 rule' : `${role.rules.length} rules`} · reaches ${actsAs(role, users)}+ mailboxes`);
    let shown: string[] = [];
    await assertEventually(async () => JSON.stringify((shown = await childLabels(tree, applications))) === JSON.stringify(expected), `the applications read ${JSON.stringify(shown)}, not ${JSON.stringify(expected)}`, 30_000);
    await assertEventually(async () => /^Applications 3$/.test((await applications.getAttribute('aria-label')) ?? ''), 'the Applications row does not count its three roles');

    // The archiver's rules in words: everyone, but a DENY for the chief executive.
    const archiver = row(tree, 3, 'Mail archiver ');
    await expand(archiver);
    await assertEventually(async () => (await childLabels(tree, archiver)).join(' | ') === 'Everyone Allow: everyone | Not the chief executive Deny: Alice Johnson', 'the archiver\'s rules are not shown in words');

    const accessRules = row(tree, 2, 'Access rules');
    await expand(accessRules);
    let ruleRows: string[] = [];
    await assertEventually(async () => (ruleRows = await childLabels(tree, accessRules)).length === rules.length, 'the access rules did not load');
    assert.deepEqual(
      ruleRows.map((label) => label.split(' ')[0]),
      rules.map((rule) => rule.name),
      'in the order WorkMail lists them',
    );
    assert.equal(ruleRows[0], 'default-rule (default) Allow every protocol from every address, for everyone (the default rule)');
    assert.ok(ruleRows.includes('imap-office-only Deny IMAP from outside 198.51.100.0/24, for everyone'), ruleRows.join(' | '));
    await env.screenshot('applications.png');
    await collapse(accessRules, 'Access rules');
    await collapse(archiver, 'Mail archiver');
    await collapse(applications, 'Applications');
  });

  it('a room shows its booking delegates with its booking options in words; Who Can Open This Mailbox… reports every route into it', async () => {
    const tree = await openWorkMailView(env.page);
    const acme = await env.emulator.organizationByAlias('acme');
    const booking = await truth<Array<{ resourceId: string; delegates: Array<{ id: string; type: string }> }>>(`/organizations/${acme.id}/booking`);
    const atlas = (seedOrganization('acme').resources ?? []).find((resource) => resource.name === 'room-atlas');
    assert.ok(atlas, 'the sample seed has room-atlas');
    const delegates = booking.find((entry) => entry.resourceId === atlas.id)?.delegates ?? [];
    assert.equal(delegates.length, 2, 'a user and a group delegate');

    await expand(row(tree, 1, 'acme '));
    const resources = row(tree, 2, 'Resources');
    await expand(resources);
    const room = row(tree, 3, 'room-atlas');
    await expand(room);
    const bookingRow = row(tree, 4, 'Booking delegates');
    await expand(bookingRow);
    await assertEventually(async () => (await childLabels(tree, bookingRow)).length === delegates.length, 'the booking delegates did not load');
    const delegateRows = await childLabels(tree, bookingRow);
    assert.ok(delegateRows.some((label) => label.startsWith('Booking delegate — Tara Singh')), delegateRows.join(' | '));
    assert.ok(delegateRows.some((label) => label.startsWith('Booking delegate — executives')), delegateRows.join(' | '));
    await assertEventually(
      async () => /^Booking delegates 2 · Accepts automatically · declines conflicts$/.test((await bookingRow.getAttribute('aria-label')) ?? ''),
      `the booking row does not say its options in words: ${await bookingRow.getAttribute('aria-label')}`,
    );
    await collapse(bookingRow, 'Booking delegates');

    await contextMenu(env.page, room, 'Who Can Open This Mailbox…');
    const tab = env.page.locator('.tabs-container .tab', { hasText: 'Who can open room-atlas' });
    await tab.waitFor({ timeout: 90_000 });
    const preview = env.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const shown = async (): Promise<string> => ((await preview.locator('body').textContent({ timeout: 5_000 }).catch(() => '')) ?? '').replace(/\u00a0/g, ' ');
    await assertEventually(async () => /Applications \(impersonation roles\)/.test(await shown()), 'the report did not render', 60_000);
    const text = await shown();
    assert.match(text, /Booking: Accepts automatically/);
    assert.match(text, /Tara Singh\s+Full access/, 'a mailbox permission');
    assert.match(text, /\s+booking delegate\s+via executives/, 'a booking delegate through a group, with the path');
    assert.match(text, /application "Mail archiver" \(read only\), via impersonating [^,]+, who (has Full access|is a booking delegate)/, 'an application through a person');
    assert.match(text, /denied by access rules: IMAP from [0-9.]+ \(imap-office-only\)/, 'an access rule\'s mark');
    // The summary says as much, then makes room for the report.
    const toast = env.page.locator('.notifications-toasts');
    await assertEventually(async () => /room-atlas: \d+ people and 3 applications can use it/.test((await toast.textContent().catch(() => '')) ?? ''), 'no summary of who can use it');
    await env.page.locator('.notifications-toasts .codicon-notifications-clear').first().click({ timeout: 5_000 }).catch(() => {});
    // Its people and applications on screen: the report from its booking delegates on.
    await preview.locator('h2', { hasText: 'Booking delegates' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await env.page.mouse.move(900, 780);
    await env.screenshot('who-can-open.png');
  });
});
