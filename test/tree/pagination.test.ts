import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { compareByName, entityName } from '../../src/workmail/names';
import { byContext, calls, categoryNode, children, clearCalls, click, description, mailboxes, setSetting, treeItem, useFreshTree } from './support';

/** Names as the rows show them, in the order shown. */
function names(nodes: ReturnType<typeof mailboxes>): string[] {
  return nodes.map((node) => entityName(node.entity));
}

function assertByName(nodes: ReturnType<typeof mailboxes>, what: string): void {
  const sorted = [...nodes].sort((a, b) => compareByName(a.entity, b.entity));
  assert.deepEqual(names(nodes), names(sorted), `${what} are not in name order`);
}

describe('tree: lazy pagination', () => {
  useFreshTree();

  it('walks 250+ users page by page: one ListUsers call per page, MaxResults = workmail.pageSize', async () => {
    const users = await categoryNode('acme-labs', 'user');
    assert.equal((await calls('ListUsers')).length, 0, 'expanding the organization lists nothing yet');

    let nodes = await children(users);
    let listUsers = await calls('ListUsers');
    assert.equal(listUsers.length, 1);
    assert.equal(listUsers[0]!.params?.MaxResults, 100);
    assert.equal(listUsers[0]!.params?.NextToken, undefined);
    assert.equal(users.loadedItems.length, 100, 'one full page loaded');
    assert.ok(mailboxes(nodes).length >= 99, 'the page is shown (system users hidden)');
    let more = byContext(nodes, 'loadMore');
    assert.equal(more.length, 1, 'a "Load more…" item follows a page with a NextToken');
    assert.equal(nodes[nodes.length - 1], more[0], '"Load more…" is last');
    assert.equal(treeItem(more[0]!).label, 'Load more…');

    await click(more[0]!);
    nodes = await children(users);
    listUsers = await calls('ListUsers');
    assert.equal(listUsers.length, 2);
    assert.ok(listUsers[1]!.params?.NextToken, 'the second call continues with the token');
    more = byContext(nodes, 'loadMore');
    assert.equal(more.length, 1);

    await click(more[0]!);
    nodes = await children(users);
    listUsers = await calls('ListUsers');
    assert.equal(listUsers.length, 3, 'exactly three calls for three pages');
    assert.ok(listUsers.every((call) => call.params?.MaxResults === 100));
    assert.equal(byContext(nodes, 'loadMore').length, 0, 'no "Load more…" after the last page');
    const shown = mailboxes(nodes);
    assert.ok(shown.length >= 250, `all users shown (${shown.length})`);
    assert.equal(new Set(shown.map((node) => node.entity.id)).size, shown.length, 'no user appears twice');

    // Asking again re-renders from memory.
    await children(users);
    assert.equal((await calls('ListUsers')).length, 3);
  });

  it('shows what is loaded in name order, merging each page into it with "Load more…" last, and counts honestly', async () => {
    const users = await categoryNode('acme-labs', 'user');
    assert.equal(description(users), '', 'no count before anything is read');
    let nodes = await children(users);
    const firstPage = mailboxes(nodes);
    assertByName(firstPage, 'the first page');
    // WorkMail lists by ID, so the page did not arrive in name order (or this test proves nothing).
    const listed = users.loadedItems.filter((node) => firstPage.includes(node));
    assert.notDeepEqual(names(listed), names(firstPage), 'the emulator listed the page in name order already');
    assert.equal(description(users), `${firstPage.length}+`, 'more pages remain: the loaded count with "+"');

    await click(byContext(nodes, 'loadMore')[0]!);
    nodes = await children(users);
    const twoPages = mailboxes(nodes);
    assertByName(twoPages, 'two pages');
    assert.ok(firstPage.every((node) => twoPages.includes(node)), 'nothing of the first page is lost');
    // Names from the second page land between names of the first: one order, not two runs.
    const secondPage = twoPages.filter((node) => !firstPage.includes(node));
    const lastOfFirst = twoPages.indexOf(firstPage[firstPage.length - 1]!);
    assert.ok(secondPage.some((node) => twoPages.indexOf(node) < lastOfFirst), 'the second page was appended after the first instead of merged');
    assert.equal(nodes[nodes.length - 1]!.contextValue, 'loadMore', '"Load more…" stays last');
    assert.equal(description(users), `${twoPages.length}+`);

    await click(byContext(nodes, 'loadMore')[0]!);
    nodes = await children(users);
    assertByName(mailboxes(nodes), 'every page');
    assert.equal(byContext(nodes, 'loadMore').length, 0);
    assert.match(description(users), new RegExp(`^${mailboxes(nodes).length}( · |$)`), 'all loaded: the count, without "+"');
  });

  it('a double "Load more…" loads the next page once', async () => {
    const users = await categoryNode('acme-labs', 'user');
    const more = byContext(await children(users), 'loadMore')[0]!;
    await clearCalls();
    await Promise.all([vscode.commands.executeCommand('workmail.loadMore', more), vscode.commands.executeCommand('workmail.loadMore', more)]);
    assert.equal((await calls('ListUsers')).length, 1);
    const nodes = await children(users);
    assert.equal(users.loadedItems.length, 200, 'two pages loaded, not three');
    assert.equal(byContext(nodes, 'loadMore').length, 1);
  });

  it('honours a smaller page size', async () => {
    await setSetting('pageSize', 40);
    const users = await categoryNode('acme-labs', 'user');
    const nodes = await children(users);
    const listUsers = await calls('ListUsers');
    assert.equal(listUsers.length, 1);
    assert.equal(listUsers[0]!.params?.MaxResults, 40);
    assert.equal(users.loadedItems.length, 40);
    assert.equal(byContext(nodes, 'loadMore').length, 1);
  });

  it('refreshing a node restarts it at its first page, and only it', async () => {
    const users = await categoryNode('acme-labs', 'user');
    const groups = await categoryNode('acme-labs', 'group');
    await click(byContext(await children(users), 'loadMore')[0]!);
    await children(groups);
    await children(users);
    assert.equal(users.loadedItems.length, 200);
    await clearCalls();

    await vscode.commands.executeCommand('workmail.refresh', users);
    assert.equal((await calls()).length, 0, 'nothing is fetched until the node is shown again');
    await children(users);
    const after = await calls();
    assert.deepEqual(after.map((call) => call.operation), ['ListUsers']);
    assert.equal(after[0]!.params?.NextToken, undefined);
    assert.equal(users.loadedItems.length, 100);
    await children(groups);
    assert.equal((await calls('ListGroups')).length, 0, 'the sibling keeps its loaded page');
  });

  it('refreshing the view restarts everything', async () => {
    const users = await categoryNode('acme', 'user');
    await children(users);
    await clearCalls();
    await vscode.commands.executeCommand('workmail.refresh');
    const again = await categoryNode('acme', 'user');
    assert.notEqual(again, users, 'new nodes after a full refresh');
    await children(again);
    const operations = (await calls()).map((call) => call.operation);
    assert.equal(operations.filter((op) => op === 'ListOrganizations').length, 3);
    assert.equal(operations.filter((op) => op === 'ListUsers').length, 1);
  });
});
