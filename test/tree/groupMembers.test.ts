// Group grantees expand to everyone the grant reaches: direct members, members of nested groups
// with the chain of groups, read through ListGroupMembers (every page), and cycles shown as such.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GranteeNode } from '../../src/tree/granteeNode';
import type { GroupMemberNode } from '../../src/tree/groupMemberNode';
import type { MailboxNode } from '../../src/tree/mailboxNode';
import { acmeSeed, byName, expectedMembers, loadSeed, sampleSeed } from '../commands/audit/support';
import { admin, calls, categoryNode, children, clearCalls, description, freshStart, label, loadAll, mailboxes, SettingsSnapshot, setFaults, setSetting, treeItem } from './support';

async function granteeOn(mailboxName: string, granteeId: string): Promise<GranteeNode> {
  const users = mailboxes(await loadAll(await categoryNode('acme', 'user')));
  const mailbox = users.find((node) => node.entity.name === mailboxName) as MailboxNode | undefined;
  assert.ok(mailbox, `${mailboxName} is listed`);
  const grantee = (await loadAll(mailbox)).find((node) => node.contextValue === 'grantee' && (node as GranteeNode).grant.granteeId === granteeId);
  assert.ok(grantee, `${mailboxName} has a grant to ${granteeId}`);
  return grantee as GranteeNode;
}

function members(nodes: readonly unknown[]): GroupMemberNode[] {
  return (nodes as GroupMemberNode[]).filter((node) => node.contextValue.startsWith('groupMember-'));
}

describe('tree: group grantees expand to their members', () => {
  let settings: SettingsSnapshot;
  const acme = acmeSeed();
  const sales = byName(acme, 'sales');

  beforeEach(async () => {
    settings = await SettingsSnapshot.take();
    await setSetting('pageSize', 100);
    await freshStart();
  });

  afterEach(async () => {
    await setFaults({});
    await settings.restore();
    await admin('POST', '/reset');
  });

  it('lists every member of sales, nested groups included, with the path of the nested ones, as the seed says', async () => {
    const grantee = await granteeOn('carol.nguyen', sales.id);
    assert.equal(treeItem(grantee).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    await clearCalls();

    const nodes = members(await children(grantee));

    assert.deepEqual(nodes.map((node) => `${node.member.id}|${node.nestedPath}`).sort(), expectedMembers(acme, sales.id));
    const listed = await calls('ListGroupMembers');
    assert.deepEqual(
      listed.map((call) => call.params?.GroupId).sort(),
      [sales.id, byName(acme, 'sales-emea').id, byName(acme, 'sales-emea-dach').id].sort(),
      'each group of the nesting is read once',
    );
    assert.ok(listed.every((call) => call.params?.MaxResults === 100));

    const emma = nodes.find((node) => node.entity.name === 'emma.schmidt')!;
    assert.equal(label(emma), 'Emma Schmidt', 'the display name the tree already knows');
    assert.equal(description(emma), 'via sales-emea → sales-emea-dach');
    assert.equal((treeItem(emma).iconPath as vscode.ThemeIcon).id, 'person');
    assert.equal(treeItem(emma).contextValue, 'groupMember-user');

    const william = nodes.find((node) => node.entity.name === 'william.chen')!;
    assert.match(description(william), /^\(disabled\) · via sales-emea → sales-emea-dach$/);

    const emea = nodes.find((node) => node.member.id === byName(acme, 'sales-emea').id)!;
    assert.equal((treeItem(emea).iconPath as vscode.ThemeIcon).id, 'organization');
    assert.equal(treeItem(emea).contextValue, 'groupMember-group');
    assert.equal(description(emea), '', 'a direct member has no path');
    assert.equal(treeItem(emea).collapsibleState, vscode.TreeItemCollapsibleState.None, 'its members are already in the list');

    await clearCalls();
    await children(grantee);
    assert.equal((await calls('ListGroupMembers')).length, 0, 'expanding again reuses what was read');
  });

  it('reads every page of ListGroupMembers', async () => {
    await setSetting('pageSize', 2);
    const grantee = await granteeOn('carol.nguyen', sales.id);
    await clearCalls();
    const nodes = members(await children(grantee));
    assert.deepEqual(nodes.map((node) => `${node.member.id}|${node.nestedPath}`).sort(), expectedMembers(acme, sales.id));
    const salesPages = (await calls('ListGroupMembers')).filter((call) => call.params?.GroupId === sales.id);
    assert.equal(salesPages.length, 2, 'four members at two a page');
    assert.ok(salesPages[1]!.params?.NextToken, 'the second page continues the first');
  });

  it('does not expand user grantees', async () => {
    const tara = byName(acme, 'tara.singh');
    const grantee = await granteeOn('carol.nguyen', tara.id);
    assert.equal(treeItem(grantee).collapsibleState, vscode.TreeItemCollapsibleState.None);
  });

  it('shows a membership cycle as an item saying so and lists everyone once', async () => {
    const seed = sampleSeed();
    const org = acmeSeed(seed);
    const dach = org.groups.find((g) => g.name === 'sales-emea-dach')!;
    dach.members = [...(dach.members ?? []), sales.id];
    await loadSeed(seed);

    const grantee = await granteeOn('carol.nguyen', sales.id);
    const nodes = await children(grantee);
    const cycles = nodes.filter((node) => node.contextValue === 'groupCycle');
    assert.equal(cycles.length, 1);
    assert.match(label(cycles[0]!), /^Cycle: sales-emea-dach contains sales/);
    const listed = members(nodes).map((node) => node.member.id);
    assert.equal(new Set(listed).size, listed.length, 'no one twice');
    assert.ok(!listed.includes(sales.id), 'the expanded group is not its own member');
    assert.deepEqual(members(nodes).map((node) => `${node.member.id}|${node.nestedPath}`).sort(), expectedMembers(org, sales.id));
  });

  it('a failed read becomes an error item, and retrying reads again', async () => {
    const grantee = await granteeOn('carol.nguyen', sales.id);
    // Every read of sales' members fails until cleared below, so no other load can use the fault up.
    await setFaults({ rules: [{ operation: 'ListGroupMembers', match: { GroupId: sales.id }, error: 'AccessDeniedException', status: 400 }] });
    const failed = await children(grantee);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.contextValue, 'error');
    assert.equal(treeItem(failed[0]!).command?.command, 'workmail.refresh');
    await setFaults({});
    const again = members(await children(grantee));
    assert.deepEqual(again.map((node) => `${node.member.id}|${node.nestedPath}`).sort(), expectedMembers(acme, sales.id));
  });
});
