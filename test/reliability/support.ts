// Helpers for the extension-host reliability tests: the case log, ground truth, the emulator's
// seed documents, the log channel's text, and waiting for the emulator to see a call.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PermissionUiEvent } from '../../src/commands/permissions';
import type { Right } from '../../src/workmail/types';
import { admin, calls, EXTENSION_ID, extensionApi } from '../tree/support';
import { ReliabilityLog } from './record';

export function repoRoot(): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this host`);
  return extension.extensionPath;
}

/** One case log per test file (each file is its own bundle); the table is rendered at the end. */
export function reliabilityLog(suite: string): ReliabilityLog {
  const log = new ReliabilityLog(repoRoot(), suite);
  after(() => log.render());
  return log;
}

export function sampleSeed(): unknown {
  return JSON.parse(fs.readFileSync(path.join(repoRoot(), 'emulator', 'seeds', 'sample.json'), 'utf8'));
}

/** Replace the emulator's data with `seed`; `restoreSample` puts the sample seed back. */
export async function loadSeed(seed: unknown): Promise<void> {
  await admin('POST', '/reset', seed);
}

export async function restoreSample(): Promise<void> {
  await admin('POST', '/reset', sampleSeed());
}

interface StoredGrant {
  mailboxId: string;
  granteeId: string;
  rights: Right[];
}

export async function truthIn(orgId: string, mailboxId: string, granteeId: string): Promise<Right[]> {
  const grants = await admin<StoredGrant[]>('GET', `/organizations/${orgId}/grants`);
  const found = grants.find((grant) => grant.mailboxId === mailboxId && grant.granteeId === granteeId);
  return found ? [...found.rights].sort() : [];
}

/** Wait until the emulator has logged `count` calls of `operation` (a delayed call logs when it ends). */
export async function waitForCalls(operation: string, count: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = (await calls(operation)).length;
    if (seen >= count) {
      return;
    }
    assert.ok(Date.now() < deadline, `the emulator saw ${seen} ${operation} call(s), waited for ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const LOG_METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace'] as const;

/**
 * Everything written to the WorkMail log channel while `body` runs. The channel object is shared
 * by the tree, the session's call log and the commands, so wrapping its methods sees every line;
 * each line still reaches the real channel.
 */
export async function captureLog<T>(body: () => Promise<T>): Promise<{ value: T; text: string }> {
  const log = (await extensionApi()).services.log as unknown as Record<string, (...args: unknown[]) => unknown>;
  const lines: string[] = [];
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const method of LOG_METHODS) {
    const original = log[method];
    if (typeof original !== 'function') {
      continue;
    }
    originals.set(method, original);
    log[method] = (...args: unknown[]) => {
      lines.push(args.map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message} ${JSON.stringify(arg)}` : typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
      return original.apply(log, args);
    };
  }
  try {
    const value = await body();
    return { value, text: lines.join('\n') };
  } finally {
    for (const [method, original] of originals) {
      log[method] = original;
    }
  }
}

export function messagesOf(events: readonly PermissionUiEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'message' ? [`${event.severity}: ${event.text}`] : []));
}

export function words(rights: readonly Right[]): string {
  return rights.length === 0 ? 'nothing' : [...rights].sort().join('+');
}
