// What the UI tests share: a real VS Code workbench (code-server + Chromium) with the extension
// loaded from this repository and pointed at a fresh emulator, plus the moves a person makes in it.
// Each test file starts its own environment, so a file can run alone:
//   node scripts/build.mjs && npx mocha --node-option import=tsx --timeout 120000 test/ui/tree.test.ts
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ensureCodeServer } from '../../scripts/code-server.mjs';
import {
  Cleanup,
  codeServerEnv,
  createProfile,
  freePort,
  launchChromium,
  REPO_ROOT,
  startCodeServer,
  startEmulator,
  workbenchUrl,
} from '../../scripts/lib/harness.mjs';

// scripts/run-ui-tests.mjs sets this (docs/images with --update-screenshots); a test run on its own
// keeps its pictures out of the working tree.
export const SCREENSHOT_DIR = process.env.WORKMAIL_SCREENSHOT_DIR ?? join(REPO_ROOT, 'test-results', 'screenshots');

export interface Grant {
  mailboxId: string;
  granteeId: string;
  granteeType: 'USER' | 'GROUP';
  rights: string[];
}

export interface Organization {
  id: string;
  alias: string;
  region: string;
  state: string;
  account: string;
}

/** The emulator's unsigned admin API: the ground truth the UI is checked against. */
export class EmulatorAdmin {
  constructor(readonly url: string) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/__emulator${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} /__emulator${path} answered ${response.status}`);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  organizations(): Promise<Organization[]> {
    return this.request('GET', '/organizations');
  }

  async organizationByAlias(alias: string): Promise<Organization> {
    const org = (await this.organizations()).find((candidate) => candidate.alias === alias);
    assert.ok(org, `the emulator has no organization ${alias}`);
    return org;
  }

  grants(orgId: string): Promise<Grant[]> {
    return this.request('GET', `/organizations/${orgId}/grants`);
  }

  async rightsOf(orgId: string, mailboxId: string, granteeId: string): Promise<string[]> {
    const grant = (await this.grants(orgId)).find((g) => g.mailboxId === mailboxId && g.granteeId === granteeId);
    return grant ? [...grant.rights].sort() : [];
  }

  reset(): Promise<void> {
    return this.request('POST', '/reset');
  }

  calls(): Promise<Array<{ operation?: string; params?: Record<string, unknown> }>> {
    return this.request('GET', '/calls');
  }

  clearCalls(): Promise<void> {
    return this.request('DELETE', '/calls');
  }

  /** Latency, throttling and targeted faults (emulator/faults.ts); `{}` turns them off. */
  setFaults(settings: Record<string, unknown>): Promise<void> {
    return this.request('PUT', '/faults', settings);
  }
}

export interface UiEnvironment {
  page: Page;
  emulator: EmulatorAdmin;
  /** The workspace folder the workbench has open. */
  workspace: string;
  /** Reloads the workbench: a fresh window, nothing expanded, nothing cached by the extension. */
  reload(): Promise<void>;
  screenshot(name: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startUiEnvironment(): Promise<UiEnvironment> {
  const cleanup = new Cleanup();
  try {
    const emulator = await startEmulator({ cleanup });
    const profile = createProfile({ emulatorUrl: emulator.url });
    cleanup.add('profile folder', () => profile.remove());
    const server = await startCodeServer({
      bin: ensureCodeServer(),
      port: await freePort(),
      profile,
      env: codeServerEnv({ emulatorUrl: emulator.url }),
      cleanup,
    });
    const browser = await launchChromium({ cleanup });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const url = workbenchUrl({ serverUrl: server.url, folder: profile.workspace, extensionDevelopmentPath: REPO_ROOT });
    const reload = async (): Promise<void> => {
      await page.goto(url, { timeout: 300_000 });
      await page.locator('.monaco-workbench .activitybar').waitFor({ timeout: 60_000 });
    };
    await reload();
    return {
      page,
      emulator: new EmulatorAdmin(emulator.url),
      workspace: profile.workspace,
      reload,
      async screenshot(name) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const path = join(SCREENSHOT_DIR, name);
        await page.screenshot({ path });
        return path;
      },
      stop: () => cleanup.run(),
    };
  } catch (error) {
    await cleanup.run();
    throw error;
  }
}

/**
 * One workbench for the tests of a `describe`: started before the first (booting code-server,
 * the workbench and Chromium takes minutes on a loaded machine), a screenshot of the window kept
 * for each test that fails, and everything stopped after the last. Call it inside `describe`;
 * what it returns stands for the environment once started.
 */
export function useUiEnvironment(): UiEnvironment {
  let started: UiEnvironment | undefined;
  const current = (): UiEnvironment => {
    assert.ok(started, 'the UI environment is used before its `before` hook started it');
    return started;
  };
  before(async function () {
    this.timeout(240_000);
    started = await startUiEnvironment();
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (test?.state === 'failed') await started?.screenshot(`failed-${test.title.replace(/\W+/g, '-')}.png`).catch(() => {});
  });
  after(async () => {
    await started?.stop();
  });
  return {
    get page() {
      return current().page;
    },
    get emulator() {
      return current().emulator;
    },
    get workspace() {
      return current().workspace;
    },
    reload: () => current().reload(),
    screenshot: (name) => current().screenshot(name),
    stop: () => current().stop(),
  };
}

/** The name package.json gives the explorer view (through package.nls.json); the tree's list carries it as its aria-label. */
export function explorerViewName(): string {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes: { views: Record<string, Array<{ id: string; name: string }>> };
  };
  const strings = JSON.parse(readFileSync(join(REPO_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const view = Object.values(manifest.contributes.views)
    .flat()
    .find((candidate) => candidate.id === 'workmail.explorer');
  assert.ok(view, 'package.json contributes no workmail.explorer view');
  const key = /^%(.+)%$/.exec(view.name)?.[1];
  const name = key === undefined ? view.name : strings[key];
  assert.ok(name, `package.nls.json has no ${key}`);
  return name;
}

/** The WorkMail tree in the side bar. */
export function workmailTree(page: Page): Locator {
  return page.locator(`.sidebar .monaco-list[aria-label="${cssString(explorerViewName())}"]`);
}

/**
 * Clicks the WorkMail icon in the activity bar, as a person would, and waits for the tree. The side
 * bar is widened so names and rights fit on screen, unless `defaultWidth` keeps the width a new
 * window opens with (what a person sees first).
 */
export async function openWorkMailView(page: Page, { defaultWidth = false }: { defaultWidth?: boolean } = {}): Promise<Locator> {
  const tree = workmailTree(page);
  const icon = page.locator('.activitybar .action-item').filter({ has: page.locator('a[aria-label^="WorkMail"]') });
  await icon.waitFor({ timeout: 30_000 });
  // Clicking the icon of the container already shown would hide the side bar, and a reloaded
  // window may restore the view before its tree has rendered: so look at the icon, not the tree.
  // The icon is a toggle, and a freshly loaded window may still be restoring the side bar, so check
  // the state before every click and give each click time to take effect.
  const shown = async (): Promise<boolean> => /\bchecked\b/.test((await icon.getAttribute('class')) ?? '') && (await tree.isVisible());
  const deadline = Date.now() + 30_000;
  while (!(await shown())) {
    assert.ok(Date.now() < deadline, 'the WorkMail view did not open');
    if (!/\bchecked\b/.test((await icon.getAttribute('class')) ?? '')) await icon.locator('a').click();
    await page.waitForTimeout(1_000);
  }
  if (!defaultWidth) await widenSideBar(page, 520);
  return tree;
}

/** Drags the side bar's edge so names and rights fit on screen (and in the screenshots). */
async function widenSideBar(page: Page, width: number): Promise<void> {
  const sideBar = await page.locator('.part.sidebar').boundingBox();
  if (!sideBar || sideBar.width >= width) return;
  const edge = sideBar.x + sideBar.width;
  const y = sideBar.y + sideBar.height / 2;
  await page.mouse.move(edge, y);
  await page.mouse.down();
  await page.mouse.move(sideBar.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/**
 * A row of the tree at `level` (1 = organizations, 2 = Users/Groups/Resources, 3 = mailboxes,
 * 4 = grantees) whose accessible label starts with `labelStart`. Labels are "name description".
 */
export function row(tree: Locator, level: number, labelStart: string): Locator {
  return tree.locator(`.monaco-list-row[aria-level="${level}"][aria-label^="${cssString(labelStart)}"]`).first();
}

/** A grantee row (level 4, "Full access · Send as — Jane Doe …") of the grantee called `name`. */
export function granteeRow(tree: Locator, name: string): Locator {
  return tree.locator(`.monaco-list-row[aria-level="4"][aria-label*=" — ${cssString(name)}"]`).first();
}

/** Whether a grantee row's label (as childLabels reads it) is `name`'s, and with which rights. */
export function granteeLabel(label: string, name: string): { rights: string } | undefined {
  const at = label.indexOf(' — ');
  const rest = at < 0 ? '' : label.slice(at + 3);
  return rest === name || rest.startsWith(`${name} `) ? { rights: label.slice(0, at) } : undefined;
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}

/** Collapses a row by clicking it if it is expanded (`what` names it in the failure). */
export async function collapse(rowLocator: Locator, what = 'the row'): Promise<void> {
  if ((await rowLocator.getAttribute('aria-expanded')) === 'true') await rowLocator.click();
  await assertEventually(async () => (await rowLocator.getAttribute('aria-expanded')) === 'false', `${what} did not collapse`);
}

/** Expands a collapsible row by clicking it (VS Code trees expand on a single click). */
export async function expand(rowLocator: Locator): Promise<void> {
  await rowLocator.waitFor({ timeout: 30_000 });
  if ((await rowLocator.getAttribute('aria-expanded')) !== 'true') await rowLocator.click();
  await assertEventually(async () => (await rowLocator.getAttribute('aria-expanded')) === 'true', 'the row did not expand');
  // A resting pointer opens the row's tooltip, which can cover the rows below: move it to the editor area.
  await rowLocator.page().mouse.move(900, 400);
}

/** aria-labels of the rows directly below an expanded row, read from the flat list the tree renders. */
export async function childLabels(tree: Locator, parent: Locator): Promise<string[]> {
  const parentLevel = Number(await parent.getAttribute('aria-level'));
  const parentIndex = Number(await parent.getAttribute('data-index'));
  const rows = await tree.locator('.monaco-list-row').evaluateAll((elements) =>
    elements.map((element) => ({
      index: Number(element.getAttribute('data-index')),
      level: Number(element.getAttribute('aria-level')),
      label: (element.getAttribute('aria-label') ?? '').trim(),
    })),
  );
  rows.sort((a, b) => a.index - b.index);
  const children: string[] = [];
  for (const candidate of rows.filter((r) => r.index > parentIndex)) {
    if (candidate.level <= parentLevel) break;
    if (candidate.level === parentLevel + 1) children.push(candidate.label);
  }
  return children;
}

/** Waits until `condition` holds; the UI and the emulator settle asynchronously. */
export async function assertEventually(condition: () => Promise<boolean>, message: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`${message} (after ${timeoutMs / 1000} s)`);
}

/** The quick input (quick pick / input box) at the top of the workbench. */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/**
 * The text of a row's label that is on screen: the characters of its name left of where the row
 * cuts it off (an ellipsis, or the side bar's edge). Measured in the page with a DOM Range.
 */
export async function visibleLabelText(rowLocator: Locator): Promise<string> {
  return rowLocator.evaluate((element) => {
    const name = element.querySelector('.label-name');
    const container = element.querySelector('.monaco-icon-label-container') ?? element;
    const text = name?.firstChild?.nodeType === 3 ? name.firstChild : name?.querySelector('*')?.firstChild;
    if (!name || !text || text.nodeType !== 3) return (name?.textContent ?? '').trim();
    const limit = Math.min(container.getBoundingClientRect().right, element.getBoundingClientRect().right);
    const content = text.textContent ?? '';
    const range = element.ownerDocument.createRange();
    let visible = 0;
    for (let i = 1; i <= content.length; i++) {
      range.setStart(text, 0);
      range.setEnd(text, i);
      // The ellipsis takes about a character's width at the end of a cut label.
      if (range.getBoundingClientRect().right > limit - 1) break;
      visible = i;
    }
    return content.slice(0, visible);
  });
}

/** Labels of the quick pick's visible items. */
export async function quickPickLabels(page: Page): Promise<string[]> {
  return quickInput(page)
    .locator('.quick-input-list .monaco-list-row')
    .evaluateAll((rows) => rows.map((r) => (r.getAttribute('aria-label') ?? '').trim()));
}

/** Right-clicks `target` and chooses `item` from its context menu. */
export async function contextMenu(page: Page, target: Locator, item: string): Promise<void> {
  await target.click({ button: 'right' });
  const entry = page.locator('.monaco-menu .action-item').filter({ has: page.locator(`.action-label[aria-label="${cssString(item)}"]`) });
  await entry.first().waitFor({ timeout: 10_000 });
  // A menu that has just opened can swallow the first click (it is still taking the mouse-up of the
  // right-click that opened it). The menu closes once an item runs, so click until it has closed.
  const menu = page.locator('.monaco-menu');
  for (let attempt = 0; attempt < 3; attempt++) {
    await entry.first().click();
    try {
      await menu.first().waitFor({ state: 'hidden', timeout: 2_000 });
      return;
    } catch {
      // still open: the click was swallowed
    }
  }
  assert.fail(`the context menu item "${item}" did not run`);
}

/** A quick pick item whose accessible label starts with `labelStart` ("Send as, SEND_AS, …"). */
export function quickPickItem(page: Page, labelStart: string): Locator {
  return quickInput(page).locator(`.quick-input-list .monaco-list-row[aria-label^="${cssString(labelStart)}"]`).first();
}

/** Ticks or unticks an item of a multi-select quick pick, by clicking it as a person would. */
export async function setQuickPickChecked(page: Page, labelStart: string, checked: boolean): Promise<void> {
  const item = quickPickItem(page, labelStart);
  await item.waitFor({ timeout: 20_000 });
  if ((await item.getAttribute('aria-checked')) !== String(checked)) await item.click();
  await assertEventually(async () => (await item.getAttribute('aria-checked')) === String(checked), `"${labelStart}" did not become ${checked ? 'checked' : 'unchecked'}`, 5_000);
}

/** Whether each item of a multi-select quick pick is checked, by label start. */
export async function quickPickChecked(page: Page): Promise<Map<string, boolean>> {
  const rows = await quickInput(page)
    .locator('.quick-input-list .monaco-list-row')
    .evaluateAll((elements) => elements.map((e) => [(e.getAttribute('aria-label') ?? '').trim(), e.getAttribute('aria-checked') === 'true'] as const));
  return new Map(rows);
}

/** The OK button of a multi-select quick pick. */
export function quickPickOk(page: Page): Locator {
  return quickInput(page).locator('.quick-input-action .monaco-button', { hasText: 'OK' });
}

/** The workbench's modal dialog (the one `showWarningMessage(..., { modal: true })` opens). */
export function modalDialog(page: Page): Locator {
  return page.locator('.monaco-dialog-box');
}

export function dialogButton(page: Page, label: string): Locator {
  return modalDialog(page).locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) });
}

/** Runs a command from the Command Palette by its title ("Welcome: Open Walkthrough..."), as a person would. */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${title}`);
  const item = quickPickItem(page, title);
  await item.waitFor({ timeout: 10_000 });
  await item.click();
}

/** The item of the status bar whose accessible label starts with `labelStart`. */
export function statusBarItem(page: Page, labelStart: string): Locator {
  return page.locator(`.part.statusbar .statusbar-item [aria-label^="${cssString(labelStart)}"]`).first();
}
