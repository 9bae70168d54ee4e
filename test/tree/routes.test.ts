// The other routes into a mailbox in the tree, as the sample organization holds them: a room's
// booking delegates with its booking options in words (a group delegate expanding to its members),
// the organization's Applications with each role's rules in words, and its Access rules in the
// order WorkMail lists them, the default marked.
import * as assert from 'node:assert/strict';
import type { OrganizationNode } from '../../src/tree/organizationNode';
import type { ApplicationNode } from '../../src/tree/applicationNodes';
import type { BookingDelegatesNode } from '../../src/tree/routeNodes';
import type { DirectoryEntity } from '../../src/workmail/types';
import { admin, calls, categoryNode, children, clearCalls, description, extensionApi, label, loadAll, mailboxes, organizationNode, setFaults, treeItem, useFreshTree } from './support';

const ACME_ID = 'm-ac0e0000000000000000000000000001';
const CAROL = 'c5a1563d-1ea4-49b0-a9c5-08fdb5ba4bcd';

function hover(node: ApplicationNode): string {
  const tooltip = treeItem(node).tooltip;
  // Read back as plain text: the tooltip escapes markdown punctuation and writes spaces as &nbsp;.
  return (typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '')).replace(/\\(.)/g, '$1').replace(/&nbsp;/g, ' ');
}

/** The applications of acme, once their reach is counted, by name. */
async function applications(): Promise<Map<string, ApplicationNode>> {
  const acme: OrganizationNode = await organizationNode('acme');
  await children(acme);
  const roles = (await children(acme.applications)) as ApplicationNode[];
  await acme.applications.whenCounted();
  return new Map(roles.map((role) => [label(role), role]));
}

/**
 * WorkMail's own answer, asked user by user (GetImpersonationRoleEffect), of how many users' mailboxes
 * a role may open as their owner: the tree's count must equal it without asking it.
 */
async function usersWorkMailLetsItActAs(roleId: string): Promise<number> {
  const session = (await extensionApi()).services.session();
  const org = { organizationId: ACME_ID, region: 'us-east-1' };
  const users: DirectoryEntity[] = [];
  let nextToken: string | undefined;
  do {
    const page = await session.listEntitiesPage(org, 'user', { maxResults: 100, nextToken });
    users.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  let allowed = 0;
  for (const user of users) {
    // A disabled or deleted user cannot be impersonated: WorkMail refuses the question.
    const answer = await session.routes.impersonationRoleEffect(org, roleId, user.id).catch(() => undefined);
    if (answer?.effect === 'ALLOW') allowed++;
  }
  return allowed;
}

async function resource(name: string) {
  const node = mailboxes(await loadAll(await categoryNode('acme', 'resource'))).find((n) => n.entity.name === name);
  assert.ok(node, `${name} is listed`);
  return node;
}

describe('tree: booking delegates, applications and access rules', () => {
  useFreshTree();

  it('a room shows its booking delegates above its grantees, with the booking options in words', async () => {
    const atlas = await resource('room-atlas');
    const rows = await children(atlas);
    const booking = rows[0] as BookingDelegatesNode;
    assert.equal(booking.contextValue, 'bookingDelegates');
    assert.ok(rows.slice(1).some((row) => row.contextValue === 'grantee'), 'its grantees follow');
    await clearCalls();
    const delegates = await children(booking);
    const made = (await calls()).map((c) => c.operation);
    assert.equal(made.filter((op) => op === 'ListResourceDelegates').length, 1);
    assert.equal(made.filter((op) => op === 'DescribeResource').length, 1);
    // A delegate the tree has not read yet is named by one Describe each, and only those.
    assert.ok(made.every((op) => ['ListResourceDelegates', 'DescribeResource', 'DescribeUser', 'DescribeGroup'].includes(op ?? '')), made.join(', '));
    const labels = delegates.map((row) => label(row));
    assert.ok(labels.includes('Booking delegate — Tara Singh'), labels.join('; '));
    const group = delegates.find((row) => row.contextValue === 'bookingDelegate-group');
    assert.ok(group, 'a group delegate');
    const members = (await children(group)).map((row) => label(row));
    assert.ok(members.length > 1, 'the group delegate expands to its members');
    assert.match(description(booking), /^2 · Accepts automatically/);
  });

  it('a room whose requests wait for a delegate says so', async () => {
    const borealis = await resource('room-borealis');
    const booking = (await children(borealis))[0] as BookingDelegatesNode;
    await children(booking);
    assert.match(description(booking), /Delegates approve every request/);
  });

  it('the organization lists its applications, each role\'s rules in words', async () => {
    const acme: OrganizationNode = await organizationNode('acme');
    const rows = await children(acme);
    assert.deepEqual(rows.map((row) => row.contextValue).slice(-2), ['applications', 'accessRules']);
    const roles = (await children(acme.applications)) as ApplicationNode[];
    const archiver = roles.find((role) => label(role) === 'Mail archiver');
    assert.ok(archiver, roles.map((role) => label(role)).join('; '));
    assert.match(description(archiver), /^reads mail/);
    const rules = (await children(archiver)).map((row) => `${label(row)}: ${description(row)}`);
    assert.deepEqual(rules, ['Everyone: Allow: everyone', 'Not the chief executive: Deny: Alice Johnson']);
    assert.match(description(archiver), /2 rules/);
  });

  it('each application says its type, its rules and how many mailboxes it reaches, as WorkMail would let it act', async () => {
    const roles = await applications();
    assert.deepEqual([...roles.keys()], ['CRM sync', 'E-discovery search', 'Mail archiver']);
    const rows = [...roles.values()].map((role) => `${label(role)}: ${description(role)}`);
    // 26 enabled users: the archiver acts as all but the chief executive, CRM sync as the five
    // enabled people of Sales (William Chen is disabled), E-discovery as all but two.
    assert.deepEqual(rows, [
      'CRM sync: reads and changes mail · 1 rule · reaches 5+ mailboxes',
      'E-discovery search: reads mail · 1 rule · reaches 24+ mailboxes',
      'Mail archiver: reads mail · 2 rules · reaches 25+ mailboxes',
    ]);
    for (const role of roles.values()) {
      const count = Number(/reaches (\d+)\+ mailboxes/.exec(description(role))?.[1]);
      assert.equal(count, await usersWorkMailLetsItActAs(role.summary.id), `${label(role)}: the count is WorkMail's`);
    }
    assert.match(hover(roles.get('Mail archiver')!), /As the owner: the 25 mailboxes of the users it may act as\. Through them: every mailbox they can open/);
  });

  it('counts from the Users list the tree holds, without reading the users again and without a call per mailbox', async () => {
    await loadAll(await categoryNode('acme', 'user'));
    await clearCalls();
    const roles = await applications();
    assert.match(description(roles.get('Mail archiver')!), /reaches 25\+ mailboxes$/);
    const made = (await calls()).map((c) => c.operation);
    assert.deepEqual([...new Set(made)].sort(), ['GetImpersonationRole', 'ListImpersonationRoles'], made.join(', '));
    assert.equal(made.filter((op) => op === 'GetImpersonationRole').length, 3, 'one per role');
  });

  it('says "(counting)" while the users are read, then the count; the users are read once for every role, a page per hundred', async () => {
    await setFaults({ rules: [{ operation: 'ListUsers', delayMs: 3000, times: 1 }] });
    const acme: OrganizationNode = await organizationNode('acme');
    await children(acme);
    await clearCalls();
    const roles = (await children(acme.applications)) as ApplicationNode[];
    assert.ok(roles.every((role) => description(role).endsWith('reaches … (counting)')), roles.map((role) => description(role)).join('; '));
    assert.match(hover(roles[0]!), /Counting: reading the users of the organization/);
    await acme.applications.whenCounted();
    assert.ok(roles.every((role) => /reaches \d+\+ mailboxes$/.test(description(role))), roles.map((role) => description(role)).join('; '));
    const made = (await calls()).map((c) => c.operation);
    assert.equal(made.filter((op) => op === 'ListUsers').length, 1, 'one page of users, for the three roles');
    assert.ok(!made.some((op) => op === 'ListMailboxPermissions' || op === 'GetImpersonationRoleEffect'), made.join(', '));
  });

  it('a failed read of the users leaves the roles shown, their reach not counted and why in the hover', async () => {
    await setFaults({ rules: [{ operation: 'ListUsers', error: 'AccessDeniedException', status: 400 }] });
    const roles = await applications();
    const archiver = roles.get('Mail archiver')!;
    assert.equal(description(archiver), 'reads mail · 2 rules · reach not counted');
    assert.match(hover(archiver), /Not counted: Access denied/);
    assert.deepEqual((await children(archiver)).map((row) => label(row)), ['Everyone', 'Not the chief executive'], 'its rules are still shown');
  });

  it('a rule naming a deleted user shows her as deleted, a disabled one as disabled, and she is reached no more', async () => {
    await admin('PUT', `/organizations/${ACME_ID}/entities/${CAROL}/state`, { state: 'DELETED' });
    const crm = (await applications()).get('CRM sync')!;
    assert.match(description(crm), /reaches 4\+ mailboxes$/);
    const rule = (await children(crm)).map((row) => description(row))[0];
    assert.equal(rule, 'Allow: Carol Nguyen (deleted), David Okafor, Emma Schmidt, Farid Haddad, Yasmin Ali, William Chen (disabled)');
    assert.match(hover(crm), /Names users no longer there:\*\* Carol Nguyen \(deleted\)/);
  });

  it('a rule naming someone WorkMail does not know shows the ID as given, marked unknown', async () => {
    // WorkMail has forgotten Carol (DescribeUser: not found) while the users are still being read.
    await setFaults({ rules: [{ operation: 'ListUsers', delayMs: 3000, times: 1 }, { operation: 'DescribeUser', match: { UserId: CAROL }, error: 'EntityNotFoundException' }] });
    const acme: OrganizationNode = await organizationNode('acme');
    await children(acme);
    const crm = ((await children(acme.applications)) as ApplicationNode[]).find((role) => label(role) === 'CRM sync')!;
    const rule = (await children(crm)).map((row) => description(row))[0];
    assert.match(rule ?? '', new RegExp(`^Allow: ${CAROL} \\(unknown\\), David Okafor`));
    await acme.applications.whenCounted();
  });

  it('the access rules in WorkMail\'s order, the default marked, each in words', async () => {
    const acme: OrganizationNode = await organizationNode('acme');
    await children(acme);
    const rules = (await children(acme.accessRules)).map((row) => `${label(row)}: ${description(row)}`);
    assert.equal(rules[0], 'default-rule (default): Allow every protocol from every address, for everyone (the default rule)');
    assert.ok(rules.includes('imap-office-only: Deny IMAP from outside 198.51.100.0/24, for everyone'), rules.join('\n'));
    assert.ok(rules.some((rule) => /^no-webmail-noah: Deny WebMail from every address, for Noah Fischer$/.test(rule)), rules.join('\n'));
  });
});
