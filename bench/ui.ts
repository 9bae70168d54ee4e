// What a person waits for in the editor: the real workbench (code-server + Debian's Chromium, as the
// UI tests run it), the staged production extension, the bench's emulator. The waits are timed in the
// page itself from the mouse-down of the click to the first animation frame in which the rows are
// in the tree: expanding Users until the first page's mailboxes show (as a person does it, a moment
// after opening the organization, which reads that page ahead; and again after Refresh of Users, when
// nothing is read ahead and the click waits for ListUsers), and expanding a mailbox until its grantees
// show. Each sample is a freshly loaded window with everything collapsed, so nothing is cached by
// the extension.
import { writeFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { ensureCodeServer } from '../scripts/code-server.mjs';
import { Cleanup, codeServerEnv, createProfile, freePort, launchChromium, log, startCodeServer, workbenchUrl } from '../scripts/lib/harness.mjs';
import { collapse, openWorkMailView, row } from '../test/ui/workbench';
import { tallyCalls } from './lib';
import type { Emulator } from '../emulator/index';

export interface UiWait {
  readonly ms: number;
  /** Rows shown when the wait ended. */
  readonly rows: number;
  readonly calls: ReturnType<typeof tallyCalls>;
  readonly operations: readonly string[];
  /**
   * Where the wait went, on the machine's one clock (the page's epoch time and the emulator's call
   * log): from the click until the first call reached the emulator, from then until the last call
   * was answered, and from then until the rows were on screen.
   */
  readonly phases?: { readonly beforeFirstCallMs: number; readonly callsMs: number; readonly afterLastCallMs: number };
}

export interface UiSample {
  /**
   * Expanding the organization: its Users, Groups and Resources rows come without a call, so this is
   * the workbench's own cost of a click. (The ListUsers call it starts, reading Users ahead, is in its calls.)
   */
  readonly organizationExpand: UiWait;
  /** Expanding Users a moment after the organization: the first page was read ahead. */
  readonly usersFirstPage: UiWait;
  /** ListUsers calls from the click on the organization until the click on Users (the read ahead: 1). */
  readonly usersReadAheadCalls: number;
  /** Expanding Users after Refresh of Users: nothing read ahead, the click waits for ListUsers. */
  readonly usersFirstPageAfterRefresh: UiWait;
  readonly mailboxGrantees: UiWait & { readonly mailbox: string; readonly expectedGrantees: number };
}

/**
 * Clicks `target` and waits until at least `minRows` rows one level below it are rendered right
 * after it. The page itself keeps the time: the next mouse-down starts a check on every animation
 * frame, and the first frame in which the rows are there ends it. Returns that time.
 */
interface ClickWait {
  readonly ms: number;
  readonly rows: number;
  readonly clickEpochMs: number;
  readonly doneEpochMs: number;
}

async function clickAndWaitForChildren(page: Page, tree: Locator, target: Locator, minRows: number): Promise<ClickWait> {
  const level = Number(await target.getAttribute('aria-level'));
  const label = (await target.getAttribute('aria-label')) ?? '';
  // The row is found again by its place, not its label: a row's label changes while it loads
  // (Users shows its count, "Users 100+", once the first page is in), and the rows above it do not.
  const index = Number(await target.getAttribute('data-index'));
  const treeHandle = await tree.elementHandle();
  if (!treeHandle) throw new Error('the WorkMail tree is not on the page');
  await page.evaluate(
    ([element, parentLevel, parentIndex, wanted]) => {
      (globalThis as unknown as Record<string, unknown>).__workmailBenchWait = { element, parentLevel, parentIndex, wanted };
    },
    [treeHandle, level, index, minRows] as const,
  );
  // Page code as text: this file is type-checked without the DOM's types.
  await page.evaluate(`(() => {
    const wait = window.__workmailBenchWait;
    window.__workmailBenchDone = undefined;
    const check = (clickAt) => {
      const rows = [...wait.element.querySelectorAll('.monaco-list-row')]
        .map((r) => ({ index: Number(r.getAttribute('data-index')), level: Number(r.getAttribute('aria-level')), label: r.getAttribute('aria-label') ?? '' }))
        .sort((a, b) => a.index - b.index);
      const at = rows.findIndex((r) => r.level === wait.parentLevel && r.index === wait.parentIndex);
      let children = 0;
      if (at >= 0) {
        for (const r of rows.slice(at + 1)) {
          if (r.level <= wait.parentLevel) break;
          // A "Loading…" placeholder is not a row the person wanted.
          if (r.level === wait.parentLevel + 1 && !/^Loading/i.test(r.label)) children++;
        }
      }
      if (children >= wait.wanted) {
        const now = performance.now();
        window.__workmailBenchDone = { ms: now - clickAt, rows: children, clickEpochMs: performance.timeOrigin + clickAt, doneEpochMs: performance.timeOrigin + now };
      }
      else requestAnimationFrame(() => check(clickAt));
    };
    document.addEventListener('mousedown', () => { const clickAt = performance.now(); requestAnimationFrame(() => check(clickAt)); }, { capture: true, once: true });
  })()`);
  await target.click();
  try {
    const done = await page.waitForFunction('window.__workmailBenchDone', undefined, { polling: 50, timeout: 60_000 });
    return (await done.jsonValue()) as ClickWait;
  } catch (err) {
    // Say what the tree showed instead, so a changed label or level is seen at once.
    const shown = await tree.locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-index')} L${r.getAttribute('aria-level')} ${r.getAttribute('aria-expanded') ?? ''} ${JSON.stringify(r.getAttribute('aria-label'))}`));
    throw new Error(`no ${minRows} rows below level-${level} ${JSON.stringify(label)} after the click; the tree shows:\n${shown.join('\n')}\n${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function phaseText(phases: UiWait['phases']): string {
  return phases ? `${phases.beforeFirstCallMs.toFixed(0)} ms to the first call, ${phases.callsMs.toFixed(0)} ms of calls, ${phases.afterLastCallMs.toFixed(0)} ms to the screen` : 'no call';
}

export async function measureUi(options: {
  emulator: Emulator;
  organizationAlias: string;
  organizationId: string;
  extensionPath: string;
  /** The organization's users as seeded: the rows are matched to them by name. */
  users: ReadonlyArray<{ readonly id: string; readonly name: string; readonly displayName?: string; readonly email?: string }>;
  samples: number;
  bucketRefillMs: number;
  verbose: boolean;
}): Promise<UiSample[]> {
  const { emulator, samples } = options;
  const cleanup = new Cleanup();
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  try {
    const profile = createProfile({ emulatorUrl: emulator.url });
    cleanup.add('profile folder', () => profile.remove());
    const echo = options.verbose ? (text: string) => process.stderr.write(text.replace(/^/gm, '[code-server] ')) : undefined;
    const server = await startCodeServer({ bin: ensureCodeServer(), port: await freePort(), profile, env: codeServerEnv({ emulatorUrl: emulator.url }), cleanup, onOutput: echo });
    const browser = await launchChromium({ cleanup });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const url = workbenchUrl({ serverUrl: server.url, folder: profile.workspace, extensionDevelopmentPath: options.extensionPath });
    // Mailboxes of the first page that have grants, from the emulator's ground truth.
    const grantsByMailbox = new Map<string, number>();
    for (const grant of emulator.grants(options.organizationId)) grantsByMailbox.set(grant.mailboxId, (grantsByMailbox.get(grant.mailboxId) ?? 0) + 1);

    const results: UiSample[] = [];
    for (let sample = 0; sample < samples; sample++) {
      await page.goto(url, { timeout: 120_000 });
      await page.locator('.monaco-workbench .activitybar').waitFor({ timeout: 60_000 });
      const tree = await openWorkMailView(page);
      const organization = row(tree, 1, `${options.organizationAlias} `);
      await organization.waitFor({ timeout: 60_000 });
      await collapse(organization, 'the organization'); // a restored state: start collapsed
      const users = row(tree, 2, 'Users');

      const step = async (body: () => Promise<ClickWait>): Promise<{ value: ClickWait; calls: ReturnType<typeof tallyCalls>; operations: string[]; phases?: UiWait['phases'] }> => {
        await sleep(options.bucketRefillMs);
        emulator.clearCalls();
        const value = await body();
        const logged = emulator.calls();
        const starts = logged.map((c) => Date.parse(c.time));
        const ends = logged.map((c) => Date.parse(c.time) + c.durationMs);
        const phases = logged.length
          ? { beforeFirstCallMs: Math.min(...starts) - value.clickEpochMs, callsMs: Math.max(...ends) - Math.min(...starts), afterLastCallMs: value.doneEpochMs - Math.max(...ends) }
          : undefined;
        return { value, calls: tallyCalls(logged), operations: logged.map((c) => c.operation ?? '?'), ...(phases ? { phases } : {}) };
      };

      const categories = await step(() => clickAndWaitForChildren(page, tree, organization, 3));
      await users.waitFor({ timeout: 30_000 });
      // A reloaded window restores the expansion of Users a moment after the row appears; let it,
      // then start collapsed (clicking a restored, expanded Users would collapse it instead).
      await sleep(1_000);
      await collapse(users, 'Users');
      // WORKMAIL_BENCH_UI_PROFILE=PREFIX: a CPU profile of the workbench (the renderer) while the first
      // page of Users is loaded and drawn, for finding where the wait goes (not part of the figures).
      const profilePrefix = process.env.WORKMAIL_BENCH_UI_PROFILE;
      const cdp = profilePrefix ? await page.context().newCDPSession(page) : undefined;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.start');
      }
      // Every call since the organization's click (its step cleared the log): the read ahead's ListUsers
      // is answered after the organization's rows are drawn, so it is counted here, not in that step.
      const usersReadAheadCalls = emulator.calls().filter((c) => c.operation === 'ListUsers').length;
      const first = await step(() => clickAndWaitForChildren(page, tree, users, 1));
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        writeFileSync(`${profilePrefix}-${sample + 1}.cpuprofile`, JSON.stringify(profile));
        await cdp.detach();
      }
      // Let the rest of the page render, then pick a mailbox of it that has grantees.
      await sleep(500);
      const shown = await tree.locator('.monaco-list-row[aria-level="3"]').evaluateAll((rows) => rows.map((r) => ({ label: r.getAttribute('aria-label') ?? '', expanded: r.getAttribute('aria-expanded') })));
      const byLabel = shown
        // By name and address: a generated organization has several people of the same name.
        .map((r) => ({ ...r, user: options.users.find((u) => r.label.startsWith(`${u.displayName || u.name} `) && (!u.email || r.label.includes(u.email))) }))
        .filter((r) => r.user && (grantsByMailbox.get(r.user.id) ?? 0) > 0 && r.expanded === 'false');
      const chosen = byLabel[sample % Math.max(1, byLabel.length)];
      if (!chosen?.user) throw new Error(`no mailbox with grantees among the ${shown.length} rows of the first page`);
      const expected = grantsByMailbox.get(chosen.user.id) ?? 0;
      const mailboxRow = tree.locator(`.monaco-list-row[aria-level="3"][aria-label="${chosen.label.replace(/["\\]/g, '\\$&')}"]`).first();
      const grantees = await step(() => clickAndWaitForChildren(page, tree, mailboxRow, expected));

      // Users again with nothing read ahead: close the mailbox (else VS Code opens it again with the
      // new rows), close Users, and Refresh it with the row's own button, as a person would.
      await collapse(mailboxRow, 'the mailbox');
      await collapse(users, 'Users');
      await users.hover();
      await users.locator('.action-label[aria-label^="Refresh"]').click();
      await sleep(500);
      const afterRefresh = await step(() => clickAndWaitForChildren(page, tree, users, 1));
      // Leave everything collapsed, so the next window restores no expansion (and loads nothing by itself).
      await sleep(500);
      await collapse(users, 'Users');
      await collapse(organization, 'the organization');

      results.push({
        organizationExpand: { ms: categories.value.ms, rows: categories.value.rows, calls: categories.calls, operations: categories.operations },
        usersFirstPage: { ms: first.value.ms, rows: first.value.rows, calls: first.calls, operations: first.operations, phases: first.phases },
        usersReadAheadCalls,
        usersFirstPageAfterRefresh: { ms: afterRefresh.value.ms, rows: afterRefresh.value.rows, calls: afterRefresh.calls, operations: afterRefresh.operations, phases: afterRefresh.phases },
        mailboxGrantees: { ms: grantees.value.ms, rows: grantees.value.rows, calls: grantees.calls, operations: grantees.operations, phases: grantees.phases, mailbox: chosen.user.id, expectedGrantees: expected },
      });
      log('bench', `editor sample ${sample + 1}/${samples}: organization expanded ${categories.value.ms.toFixed(0)} ms (${categories.operations.join(', ') || 'no call'}); Users first page ${first.value.ms.toFixed(0)} ms (${first.operations.join(', ') || 'no call'}; ${usersReadAheadCalls} ListUsers read ahead since the organization's click); after Refresh ${afterRefresh.value.ms.toFixed(0)} ms (${afterRefresh.operations.join(', ')}; ${phaseText(afterRefresh.phases)}); mailbox grantees ${grantees.value.ms.toFixed(0)} ms (${grantees.operations.join(', ')}; ${phaseText(grantees.phases)})`);
    }
    return results;
  } finally {
    await cleanup.run();
  }
}
