import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GranteeNode } from '../../src/tree/granteeNode';
import type { MailboxNode } from '../../src/tree/mailboxNode';
import { admin, calls, categoryNode, children, clearCalls, description, extensionApi, freshStart, label, loadAll, mailboxes, organizationNode, SettingsSnapshot, setSetting, treeItem } from './support';

interface GroundTruthGrant {
  mailboxId: string;
  granteeId: string;
  granteeType: 'USER' | 'GROUP';
  rights: string[];
}

const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';

function grantees(nodes: readonly unknown[]): GranteeNode[] {
  return (nodes as GranteeNode[]).filter((node) => node.contextValue === 'grantee');
}

describe('tree: grantees', () => {
  let settings: SettingsSnapshot;
  let orgId: string;
  let mailbox: MailboxNode;
  let userGrantee: MailboxNode;
  let groupId: string;
  let groupName: string;

  beforeEach(async () => {
    settings = await SettingsSnapshot.take();
    await setSetting('pageSize', 100);
    await freshStart();
    // Learn a group's ID and name, then forget them: a full refresh clears the directory caches.
    const group = mailboxes(await loadAll(await categoryNode('acme', 'group')))[0]!;
    groupId = group.entity.id;
    groupName = group.entity.displayName || group.entity.name!;
    await vscode.commands.executeCommand('workmail.refresh');

    orgId = (await organizationNode('acme')).org.organizationId;
    // Not Alice Johnson: a test below reads her mailbox's grantees as the sample seed has them.
    const users = mailboxes(await loadAll(await categoryNode('acme', 'user'))).filter((node) => node.entity.state !== 'DELETED' && node.entity.name !== 'alice.johnson');
    mailbox = users[0]!;
    userGrantee = users[1]!;
    // Give the mailbox exactly three grantees: a listed user, a group not loaded, an unknown ID.
    const existing = (await admin<GroundTruthGrant[]>('GET', `/organizations/${orgId}/grants`)).filter((g) => g.mailboxId === mailbox.entity.id);
    for (const grant of existing) {
      await admin('PUT', `/organizations/${orgId}/mailboxes/${mailbox.entity.id}/grants/${grant.granteeId}`, { rights: [] });
    }
    const put = (granteeId: string, rights: string[]) =>
      admin('PUT', `/organizations/${orgId}/mailboxes/${mailbox.entity.id}/grants/${encodeURIComponent(granteeId)}`, { rights });
    await put(userGrantee.entity.id, ['SEND_AS', 'FULL_ACCESS']);
    await put(groupId, ['SEND_ON_BEHALF']);
    await put(UNKNOWN_ID, ['FULL_ACCESS']);
    await clearCalls();
  });

  afterEach(async () => {
    await settings.restore();
  });

  it('names grantees from loaded directory pages for free and describes the rest once each', async () => {
    const nodes = grantees(await children(mailbox));
    assert.equal(nodes.length, 3);
    const listed = await calls('ListMailboxPermissions');
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.params?.MaxResults, 100);

    const describeUser = await calls('DescribeUser');
    const describeGroup = await calls('DescribeGroup');
    assert.deepEqual(describeGroup.map((call) => call.params?.GroupId), [groupId], 'one DescribeGroup for the group not yet loaded');
    assert.deepEqual(describeUser.map((call) => call.params?.UserId), [UNKNOWN_ID], 'one DescribeUser for the unknown ID, none for the listed user');

    // Rights first, so they survive a narrow side bar; the address after, in the description.
    const user = nodes.find((node) => node.grant.granteeId === userGrantee.entity.id)!;
    assert.equal(label(user), `Full access · Send as — ${userGrantee.entity.displayName || userGrantee.entity.name}`);
    assert.equal(description(user), userGrantee.entity.email ?? '');
    assert.equal((treeItem(user).iconPath as vscode.ThemeIcon).id, 'person');

    const group = nodes.find((node) => node.grant.granteeId === groupId)!;
    assert.equal(label(group), `Send on behalf — ${groupName}`);
    assert.equal(description(group), group.grantee?.email ?? '');
    assert.equal((treeItem(group).iconPath as vscode.ThemeIcon).id, 'organization');

    // Refreshing the mailbox lists it again but asks the directory nothing new.
    await clearCalls();
    await vscode.commands.executeCommand('workmail.refresh', mailbox);
    await children(mailbox);
    const again = (await calls()).map((call) => call.operation);
    assert.deepEqual(again, ['ListMailboxPermissions']);
  });

  it('lists grantees by name, the ID the directory does not know last', async () => {
    const nodes = grantees(await children(mailbox));
    const known = nodes.filter((node) => node.grantee);
    const names = known.map((node) => node.grantee!.displayName || node.grantee!.name || '');
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true })));
    assert.equal(nodes[nodes.length - 1]!.grant.granteeId, UNKNOWN_ID);
  });

  it('shows an unknown grantee by ID as "unknown or deleted" with its rights and a warning', async () => {
    const unknown = grantees(await children(mailbox)).find((node) => node.grant.granteeId === UNKNOWN_ID)!;
    assert.equal(label(unknown), `Full access — ${UNKNOWN_ID}`);
    assert.equal(unknown.grantee, null);
    assert.equal(description(unknown), 'unknown or deleted');
    assert.equal((treeItem(unknown).iconPath as vscode.ThemeIcon).id, 'warning');
    assert.equal(unknown.contextValue, 'grantee', 'it can still be edited or revoked');
  });

  it('marks a grantee that is disabled or deleted in the directory, as the mailbox list does', async () => {
    // Alice Johnson's mailbox in the sample has William Chen (disabled) among its grantees.
    const users = mailboxes(await loadAll(await categoryNode('acme', 'user')));
    const alice = users.find((node) => node.entity.name === 'alice.johnson')!;
    const william = users.find((node) => node.entity.name === 'william.chen')!;
    assert.equal(william.entity.state, 'DISABLED');
    const grantee = grantees(await children(alice)).find((node) => node.grant.granteeId === william.entity.id);
    assert.ok(grantee, 'William Chen holds a grant on Alice Johnson');
    assert.match(description(grantee), /^\(disabled\)/, 'the state first, before the address that a narrow side bar cuts');
    const icon = treeItem(grantee).iconPath as vscode.ThemeIcon;
    assert.equal((icon.color as vscode.ThemeColor | undefined)?.id, 'disabledForeground');
    const enabled = grantees(await children(alice)).find((node) => node.grantee?.state === 'ENABLED');
    assert.ok(enabled && !/disabled|deleted/.test(description(enabled)), 'enabled grantees carry no marker');
  });

  it('explains grantees in a tooltip that renders no HTML or links', async () => {
    const user = grantees(await children(mailbox)).find((node) => node.grant.granteeId === userGrantee.entity.id)!;
    const tooltip = treeItem(user).tooltip as vscode.MarkdownString;
    assert.ok(tooltip instanceof Object && typeof tooltip.value === 'string');
    assert.ok(!tooltip.isTrusted);
    assert.ok(!tooltip.supportHtml);
    // appendText escapes markdown punctuation with backslashes; read it back as plain text.
    const text = tooltip.value.replace(/\\(.)/g, '$1');
    assert.ok(text.includes(`Mailbox ID:** ${mailbox.entity.id}`), text);
    assert.ok(text.includes(`Grantee ID:** ${userGrantee.entity.id}`), text);
    assert.ok(text.includes('Grantee type:** user'), text);
  });

  it('says so when a mailbox has no delegated permissions', async () => {
    for (const granteeId of [userGrantee.entity.id, groupId, UNKNOWN_ID]) {
      await admin('PUT', `/organizations/${orgId}/mailboxes/${mailbox.entity.id}/grants/${granteeId}`, { rights: [] });
    }
    const nodes = await children(mailbox);
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0]!.contextValue, 'placeholder');
    assert.equal(label(nodes[0]!), 'No delegated permissions');
  });

  it('shows a change reported by a command at once, even while the listing still lags', async () => {
    const api = await extensionApi();
    await children(mailbox);
    await clearCalls();
    // Reported as written, but the service's listing does not show it yet.
    api.services.permissionsChanged({ org: mailbox.org, mailboxId: mailbox.entity.id, granteeId: userGrantee.entity.id, granteeType: 'USER', rights: ['SEND_ON_BEHALF'] });
    let nodes = grantees(await children(mailbox));
    assert.deepEqual((await calls()).map((call) => call.operation), ['ListMailboxPermissions'], 'only that mailbox is reloaded');
    const lagging = nodes.find((node) => node.grant.granteeId === userGrantee.entity.id)!;
    assert.match(label(lagging), /^Send on behalf — /);
    assert.match(description(lagging), /^not yet listed by WorkMail/);

    api.services.permissionsChanged({ org: mailbox.org, mailboxId: mailbox.entity.id, granteeId: groupId, granteeType: 'GROUP', rights: [] });
    nodes = grantees(await children(mailbox));
    assert.ok(!nodes.some((node) => node.grant.granteeId === groupId), 'a revoked grantee disappears at once');

    // A refresh asked for by the person shows what WorkMail lists, lag or not.
    await vscode.commands.executeCommand('workmail.refresh', mailbox);
    nodes = grantees(await children(mailbox));
    assert.match(label(nodes.find((node) => node.grant.granteeId === userGrantee.entity.id)!), /^Full access · Send as — /, 'the listed rights, not the pending ones');
    assert.ok(nodes.some((node) => node.grant.granteeId === groupId), 'the listed group grantee is back');

    // Once the listing agrees, the listing is what is shown again.
    await admin('PUT', `/organizations/${orgId}/mailboxes/${mailbox.entity.id}/grants/${userGrantee.entity.id}`, { rights: ['SEND_ON_BEHALF'] });
    await admin('PUT', `/organizations/${orgId}/mailboxes/${mailbox.entity.id}/grants/${groupId}`, { rights: [] });
    await vscode.commands.executeCommand('workmail.refresh', mailbox);
    nodes = grantees(await children(mailbox));
    assert.equal(nodes.length, 2);
    await admin('PUT', `/organizations/${orgId}/mailboxes/${mailbox.entity.id}/grants/${userGrantee.entity.id}`, { rights: ['SEND_AS'] });
    await vscode.commands.executeCommand('workmail.refresh', mailbox);
    nodes = grantees(await children(mailbox));
    const settled = nodes.find((node) => node.grant.granteeId === userGrantee.entity.id)!;
    assert.match(label(settled), /^Send as — /, 'the overlay was dropped');
    assert.doesNotMatch(description(settled), /not yet listed/);
  });
});
