// A generated 10,000-user organization: the tree expands, pages and filters it while the extension
// host's event loop is watched (stalls are recorded in the table, not asserted beyond a sanity
// bound: speed targets belong to the benchmark), and collapsed lists give their pages back past a
// bound, checked by counting the items still held.
import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { WorkMailExtensionApi } from '../../src/extension';
import type { CategoryNode } from '../../src/tree/categoryNode';
import type { ExplorerNode } from '../../src/tree/explorerNode';
import type { MailboxNode } from '../../src/tree/mailboxNode';
import { RETAINED_COLLAPSED_LISTS } from '../../src/tree/pageRetention';
import { byContext, categoryNode, children, click, extensionApi, freshStart, mailboxes } from '../tree/support';
import { loadSeed, reliabilityLog, restoreSample, sampleSeed } from './support';

const log = reliabilityLog('host-scale');

const USERS = 10_000;
/** Not a speed target: only "the host did not freeze". */
const SANITY_STALL_MS = 5_000;

function bigSeed(): unknown {
  const seed = sampleSeed() as { accounts: Array<{ organizations: unknown[] }> };
  seed.accounts[0]?.organizations.push({
    id: 'm-b1900000000000000000000000000001',
    alias: 'big',
    region: 'us-east-1',
    defaultMailDomain: 'big.example.com',
    generate: { users: USERS, groups: 200, resources: 50, grants: 30_000, seed: 10 },
  });
  return seed;
}

/** Runs `body` while sampling the event loop; returns the longest stall seen, in ms. */
async function watchEventLoop<T>(body: () => Promise<T>): Promise<{ value: T; maxStallMs: number; p99Ms: number; elapsedMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const started = performance.now();
  try {
    const value = await body();
    return { value, maxStallMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, elapsedMs: performance.now() - started };
  } finally {
    histogram.disable();
  }
}

const ms = (value: number) => `${Math.round(value)} ms`;

const COLLAPSE_ALL = 'workbench.actions.treeView.workmail.explorer.collapseAll';

/**
 * Bounds a wait for something VS Code does in milliseconds, so a missing event fails with its name
 * instead of the suite's timeout. Not a speed target: a loaded 2-core machine is far inside it.
 */
const HANG_GUARD_MS = 60_000;

function guarded<T>(promise: PromiseLike<T>, what: string, dispose: () => void = () => {}): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${HANG_GUARD_MS / 1000} s for ${what}`)), HANG_GUARD_MS);
  });
  return Promise.race([promise, guard]).finally(() => {
    clearTimeout(timer);
    dispose();
  });
}

/** The next event of the view about `element` (subscribed before the action that causes it). */
function nextEvent(event: vscode.Event<vscode.TreeViewExpansionEvent<unknown>>, element: ExplorerNode, what: string): Promise<void> {
  let subscription: vscode.Disposable | undefined;
  const seen = new Promise<void>((resolve) => {
    subscription = event((e) => {
      if (e.element === element) {
        resolve();
      }
    });
  });
  return guarded(seen, what, () => subscription?.dispose());
}

/**
 * Until VS Code has applied every change the tree has fired or still holds back. Why: while VS Code
 * applies a change of a list it forgets the rows below it until it has read them again, and an
 * expand or collapse of such a row reported meanwhile reaches no listener (VS Code 1.100's
 * ExtHostTreeView.setExpanded drops an unknown handle). The Users list announces its count once its
 * first page is in, at the tree's next quiet moment (announcer.ts), which under load came after the
 * fixed 300 ms this test used to wait, and Collapse All then went unheard.
 * First the held announcements go out; then a reveal, which VS Code starts only once every change
 * fired before it is applied and its rows read again, waits for them.
 */
async function settledView(api: WorkMailExtensionApi, rootRow: ExplorerNode): Promise<void> {
  let given = false;
  await guarded(
    (async () => {
      while (api.explorer.sync.waiting > 0 && !given) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })(),
    'the tree to fire the changes it holds back',
    () => (given = true),
  );
  // A row at the root: revealing it opens nothing, so it reports no expansion of its own.
  await guarded(api.treeView.reveal(rootRow, { select: false, focus: false }), 'VS Code to apply the changes of the tree');
}

describe('reliability: a 10,000-user organization', function () {
  this.timeout(300_000);
  let users: CategoryNode;

  before(async () => {
    await freshStart();
    await loadSeed(bigSeed());
    await vscode.commands.executeCommand('workmail.refresh');
    users = await categoryNode('big', 'user');
  });

  after(async () => {
    await users?.setFilter(undefined);
    await restoreSample();
    await freshStart();
  });

  it('expands and pages through all 10,000 users', async () => {
    await log.check(
      {
        area: 'scale',
        name: 'page through 10,000 users',
        action: 'expand big → Users, then Load more until the end (page size 100)',
        fault: `${USERS} users`,
        expected: `every user listed once; the extension host keeps running (event-loop stall under ${SANITY_STALL_MS} ms, sanity bound only)`,
      },
      async () => {
        const { value: nodes, maxStallMs, p99Ms, elapsedMs } = await watchEventLoop(async () => {
          let nodes = await children(users);
          for (let guard = 0; guard < 200; guard++) {
            const more = byContext(nodes, 'loadMore')[0];
            if (!more) {
              break;
            }
            await click(more);
            nodes = await children(users);
          }
          return nodes;
        });
        const listed = mailboxes(nodes);
        const systemUsers = users.loadedItems.filter((node) => node.entity.userRole === 'SYSTEM_USER').length;
        assert.equal(users.loadedItems.length, USERS, 'all users loaded');
        assert.equal(new Set(listed.map((node) => node.entity.id)).size, listed.length, 'no user listed twice');
        assert.equal(listed.length, USERS - systemUsers, 'all but system users shown');
        assert.ok(maxStallMs < SANITY_STALL_MS, `the host stalled ${ms(maxStallMs)}`);
        return `${listed.length} users shown (${systemUsers} system users hidden) in ${ms(elapsedMs)}; event loop: max stall ${ms(maxStallMs)}, p99 ${ms(p99Ms)}`;
      },
    );
  });

  it('filters the 10,000 users on the server', async () => {
    await log.check(
      {
        area: 'scale',
        name: 'filter 10,000 users',
        action: "filter big → Users by name prefix 'a', then clear the filter",
        fault: `${USERS} users`,
        expected: 'only matching users, one page at a time; clearing restarts at the first page',
      },
      async () => {
        const { value, maxStallMs, elapsedMs } = await watchEventLoop(async () => {
          await vscode.commands.executeCommand('workmail.filter', users, { field: 'name', prefix: 'a' });
          const filtered = mailboxes(await children(users));
          await vscode.commands.executeCommand('workmail.clearFilter', users);
          const cleared = await children(users);
          return { filtered, cleared };
        });
        assert.ok(value.filtered.length > 0, 'some names start with a');
        assert.ok(value.filtered.every((node) => (node.entity.name ?? '').toLowerCase().startsWith('a')), 'only names starting with a');
        assert.ok(mailboxes(value.cleared).length <= 100 && byContext(value.cleared, 'loadMore').length === 1, 'cleared: back to the first page');
        assert.ok(maxStallMs < SANITY_STALL_MS, `the host stalled ${ms(maxStallMs)}`);
        return `${value.filtered.length} users on the first filtered page; cleared to ${mailboxes(value.cleared).length} + Load more; ${ms(elapsedMs)}, max stall ${ms(maxStallMs)}`;
      },
    );
  });

  it('collapsed lists give their pages back past a bound', async () => {
    await log.check(
      {
        area: 'scale',
        name: 'memory while browsing',
        action: `expand and collapse 60 mailboxes one after another, then the Users list, then 25 more mailboxes`,
        fault: `${USERS} users; pages of collapsed lists kept for at most ${RETAINED_COLLAPSED_LISTS} lists`,
        expected: `at most ${RETAINED_COLLAPSED_LISTS} collapsed lists hold pages; the rest hold none and reload when expanded again`,
      },
      async () => {
        const { retention } = await extensionApi();
        const firstPage = mailboxes(await children(users));
        const browsed: MailboxNode[] = firstPage.slice(0, 85);
        assert.equal(browsed.length, 85, 'enough mailboxes on the first page');
        const heldBy = (nodes: readonly MailboxNode[]) => nodes.filter((node) => node.loadedCount > 0).length;

        const hadGrants = new Set<MailboxNode>();
        for (const mailbox of browsed.slice(0, 60)) {
          await children(mailbox);
          if (mailbox.loadedCount > 0) {
            hadGrants.add(mailbox);
          }
          retention.onExpanded(mailbox);
          retention.onCollapsed(mailbox);
        }
        const afterSixty = heldBy(browsed.slice(0, 60));
        assert.ok(afterSixty > 0 && afterSixty <= RETAINED_COLLAPSED_LISTS, `only the most recently collapsed mailboxes hold their grants (${afterSixty})`);
        assert.ok(retention.retainedLists <= RETAINED_COLLAPSED_LISTS);
        assert.ok(retention.released >= 60 - RETAINED_COLLAPSED_LISTS - browsed.slice(0, 60).filter((m) => !hadGrants.has(m)).length, 'the older ones were released');
        const releasedAfterSixty = retention.released;
        const oldest = browsed.find((m) => hadGrants.has(m)) as MailboxNode;
        assert.ok(oldest, 'a browsed mailbox with grants');
        assert.equal(oldest.loadedCount, 0, 'the first mailbox browsed gave its page back');

        const usersHeld = users.loadedCount;
        assert.ok(usersHeld >= 100, 'the Users list holds its pages while open');
        retention.onCollapsed(users);
        for (const mailbox of browsed.slice(60)) {
          await children(mailbox);
          retention.onExpanded(mailbox);
          retention.onCollapsed(mailbox);
        }
        assert.equal(users.loadedCount, 0, 'the collapsed Users list gave its pages back once 20 newer lists were collapsed');
        assert.ok(retention.retainedLists <= RETAINED_COLLAPSED_LISTS);

        const again = await children(oldest);
        assert.ok(again.length > 0, 'a released mailbox loads again when expanded');
        return `after 60 mailboxes: ${afterSixty} hold grants, ${releasedAfterSixty} lists released; Users list: ${usersHeld} items → ${users.loadedCount} after 25 newer collapses; collapsed lists holding pages: ${retention.retainedLists} (${retention.retainedItems} items)`;
      },
    );
  });

  it('the view reports collapses to the retention (real tree view events)', async () => {
    await log.check(
      {
        area: 'scale',
        name: 'collapse events reach the retention',
        action: 'reveal and expand a mailbox in the real view, then Collapse All',
        fault: 'none',
        expected: 'the collapse is seen: the mailbox becomes one of the retained collapsed lists; reading its rows again takes it off',
      },
      async () => {
        const api = await extensionApi();
        await vscode.commands.executeCommand('workbench.view.extension.workmail');
        const acme = (await children()).find((node) => (node as { org?: { alias?: string } }).org?.alias === 'acme') as ExplorerNode;
        const acmeUsers = (await children(acme))[0] as CategoryNode;
        const mailbox = mailboxes(await children(acmeUsers)).find((node) => node.entity.name === 'alice.johnson') as MailboxNode;
        assert.ok(mailbox, 'alice.johnson is listed');
        await children(mailbox);
        // Nothing open in the view, so the reveal below does expand the mailbox and VS Code says so.
        await vscode.commands.executeCommand(COLLAPSE_ALL);
        await settledView(api, acme);

        const expanded = nextEvent(api.treeView.onDidExpandElement, mailbox, 'the expansion of alice.johnson');
        await api.treeView.reveal(mailbox, { expand: true, focus: false, select: false });
        await expanded;
        await settledView(api, acme);

        const before = api.retention.retainedLists;
        const collapsed = nextEvent(api.treeView.onDidCollapseElement, mailbox, 'the collapse of alice.johnson');
        await vscode.commands.executeCommand(COLLAPSE_ALL);
        await collapsed;
        assert.ok(mailbox.loadedCount > 0, 'alice.johnson has grants loaded');
        assert.ok(api.retention.holds(mailbox), `the retention recorded the collapsed mailbox (held before: ${before})`);
        // VS Code drops an expand event that arrives while a change above the row is not applied
        // yet, but still reads the row's children: that read alone takes it off the collapsed lists,
        // so an open mailbox is never released (and sent back to its first page) while open.
        await api.explorer.getChildren(mailbox);
        assert.ok(!api.retention.holds(mailbox), 'reading the rows of a mailbox takes it off the collapsed lists');
        return `collapse event received; ${api.retention.retainedLists} collapsed lists retained`;
      },
    );
  });
});
