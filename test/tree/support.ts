// Helpers for the extension-host tests of the tree and the explorer commands: the extension's
// test API, the emulator's admin API (call log, faults, reset) and tree walking.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SCAN_CHECKPOINTS } from '../../src/commands/scanCommand';
import type { WorkMailExtensionApi } from '../../src/extension';
import type { CategoryNode } from '../../src/tree/categoryNode';
import type { ExplorerNode } from '../../src/tree/explorerNode';
import type { MailboxNode } from '../../src/tree/mailboxNode';
import type { OrganizationNode } from '../../src/tree/organizationNode';
import { pendingWritesDirectory } from '../../src/workmail/pendingLocation';
import type { EntityKind } from '../../src/workmail/types';

export const EXTENSION_ID = 'workmail-tools.workmail-permissions';

export interface EmulatorCall {
  seq: number;
  operation?: string;
  region?: string;
  accessKeyId?: string;
  params?: Record<string, unknown>;
  status: number;
  errorCode?: string;
}

export interface EmulatorOrganization {
  id: string;
  alias?: string;
  region: string;
  state?: string;
  account?: string;
}

export function emulatorUrl(): string {
  const url = process.env.WORKMAIL_EMULATOR_URL;
  assert.ok(url, 'WORKMAIL_EMULATOR_URL must point at the emulator the extension talks to');
  return url.replace(/\/$/, '');
}

export async function admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulatorUrl()}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function calls(operation?: string): Promise<EmulatorCall[]> {
  const all = await admin<EmulatorCall[]>('GET', '/calls');
  return operation ? all.filter((call) => call.operation === operation) : all;
}

export async function clearCalls(): Promise<void> {
  await admin('DELETE', '/calls');
}

export async function setFaults(settings: unknown): Promise<void> {
  await admin('PUT', '/faults', settings);
}

export async function emulatorOrganizations(): Promise<EmulatorOrganization[]> {
  return admin<EmulatorOrganization[]>('GET', '/organizations');
}

let cachedApi: WorkMailExtensionApi | undefined;

export async function extensionApi(): Promise<WorkMailExtensionApi> {
  if (!cachedApi) {
    const extension = vscode.extensions.getExtension<WorkMailExtensionApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this host`);
    cachedApi = await extension.activate();
  }
  return cachedApi;
}

/** User settings a test may change; restored to what they were when the test started. */
const RESTORABLE = ['pageSize', 'showSystemUsers', 'regions'] as const;

export class SettingsSnapshot {
  private readonly saved = new Map<string, unknown>();

  static async take(): Promise<SettingsSnapshot> {
    const snapshot = new SettingsSnapshot();
    const config = vscode.workspace.getConfiguration('workmail');
    for (const key of RESTORABLE) {
      snapshot.saved.set(key, config.inspect(key)?.globalValue);
    }
    return snapshot;
  }

  async restore(): Promise<void> {
    for (const [key, value] of this.saved) {
      await setSetting(key, value);
    }
  }
}

/**
 * Write a user setting and wait until the extension host has seen the change, so the
 * extension's own configuration listener has run before the test goes on.
 */
export async function setSetting(key: string, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration('workmail');
  if (JSON.stringify(config.inspect(key)?.globalValue) === JSON.stringify(value)) {
    return;
  }
  const seen = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      listener.dispose();
      resolve();
    }, 5000);
    const listener = vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`workmail.${key}`)) {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      }
    });
  });
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  await seen;
}

/** Back to the seed, no faults, an empty call log, and a tree that starts from nothing. */
/**
 * For the tests of a `describe`: each starts from the sample seed in a fresh tree with these
 * settings, and the settings are put back after it; `cleanup` (faults, variants) runs first.
 */
export function useFreshTree(settings: Readonly<Record<string, unknown>> = { pageSize: 100 }, cleanup?: () => Promise<unknown>): void {
  let saved: SettingsSnapshot;
  beforeEach(async () => {
    saved = await SettingsSnapshot.take();
    for (const [key, value] of Object.entries(settings)) await setSetting(key, value);
    await freshStart();
  });
  afterEach(async () => {
    await cleanup?.();
    await saved.restore();
  });
}

export async function freshStart(): Promise<WorkMailExtensionApi> {
  const api = await extensionApi();
  await admin('POST', '/reset');
  // The emulator's state was replaced underneath the extension: writes it remembers as "not yet
  // listed" belong to the old state and would block the next test's changes. The harness gives the
  // extension host its own pending-writes folder (WORKMAIL_PENDING_WRITES_DIR), so this forgets
  // nothing of anyone else's.
  fs.rmSync(pendingWritesDirectory(), { recursive: true, force: true });
  // Checkpoints of scans an earlier test interrupted describe the old state too, and would make the
  // next scan of that organization ask whether to resume.
  fs.rmSync(path.join(api.globalStorage, SCAN_CHECKPOINTS), { recursive: true, force: true });
  await setFaults({});
  await vscode.commands.executeCommand('workmail.refresh');
  await clearCalls();
  return api;
}

/**
 * Wait for whatever full load of the root is running, then set `settings` and refresh the view, so the
 * next root load starts after the faults are in place and is the only one that meets them.
 *
 * After every refresh a visible WorkMail view asks for the root by itself. A one-shot rule set right
 * after freshStart() can therefore be used up by that background load, or be missed because the
 * background load had already listed every region when the rule arrived. ListOrganizations carries no
 * region in its request, so a rule cannot be matched to one region's call; instead nothing else may
 * be listing the organizations while the rule is armed. Awaiting children() shares the running root
 * load (the explorer keeps one per refresh), and refresh() starts a new one that the view, if it asks,
 * shares too. The call log is cleared before the faults are set.
 */
export async function faultNextRootLoad(settings: unknown): Promise<void> {
  await children();
  await clearCalls();
  await setFaults(settings);
  await vscode.commands.executeCommand('workmail.refresh');
}

/**
 * Switch the side bar away from the WorkMail view and wait until VS Code reports the view hidden
 * (a visible view loads the root by itself after every refresh; a hidden one waits until shown).
 * Resolves to a function that shows the view again if it was visible.
 */
export async function hideView(): Promise<() => Promise<void>> {
  const { treeView } = await extensionApi();
  if (!treeView.visible) {
    return async () => {};
  }
  const hidden = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      listener.dispose();
      resolve();
    }, 5000);
    const listener = treeView.onDidChangeVisibility((event) => {
      if (!event.visible) {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      }
    });
  });
  await vscode.commands.executeCommand('workbench.view.explorer');
  await hidden;
  assert.equal(treeView.visible, false, 'the WorkMail view could not be hidden');
  return async () => {
    await vscode.commands.executeCommand('workbench.view.extension.workmail');
  };
}

export async function children(node?: ExplorerNode): Promise<ExplorerNode[]> {
  return (await extensionApi()).explorer.getChildren(node);
}

/**
 * A row as the person sees it, its hover included: what getTreeItem gives VS Code, then what VS Code
 * asks of resolveTreeItem when the pointer rests on the row (rows that come a page at a time build
 * their tooltips only then). For the row alone, without its tooltip, ask the explorer's getTreeItem.
 */
export function treeItem(node: ExplorerNode): vscode.TreeItem {
  const explorer = cachedApi?.explorer;
  assert.ok(explorer, 'the extension is not active yet: ask for a node through children() first');
  return explorer.resolveTreeItem(explorer.getTreeItem(node), node);
}

export function label(node: ExplorerNode): string {
  const value = treeItem(node).label;
  return typeof value === 'string' ? value : (value?.label ?? '');
}

export function description(node: ExplorerNode): string {
  const value = treeItem(node).description;
  return typeof value === 'string' ? value : '';
}

export async function organizationNode(alias: string): Promise<OrganizationNode> {
  const roots = await children();
  const found = roots.find((node) => node.contextValue.startsWith('organization') && (node as OrganizationNode).org.alias === alias);
  assert.ok(found, `organization ${alias} not in the tree; root shows: ${roots.map(label).join(', ')}`);
  return found as OrganizationNode;
}

const CATEGORY_PREFIX: Record<EntityKind, string> = { user: 'category-users', group: 'category-groups', resource: 'category-resources' };

export async function categoryNode(alias: string, kind: EntityKind): Promise<CategoryNode> {
  const org = await organizationNode(alias);
  const found = (await children(org)).find((node) => node.contextValue.startsWith(CATEGORY_PREFIX[kind]));
  assert.ok(found, `no ${kind} category under ${alias}`);
  return found as CategoryNode;
}

export function mailboxes(nodes: readonly ExplorerNode[]): MailboxNode[] {
  return nodes.filter((node) => node.contextValue.startsWith('mailbox-')) as MailboxNode[];
}

export function byContext(nodes: readonly ExplorerNode[], contextValue: string): ExplorerNode[] {
  return nodes.filter((node) => node.contextValue === contextValue);
}

/** Run an item's click command the way VS Code does. */
export async function click(node: ExplorerNode): Promise<void> {
  const command = treeItem(node).command;
  assert.ok(command, `${label(node)} has no click command`);
  await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
}

/** Load every page of a paginated node through its "Load more…" items. */
export async function loadAll(node: ExplorerNode): Promise<ExplorerNode[]> {
  let nodes = await children(node);
  for (let guard = 0; guard < 100; guard++) {
    const more = byContext(nodes, 'loadMore')[0];
    if (!more) {
      return nodes;
    }
    await click(more);
    nodes = await children(node);
  }
  assert.fail('more than 100 pages');
}

/**
 * Resolves on the next configuration change, e.g. after writing .vscode/settings.json, or after
 * 3 s: the file may change nothing VS Code reads (a setting it ignores from workspaces).
 */
export function configurationChange(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      listener.dispose();
      resolve();
    }, 3000);
    const listener = vscode.workspace.onDidChangeConfiguration(() => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    });
  });
}
