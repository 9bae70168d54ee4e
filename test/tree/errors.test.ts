import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OrganizationNode } from '../../src/tree/organizationNode';
import { byContext, calls, categoryNode, children, clearCalls, click, description, freshStart, label, mailboxes, SettingsSnapshot, setFaults, setSetting, treeItem } from './support';

describe('tree: failed loads', () => {
  let settings: SettingsSnapshot;

  beforeEach(async () => {
    settings = await SettingsSnapshot.take();
    await setSetting('pageSize', 100);
    await freshStart();
  });

  afterEach(async () => {
    await setFaults({});
    await settings.restore();
  });

  it('turns a failed list into an error item whose click retries it', async () => {
    const users = await categoryNode('acme', 'user');
    await setFaults({ rules: [{ operation: 'ListUsers', error: 'AccessDeniedException', status: 400, message: 'not allowed here', times: 1 }] });
    const failed = await children(users);
    assert.equal(failed.length, 1);
    const error = failed[0]!;
    assert.equal(error.contextValue, 'error');
    assert.match(label(error), /Access denied/);
    assert.equal(description(error), 'click to retry');
    const tooltip = treeItem(error).tooltip as vscode.MarkdownString;
    assert.match(tooltip.value.replace(/\\(.)/g, '$1'), /AccessDeniedException/);

    await click(error);
    const nodes = await children(users);
    assert.ok(mailboxes(nodes).length > 0, 'the retry loaded the users');
    assert.equal(byContext(nodes, 'error').length, 0);
    assert.equal((await calls('ListUsers')).length, 2);
  });

  it('keeps the pages already loaded when the next page fails, and retries that page', async () => {
    const users = await categoryNode('acme-labs', 'user');
    const more = byContext(await children(users), 'loadMore')[0]!;
    // More failures than the SDK's attempts, so the error reaches the tree.
    await setFaults({ rules: [{ operation: 'ListUsers', error: 'InternalFailure', status: 500, times: 10 }] });
    await click(more);
    let nodes = await children(users);
    assert.equal(users.loadedItems.length, 100, 'the first page is kept');
    const error = byContext(nodes, 'error')[0];
    assert.ok(error, 'an error item replaces "Load more…"');
    assert.equal(nodes[nodes.length - 1], error);
    assert.equal(byContext(nodes, 'loadMore').length, 0);
    const failedToken = (await calls('ListUsers')).at(-1)!.params?.NextToken;
    assert.ok(failedToken);

    await setFaults({});
    await clearCalls();
    await click(error);
    nodes = await children(users);
    const retried = await calls('ListUsers');
    assert.equal(retried.length, 1);
    assert.equal(retried[0]!.params?.NextToken, failedToken, 'the retry asks for the page that failed');
    assert.equal(users.loadedItems.length, 200);
  });

  it('shows a region that failed next to the organizations of the others, and retries', async () => {
    await setFaults({ rules: [{ operation: 'ListOrganizations', error: 'AccessDeniedException', status: 400, times: 1 }] });
    const roots = await children();
    const errors = byContext(roots, 'error');
    assert.equal(errors.length, 1);
    assert.match(label(errors[0]!), /^(us-east-1|us-west-2|eu-west-1): Access denied/);
    const regionsShown = new Set(roots.filter((node) => node.contextValue.startsWith('organization')).map((node) => (node as OrganizationNode).org.region));
    assert.equal(regionsShown.size, 2, 'the two other regions are listed');

    await click(errors[0]!);
    const after = await children();
    assert.equal(byContext(after, 'error').length, 0);
    assert.equal(new Set(after.map((node) => (node as OrganizationNode).org.region)).size, 3);
  });
});
