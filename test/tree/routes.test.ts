// The other routes into a mailbox in the tree, as the sample organization holds them: a room's
// booking delegates with its booking options in words (a group delegate expanding to its members),
// the organization's Applications with each role's rules in words, and its Access rules in the
// order WorkMail lists them, the default marked.
import * as assert from 'node:assert/strict';
import type { OrganizationNode } from '../../src/tree/organizationNode';
import type { ApplicationNode, BookingDelegatesNode } from '../../src/tree/routeNodes';
import { calls, categoryNode, children, clearCalls, description, label, loadAll, mailboxes, organizationNode, useFreshTree } from './support';

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

  it('the access rules in WorkMail\'s order, the default marked, each in words', async () => {
    const acme: OrganizationNode = await organizationNode('acme');
    await children(acme);
    const rules = (await children(acme.accessRules)).map((row) => `${label(row)}: ${description(row)}`);
    assert.equal(rules[0], 'default-rule (default): Allow every protocol from every address, for everyone (the default rule)');
    assert.ok(rules.includes('imap-office-only: Deny IMAP from outside 198.51.100.0/24, for everyone'), rules.join('\n'));
    assert.ok(rules.some((rule) => /^no-webmail-noah: Deny WebMail from every address, for Noah Fischer$/.test(rule)), rules.join('\n'));
  });
});
