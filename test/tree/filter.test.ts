import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { calls, categoryNode, children, clearCalls, description, loadAll, mailboxes, useFreshTree } from './support';

describe('tree: server-side filter', () => {
  useFreshTree({ pageSize: 100, showSystemUsers: true });

  it('filters users by name prefix with the API Filters and shows it on the node', async () => {
    const users = await categoryNode('acme-labs', 'user');
    const everyone = mailboxes(await loadAll(users));
    // A prefix that matches some users but not all: the first two letters of a user's name.
    const prefix = everyone[37]!.entity.name!.slice(0, 2);
    const expected = everyone.filter((node) => node.entity.name!.startsWith(prefix)).map((node) => node.entity.id).sort();
    assert.ok(expected.length > 0 && expected.length < everyone.length);
    await clearCalls();

    await vscode.commands.executeCommand('workmail.filter', users, { field: 'name', prefix });
    assert.equal(users.contextValue, 'category-users-filtered');
    assert.equal(description(users), `name starts with '${prefix}'`);
    const filtered = mailboxes(await loadAll(users));
    assert.deepEqual(filtered.map((node) => node.entity.id).sort(), expected);
    const listUsers = await calls('ListUsers');
    assert.ok(listUsers.length >= 1);
    for (const call of listUsers) {
      assert.deepEqual(call.params?.Filters, { UsernamePrefix: prefix });
    }

    await clearCalls();
    await vscode.commands.executeCommand('workmail.clearFilter', users);
    assert.equal(users.contextValue, 'category-users');
    assert.equal(description(users), '');
    await children(users);
    const unfiltered = await calls('ListUsers');
    assert.equal(unfiltered.length, 1);
    assert.equal(unfiltered[0]!.params?.Filters, undefined);
    assert.equal(users.loadedItems.length, 100);
  });

  it('filters groups by email prefix', async () => {
    const groups = await categoryNode('acme-labs', 'group');
    const all = mailboxes(await loadAll(groups));
    const withEmail = all.filter((node) => node.entity.email);
    assert.ok(withEmail.length > 1);
    const prefix = withEmail[0]!.entity.email!.slice(0, 3);
    const expected = withEmail.filter((node) => node.entity.email!.startsWith(prefix)).map((node) => node.entity.id).sort();
    await clearCalls();

    await vscode.commands.executeCommand('workmail.filter', groups, { field: 'email', prefix });
    const filtered = mailboxes(await loadAll(groups));
    assert.deepEqual(filtered.map((node) => node.entity.id).sort(), expected);
    assert.deepEqual((await calls('ListGroups'))[0]!.params?.Filters, { PrimaryEmailPrefix: prefix });
  });

  it('says so when nothing matches', async () => {
    const resources = await categoryNode('acme', 'resource');
    await vscode.commands.executeCommand('workmail.filter', resources, { field: 'name', prefix: 'zzz-no-such' });
    const nodes = await children(resources);
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0]!.contextValue, 'placeholder');
  });
});
