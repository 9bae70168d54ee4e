import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OrganizationNode } from '../../src/tree/organizationNode';
import { byContext, calls, categoryNode, children, clearCalls, click, description, faultNextRootLoad, label, mailboxes, setFaults, treeItem, useFreshTree } from './support';

/** The ListUsers calls for one organization (a load of another organization's users is not this test's). */
async function listUsersOf(organizationId: string) {
  return (await calls('ListUsers')).filter((call) => call.params?.OrganizationId === organizationId);
}

describe('tree: failed loads', () => {
  useFreshTree({ pageSize: 100 }, () => setFaults({}));

  it('turns a failed list into an error item whose click retries it', async () => {
    const users = await categoryNode('acme', 'user');
    const acmeId = users.org.organizationId;
    // Only acme's ListUsers, and every one of them until cleared below: a background load can neither
    // use the fault up before this load nor be the one that meets it.
    await setFaults({ rules: [{ operation: 'ListUsers', match: { OrganizationId: acmeId }, error: 'AccessDeniedException', status: 400, message: 'not allowed here' }] });
    const failed = await children(users);
    assert.equal(failed.length, 1);
    const error = failed[0]!;
    assert.equal(error.contextValue, 'error');
    assert.match(label(error), /Access denied/);
    assert.equal(description(error), 'click to retry');
    const tooltip = treeItem(error).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value.replace(/\\(.)/g, '$1'), /AccessDeniedException/);

    await setFaults({});
    await click(error);
    const nodes = await children(users);
    assert.ok(mailboxes(nodes).length > 0, 'the retry loaded the users');
    assert.equal(byContext(nodes, 'error').length, 0);
    assert.equal((await listUsersOf(acmeId)).length, 2, 'the failed call and one retry');
  });

  it('keeps the pages already loaded when the next page fails, and retries that page', async () => {
    const users = await categoryNode('acme-labs', 'user');
    const labsId = users.org.organizationId;
    const more = byContext(await children(users), 'loadMore')[0]!;
    // Every attempt at acme-labs' users fails until cleared below (more failures than the SDK's
    // attempts, so the error reaches the tree); other loads neither use it up nor meet it.
    await setFaults({ rules: [{ operation: 'ListUsers', match: { OrganizationId: labsId }, error: 'InternalFailure', status: 500 }] });
    await click(more);
    const nodes = await children(users);
    assert.equal(users.loadedItems.length, 100, 'the first page is kept');
    const error = byContext(nodes, 'error')[0];
    assert.ok(error, 'an error item replaces "Load more…"');
    assert.equal(nodes[nodes.length - 1], error);
    assert.equal(byContext(nodes, 'loadMore').length, 0);
    const failedToken = (await listUsersOf(labsId)).at(-1)!.params?.NextToken;
    assert.ok(failedToken);

    await setFaults({});
    await clearCalls();
    await click(error);
    await children(users);
    const retried = await listUsersOf(labsId);
    assert.equal(retried.length, 1);
    assert.equal(retried[0]!.params?.NextToken, failedToken, 'the retry asks for the page that failed');
    assert.equal(users.loadedItems.length, 200);
  });

  it('shows a region that failed next to the organizations of the others, and retries', async () => {
    // One region's call, whichever comes first. A request does not say its region, so the rule is
    // one-shot and armed only while no other load lists the organizations (see faultNextRootLoad).
    await faultNextRootLoad({ rules: [{ operation: 'ListOrganizations', error: 'AccessDeniedException', status: 400, times: 1 }] });
    const roots = await children();
    const listed = await calls('ListOrganizations');
    const errors = byContext(roots, 'error');
    assert.equal(errors.length, 1, `expected one error node, saw ${errors.length}; ListOrganizations calls: ${JSON.stringify(listed.map((call) => [call.region, call.errorCode ?? call.status]))}`);
    assert.match(label(errors[0]!), /^(us-east-1|us-west-2|eu-west-1): Access denied/);
    const regionsShown = new Set(roots.filter((node) => node.contextValue.startsWith('organization')).map((node) => (node as OrganizationNode).org.region));
    assert.equal(regionsShown.size, 2, 'the two other regions are listed');

    await setFaults({});
    await click(errors[0]!);
    const after = await children();
    assert.equal(byContext(after, 'error').length, 0);
    assert.equal(new Set(after.map((node) => (node as OrganizationNode).org.region)).size, 3);
  });
});
