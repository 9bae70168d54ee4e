// The rows that come a page at a time (mailboxes, grantees, group members) build their tooltips
// when VS Code asks for them, on hover, through the explorer's resolveTreeItem: a page of a hundred
// rows is not a hundred markdown tooltips built, and parsed again by VS Code, before it is shown.
// The hover says what it said when every row carried its tooltip.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CategoryNode } from '../../src/tree/categoryNode';
import { safeTooltip } from '../../src/tree/display';
import type { ExplorerNode, TreeContext } from '../../src/tree/explorerNode';
import type { GranteeNode } from '../../src/tree/granteeNode';
import type { GroupMemberNode } from '../../src/tree/groupMemberNode';
import type { MailboxNode } from '../../src/tree/mailboxNode';
import { entityName } from '../../src/workmail/names';
import type { DirectoryEntity, Page } from '../../src/workmail/types';
import { acmeSeed, byName } from '../commands/audit/support';
import { categoryNode, children, extensionApi, loadAll, mailboxes, useFreshTree } from './support';

/** What VS Code does when the pointer rests on a row: resolveTreeItem on the item getTreeItem gave. */
async function hover(node: ExplorerNode): Promise<vscode.MarkdownString> {
  const { explorer } = await extensionApi();
  const item = explorer.getTreeItem(node);
  const resolved = explorer.resolveTreeItem(item, node);
  const tooltip = resolved.tooltip;
  assert.ok(tooltip instanceof vscode.MarkdownString, `${node.id}: the hover is a MarkdownString`);
  assert.equal(tooltip.isTrusted, false, 'untrusted: no command link can run');
  assert.equal(tooltip.supportHtml, false, 'no HTML');
  return tooltip;
}

/** A tooltip read back as plain text: appendText escapes markdown punctuation and writes spaces as &nbsp;. */
function plain(tooltip: vscode.MarkdownString): string {
  return tooltip.value.replace(/\\(.)/g, '$1').replace(/&nbsp;/g, ' ');
}

describe('tree: tooltips of page rows are built on hover', () => {
  useFreshTree();

  it('a mailbox row: no tooltip in getTreeItem, the same tooltip as before from resolveTreeItem', async () => {
    const { explorer } = await extensionApi();
    const users = mailboxes(await loadAll(await categoryNode('acme', 'user')));
    const william = users.find((node) => node.entity.name === 'william.chen');
    assert.ok(william, 'William Chen is a user of acme');
    assert.equal(william.entity.state, 'DISABLED');

    assert.equal(explorer.getTreeItem(william).tooltip, undefined, 'the row of the page carries no tooltip');
    const tooltip = await hover(william);
    // What getTreeItem built for every row before: the name, the address, the ID and the state.
    const before = safeTooltip([
      ['Mailbox', entityName(william.entity)],
      ['Email', william.entity.email],
      ['ID', william.entity.id],
      ['State', 'DISABLED'],
    ]);
    assert.equal(tooltip.value, before.value);
    const text = plain(tooltip);
    for (const line of [`**Mailbox:** ${entityName(william.entity)}`, `**Email:** ${william.entity.email}`, `**ID:** ${william.entity.id}`, '**State:** DISABLED']) {
      assert.ok(text.includes(line), `the hover says ${line}: ${text}`);
    }
  });

  it('a grantee row and a group member row: no tooltip in getTreeItem, their tooltips from resolveTreeItem', async () => {
    const { explorer } = await extensionApi();
    const sales = byName(acmeSeed(), 'sales');
    const carol = mailboxes(await loadAll(await categoryNode('acme', 'user'))).find((node) => node.entity.name === 'carol.nguyen') as MailboxNode;
    const grantee = (await loadAll(carol)).find((node) => node.contextValue === 'grantee' && (node as GranteeNode).grant.granteeId === sales.id) as GranteeNode | undefined;
    assert.ok(grantee, 'carol.nguyen has a grant to sales');
    assert.equal(explorer.getTreeItem(grantee).tooltip, undefined);
    const granteeText = plain(await hover(grantee));
    for (const line of [`**Grantee ID:** ${sales.id}`, '**Grantee type:** group', `**Mailbox ID:** ${carol.entity.id}`, '**Rights:** ']) {
      assert.ok(granteeText.includes(line), `the grantee's hover says ${line}: ${granteeText}`);
    }

    const members = (await children(grantee)).filter((node) => node.contextValue.startsWith('groupMember-')) as GroupMemberNode[];
    const emma = members.find((node) => node.entity.name === 'emma.schmidt');
    assert.ok(emma, 'Emma Schmidt is a member of sales (through sales-emea-dach)');
    assert.equal(explorer.getTreeItem(emma).tooltip, undefined);
    const memberText = plain(await hover(emma));
    for (const line of ['**Member:** Emma Schmidt', `**Member of:** ${emma.pathNames.join(' → ')}`, `**ID:** ${emma.member.id}`]) {
      assert.ok(memberText.includes(line), `the member's hover says ${line}: ${memberText}`);
    }
  });

  it('leaves a tooltip getTreeItem gave as it is', async () => {
    const { explorer } = await extensionApi();
    const users = await categoryNode('acme', 'user');
    await children(users);
    const item = explorer.getTreeItem(users);
    const given = item.tooltip;
    assert.ok(given instanceof vscode.MarkdownString, 'the loaded list explains its count');
    assert.equal(explorer.resolveTreeItem(item, users).tooltip, given);
  });
});

describe('tree: a page of Users announces one change', () => {
  const org = { region: 'us-east-1', organizationId: 'm-00000000000000000000000000000001', alias: 'acme', state: 'Active' };
  const user = (n: number): DirectoryEntity => ({ id: `user-${n}`, kind: 'user', name: `user${n}`, email: `user${n}@acme.example` });

  /** A Users list over two pages of two users, and the changes it fires and announces (for a quiet moment). */
  function usersList(): { users: CategoryNode; changes: Array<ExplorerNode | undefined>; announced: ExplorerNode[] } {
    const changes: Array<ExplorerNode | undefined> = [];
    const announced: ExplorerNode[] = [];
    const pages: Record<string, Page<DirectoryEntity>> = { first: { items: [user(1), user(2)], nextToken: 'more' }, more: { items: [user(3), user(4)] } };
    const context = {
      session: () => ({ listEntitiesPage: async (_org: unknown, _kind: unknown, options: { nextToken?: string }): Promise<Page<DirectoryEntity>> => pages[options.nextToken ?? 'first']!, profile: 'test' }),
      directory: () => ({ remember: () => undefined }),
      pageSize: () => 100,
      showSystemUsers: () => false,
      log: vscode.window.createOutputChannel('WorkMail test', { log: true }),
      changed: (node: ExplorerNode | undefined) => changes.push(node),
      announce: (node: ExplorerNode) => announced.push(node),
      track: () => undefined,
      untrack: () => undefined,
    } as unknown as TreeContext;
    const root = { id: 'root', contextValue: 'root', parent: undefined, getTreeItem: () => new vscode.TreeItem('root'), getChildren: async () => [] } as unknown as ExplorerNode;
    return { users: new CategoryNode(root, context, org, 'user'), changes, announced };
  }

  it('the first page: one announcement of the list (for its count), no change fired, not one per row; no tooltip built', async () => {
    const { users, changes, announced } = usersList();
    const rows = await users.getChildren();
    assert.equal(rows.length, 3, 'two mailboxes and "Load more…"');
    // A change fired while VS Code takes the rows in files them under a replaced row (announcer.ts):
    // the count waits for a quiet moment instead.
    assert.deepEqual(changes, [], 'no change fired while VS Code takes in the rows');
    assert.deepEqual(announced, [users]);
    assert.equal(users.getTreeItem().description, '2+');
    assert.deepEqual(rows.map((row) => row.getTreeItem().tooltip), [undefined, undefined, undefined], 'the rows carry no tooltip until hovered');
    await users.getChildren();
    assert.deepEqual(announced, [users], 'asked again, nothing new to tell');
  });

  it('"Load more…": one change of the list for the page and its count, not one for each', async () => {
    const { users, changes } = usersList();
    await users.getChildren();
    changes.length = 0;
    await users.loadMoreAndShow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Each change makes VS Code fetch and draw the whole list again.
    assert.deepEqual(changes, [users]);
    assert.equal(users.getTreeItem().description, '4');
    assert.equal((await users.getChildren()).length, 4, 'four mailboxes, no "Load more…"');
  });
});
