// The explorer between VS Code and the nodes: a read of rows overtaken by a change of its node or of
// one above it answers nothing (VS Code 1.100 would file the rows under an entry it has replaced, and
// the next read of them fails), and changes nodes announce about themselves wait until no rows are
// being read.
import * as assert from 'node:assert/strict';
import type { ExplorerNode } from '../../src/tree/explorerNode';
import type { MailboxNode } from '../../src/tree/mailboxNode';
import { categoryNode, children, extensionApi, mailboxes, organizationNode, setFaults, useFreshTree } from './support';

async function aliceMailbox(): Promise<MailboxNode> {
  const users = await categoryNode('acme', 'user');
  const found = mailboxes(await children(users)).find((node) => node.entity.name === 'alice.johnson');
  assert.ok(found, 'the sample seed has alice.johnson in acme');
  return found;
}

const grantees = (nodes: readonly ExplorerNode[]): ExplorerNode[] => nodes.filter((node) => node.contextValue === 'grantee');

describe('tree: reads overtaken by a change, and announcements', () => {
  useFreshTree({ pageSize: 100 }, () => setFaults({}));

  it('a mailbox read overtaken by a Refresh of its Users answers nothing; read again, it answers its grantees', async () => {
    const { explorer } = await extensionApi();
    const mailbox = await aliceMailbox();
    const users = mailbox.parent!;
    await setFaults({ rules: [{ operation: 'ListMailboxPermissions', delayMs: 400, times: 1 }] });

    const overtaken = explorer.getChildren(mailbox);
    explorer.refresh(users);
    assert.deepEqual(await overtaken, [], 'VS Code replaced the entry it read for: rows given now would be filed under it');
    const again = await explorer.getChildren(mailbox);
    assert.ok(grantees(again).length >= 2, 'the next read gives the grantees');
  });

  it('a change elsewhere in the view does not void a read', async () => {
    const { explorer } = await extensionApi();
    const mailbox = await aliceMailbox();
    const groups = await categoryNode('acme', 'group');
    await setFaults({ rules: [{ operation: 'ListMailboxPermissions', delayMs: 400, times: 1 }] });

    const read = explorer.getChildren(mailbox);
    explorer.refresh(groups);
    assert.ok(grantees(await read).length >= 2, 'Groups is not above the mailbox');
  });

  it('holds a list\'s count back while any rows are being read, and tells it after', async () => {
    const { explorer } = await extensionApi();
    const mailbox = await aliceMailbox();
    const labs = await organizationNode('acme-labs');
    const labsUsers = await categoryNode('acme-labs', 'user');
    await setFaults({ rules: [{ operation: 'ListMailboxPermissions', delayMs: 1500, times: 1 }] });

    const fired: Array<{ nodes: ExplorerNode[]; at: number }> = [];
    const listener = explorer.onDidChangeTreeData((nodes) => fired.push({ nodes: Array.isArray(nodes) ? nodes : nodes ? [nodes] : [], at: Date.now() }));
    try {
      const slowRead = explorer.getChildren(mailbox);
      // acme-labs' Users is read ahead and wants to tell its count while the mailbox is read.
      explorer.expanded(labs);
      await slowRead;
      const readEnded = Date.now();
      const deadline = Date.now() + 10_000;
      while (!fired.some((f) => f.nodes.includes(labsUsers))) {
        assert.ok(Date.now() < deadline, 'the count was never told');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const told = fired.find((f) => f.nodes.includes(labsUsers))!;
      assert.ok(told.at >= readEnded, `told ${readEnded - told.at} ms before the mailbox's rows were given`);
    } finally {
      listener.dispose();
    }
  });
});
