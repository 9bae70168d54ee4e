// A grantee that WorkMail lists in two rows (on one page or across pages) is one grantee node with
// the rights of both rows, as the writer reads them; showing only one row would hide rights.
// The session here is a stand-in that returns fixed pages: this tests the tree's own merge logic,
// no I/O (the emulator never lists a grantee twice).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplorerNode, TreeContext } from '../../src/tree/explorerNode';
import type { GranteeNode } from '../../src/tree/granteeNode';
import { MailboxNode } from '../../src/tree/mailboxNode';
import { PendingRights } from '../../src/tree/pendingRights';
import type { Grant, Page } from '../../src/workmail/types';

const org = { region: 'us-east-1', organizationId: 'm-00000000000000000000000000000001', alias: 'acme', state: 'Active' };
const mailbox = { id: 'mailbox-1', kind: 'user' as const, name: 'ann' };
const person = { id: 'grantee-1', kind: 'user' as const, name: 'bob', state: 'ENABLED' as const };

function nodeListing(pages: ReadonlyArray<Page<Grant>>): MailboxNode {
  let call = 0;
  const context = {
    session: () => ({ listGrantsPage: async () => pages[call++] as Page<Grant> }),
    directory: () => ({ get: () => person, resolve: async () => new Map([[person.id, person]]) }),
    pageSize: () => 100,
    showSystemUsers: () => false,
    log: vscode.window.createOutputChannel('WorkMail test', { log: true }),
    pending: new PendingRights(),
    changed: () => undefined,
    track: () => undefined,
    untrack: () => undefined,
  } as unknown as TreeContext;
  const root = { id: 'root', contextValue: 'root', parent: undefined, getTreeItem: () => new vscode.TreeItem('root'), getChildren: async () => [] } as unknown as ExplorerNode;
  return new MailboxNode(root, context, org, mailbox);
}

describe('tree: a grantee listed in two rows', () => {
  it('on one page: one node with the rights of both rows', async () => {
    const node = nodeListing([
      { items: [
        { granteeId: person.id, granteeType: 'USER', rights: ['SEND_AS'] },
        { granteeId: person.id, granteeType: 'USER', rights: ['FULL_ACCESS'] },
      ] },
    ]);
    const grantees = (await node.getChildren()).filter((child) => child.contextValue === 'grantee') as GranteeNode[];
    assert.equal(grantees.length, 1);
    assert.deepEqual([...(grantees[0]?.grant.rights ?? [])], ['FULL_ACCESS', 'SEND_AS']);
  });

  it('across pages: the later row adds to the node already shown', async () => {
    const node = nodeListing([
      { items: [{ granteeId: person.id, granteeType: 'USER', rights: ['SEND_ON_BEHALF'] }], nextToken: 'next' },
      { items: [{ granteeId: person.id, granteeType: 'USER', rights: ['FULL_ACCESS'] }] },
    ]);
    await node.getChildren();
    await node.loadMore();
    const grantees = (await node.getChildren()).filter((child) => child.contextValue === 'grantee') as GranteeNode[];
    assert.equal(grantees.length, 1);
    assert.deepEqual([...(grantees[0]?.grant.rights ?? [])], ['FULL_ACCESS', 'SEND_ON_BEHALF']);
  });
});
