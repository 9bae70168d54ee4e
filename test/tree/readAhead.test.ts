// Opening an organization reads the first page of its Users ahead of the person, so opening Users
// next shows rows without a wait for WorkMail: one ListUsers call in all, never a second, a failure
// kept quiet until the person opens the list (which then reads it again), and a page read too long
// ago read again.
import * as assert from 'node:assert/strict';
import type { CategoryNode } from '../../src/tree/categoryNode';
import type { ExplorerNode } from '../../src/tree/explorerNode';
import { captureLog } from '../reliability/support';
import { byContext, calls, categoryNode, children, clearCalls, extensionApi, mailboxes, organizationNode, setFaults, useFreshTree } from './support';

async function listUsersOf(organizationId: string) {
  return (await calls('ListUsers')).filter((call) => call.params?.OrganizationId === organizationId);
}

async function idle(list: CategoryNode): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (list.isLoading) {
    assert.ok(Date.now() < deadline, `${list.id} is still loading after 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Until the explorer has told VS Code every change nodes announced (they wait for a quiet tree). */
async function announced(): Promise<void> {
  const { explorer } = await extensionApi();
  const deadline = Date.now() + 20_000;
  while (explorer.sync.waiting > 0) {
    assert.ok(Date.now() < deadline, 'announcements still waiting after 20 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The nodes the explorer told VS Code had changed while `body` ran, and its announcements after. */
async function changesDuring<T>(body: () => Promise<T>): Promise<{ value: T; changed: Array<ExplorerNode | undefined> }> {
  const { explorer } = await extensionApi();
  await announced(); // what an earlier step left to tell is not this step's
  const changed: Array<ExplorerNode | undefined> = [];
  const listener = explorer.onDidChangeTreeData((nodes) => changed.push(...(Array.isArray(nodes) ? nodes : [nodes ?? undefined])));
  try {
    const value = await body();
    await announced();
    return { value, changed };
  } finally {
    listener.dispose();
  }
}

/** `alias`'s organization node and Users list, the call log cleared, and its ListUsers meeting `rule` if given. */
async function usersOf(alias: string, rule?: Record<string, unknown>) {
  const { explorer } = await extensionApi();
  const org = await organizationNode(alias);
  const users = await categoryNode(alias, 'user');
  const organizationId = org.org.organizationId;
  if (rule) {
    await setFaults({ rules: [{ operation: 'ListUsers', match: { OrganizationId: organizationId }, ...rule }] });
  }
  await clearCalls();
  return { explorer, org, users, organizationId };
}

describe('tree: the first page of Users is read when the organization is opened', () => {
  useFreshTree({ pageSize: 100 }, () => setFaults({}));

  it('opening an organization reads one page of Users and nothing else; opening Users then shows it without a call', async () => {
    const { explorer, org, users, organizationId } = await usersOf('acme-labs');

    const readAhead = await changesDuring(async () => {
      explorer.expanded(org);
      await idle(users);
    });
    const read = await calls();
    assert.deepEqual(read.map((call) => call.operation), ['ListUsers'], 'one ListUsers call, no group or resource listing');
    assert.equal(read[0]!.params?.OrganizationId, organizationId);
    assert.equal(read[0]!.params?.MaxResults, 100, 'the page the list would read itself (workmail.pageSize)');
    assert.equal(read[0]!.params?.NextToken, undefined);
    assert.deepEqual(readAhead.changed, [users], 'the closed Users row is told its count once the page is in');

    const opened = await changesDuring(() => children(users));
    assert.equal((await listUsersOf(organizationId)).length, 1, 'opening Users made no second call');
    assert.ok(mailboxes(opened.value).length >= 99, 'the page read ahead is shown');
    assert.equal(byContext(opened.value, 'loadMore').length, 1, 'with "Load more…" after it, as a page read on opening would be');
    assert.deepEqual(opened.changed, [], 'opening it changes nothing more: the count was told already');

    explorer.expanded(org);
    await idle(users);
    assert.equal((await listUsersOf(organizationId)).length, 1, 'opening the organization again reads nothing: Users is already read');
  });

  it('opening Users while the page is still on its way waits for that call instead of making another', async () => {
    const { explorer, org, users, organizationId } = await usersOf('acme', { delayMs: 500 });

    const { value: nodes, changed } = await changesDuring(async () => {
      explorer.expanded(org);
      assert.ok(users.isLoading, 'the read ahead started at once');
      return children(users);
    });
    assert.ok(mailboxes(nodes).length > 0, 'the rows came with the read ahead');
    assert.equal((await listUsersOf(organizationId)).length, 1, 'one call in all');
    assert.deepEqual(changed, [users], 'the count is told once, after the rows are taken');
  });

  it('keeps a failed read ahead out of the log and the rows, and reads again when Users is opened', async () => {
    const { explorer, org, users, organizationId } = await usersOf('acme', { error: 'AccessDeniedException', status: 400, message: 'not now', times: 1 });

    const { text } = await captureLog(async () => {
      explorer.expanded(org);
      await idle(users);
    });
    assert.equal((await listUsersOf(organizationId))[0]?.errorCode, 'AccessDeniedException', 'the read ahead met the fault');
    assert.doesNotMatch(text, /not now|Access denied/i, 'nobody asked for that list: its failure is not logged');

    const nodes = await children(users);
    assert.equal(byContext(nodes, 'error').length, 0, 'the failure is not shown');
    assert.ok(mailboxes(nodes).length > 0, 'opening Users read the list again');
    assert.equal((await listUsersOf(organizationId)).length, 2, 'the failed read ahead and the read on opening');
  });

  it('a read ahead that fails while the person waits for it is their answer: logged, shown, not repeated', async () => {
    const { explorer, org, users, organizationId } = await usersOf('acme', { error: 'AccessDeniedException', status: 400, message: 'not now', delayMs: 300, times: 1 });

    const { value: nodes, text } = await captureLog(async () => {
      explorer.expanded(org);
      return children(users);
    });
    assert.equal((await listUsersOf(organizationId)).length, 1, 'the failed call is not made again at once');
    assert.equal(byContext(nodes, 'error').length, 1, 'the failure is shown, with its retry');
    assert.match(text, /not now|Access denied/i, 'and logged: the person asked for this list');
  });

  it('a Refresh while the person waits for the read ahead: that wait answers nothing, the next read shows the list once', async () => {
    const { explorer, org, users } = await usersOf('acme', { delayMs: 300, times: 1 });

    explorer.expanded(org);
    const waiting = explorer.getChildren(users);
    explorer.refresh(users);
    // VS Code replaced the row when told of the refresh: rows given to the old request would be filed
    // under it and break the next read of Users ("Element with id … is already registered").
    assert.deepEqual(await waiting, [], 'the request from before the refresh gets no rows');
    const nodes = await children(users);
    assert.ok(mailboxes(nodes).length > 0, 'the request after it gets the list');
    assert.equal(new Set(mailboxes(nodes).map((node) => node.entity.id)).size, mailboxes(nodes).length, 'each user once');
  });

  it('opening the organization again after the page read ahead went stale, unopened, reads it again', async () => {
    const { explorer, org, users, organizationId } = await usersOf('acme');
    users.prefetchFirstPage(0);
    await idle(users);
    await new Promise((resolve) => setTimeout(resolve, 5));
    explorer.expanded(org);
    await idle(users);
    assert.equal((await listUsersOf(organizationId)).length, 2, 'read again when the organization was opened again');
    const nodes = await children(users);
    assert.equal((await listUsersOf(organizationId)).length, 2, 'and that page is shown without a third call');
    assert.ok(mailboxes(nodes).length > 0);
  });

  it('reads nothing ahead for a filtered Users list', async () => {
    const { explorer } = await extensionApi();
    const org = await organizationNode('acme');
    const users = await categoryNode('acme', 'user');
    users.setFilter({ field: 'name', prefix: 'a' });
    await clearCalls();
    explorer.expanded(org);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(await calls('ListUsers'), [], 'a filter is what the person asked last time, not what they open next');
    users.setFilter(undefined);
  });

  it('reads the list again when the page read ahead is older than it may be shown', async () => {
    const { users, organizationId } = await usersOf('acme');

    users.prefetchFirstPage(0);
    await idle(users);
    assert.equal((await listUsersOf(organizationId)).length, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const nodes = await children(users);
    assert.ok(mailboxes(nodes).length > 0);
    assert.equal((await listUsersOf(organizationId)).length, 2, 'the stale page was read again on opening');
    assert.equal(new Set(mailboxes(nodes).map((node) => node.entity.id)).size, mailboxes(nodes).length, 'and not added to the old one');
  });

  it('reads nothing ahead for an organization that is not Active', async () => {
    const { explorer } = await extensionApi();
    const roots = await children();
    const inactive = roots.find((node) => node.contextValue === 'organization-inactive');
    assert.ok(inactive, 'the sample seed has an organization that is not Active');
    await clearCalls();
    explorer.expanded(inactive);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(await calls('ListUsers'), [], 'no call for an organization that answers none');
  });
});
