// Reads the extension's settings. Profile and endpoint decide where credentials go, so they are read
// from user/machine settings only: a cloned repository's .vscode/settings.json must never be able to
// redirect signed calls to its own server or pick the administrator's profile.
import * as vscode from 'vscode';
import { WORKMAIL_REGIONS } from './workmail/types';

const SECTION = 'workmail';

/**
 * How long one HTTP attempt may take before the SDK gives up on it and retries. WorkMail answers
 * in well under a second; a stalled connection should become a retry (and after the last attempt
 * an error item) in seconds, not leave the tree spinning for minutes.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

export { readSettleMs } from './workmail/pendingLocation';

/**
 * The section's user-level values (user settings over defaults), kept while watchSettings() watches
 * for changes. One inspect() costs about half a millisecond (VS Code walks every language override it
 * knows) and several the first time, and activation alone reads profile and endpoint eight times.
 */
let userLevelValues: Record<string, unknown> | undefined;
let watched = false;

/**
 * Keeps the user-level values between configuration changes; registered first thing on activation,
 * so the values are dropped before any other listener reads them again. A change event reaches the
 * extension host before the `update()` that caused it resolves, so a command that writes a setting
 * and then reads it sees its own write.
 */
export function watchSettings(): vscode.Disposable {
  watched = true;
  userLevelValues = undefined;
  const listener = vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SECTION)) userLevelValues = undefined;
  });
  return new vscode.Disposable(() => {
    listener.dispose();
    watched = false;
    userLevelValues = undefined;
  });
}

function userLevel<T>(key: string): T | undefined {
  let values = userLevelValues;
  if (!values) {
    // The whole section in one inspect(): its user and default values, never the workspace's.
    const inspected = vscode.workspace.getConfiguration().inspect<Record<string, unknown>>(SECTION);
    values = { ...inspected?.defaultValue, ...inspected?.globalValue };
    if (watched) userLevelValues = values;
  }
  return values[key] as T | undefined;
}

/** `workmail.profile`, or undefined for the SDK's default credential chain. */
export function readProfile(): string | undefined {
  const value = userLevel<string>('profile');
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `workmail.endpoint`, or undefined for the real regional endpoints. */
export function readEndpoint(): string | undefined {
  const value = userLevel<string>('endpoint');
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `workmail.regions`, restricted to the regions WorkMail exists in, in their canonical order. */
export function readRegions(): string[] {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('regions');
  if (!Array.isArray(value)) {
    return [...WORKMAIL_REGIONS];
  }
  return WORKMAIL_REGIONS.filter((region) => value.includes(region));
}

/** `workmail.pageSize`, clamped to the API's MaxResults bounds. */
export function readPageSize(): number {
  const value = vscode.workspace.getConfiguration(SECTION).get<number>('pageSize', 100);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return 100;
  }
  return Math.min(100, Math.max(1, Math.floor(value)));
}

/**
 * `workmail.scanResumeMaxAgeHours`: how long ago an interrupted scan may have started for Resume to
 * be the suggested answer (1 to 8760). Undefined when the value is not a number: the caller's default.
 */
export function readScanResumeMaxAgeHours(): number | undefined {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('scanResumeMaxAgeHours');
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return undefined;
  }
  return Math.min(8760, Math.max(1, value));
}

export function readShowSystemUsers(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('showSystemUsers', false) === true;
}

export async function writeProfile(profile: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('profile', profile ?? '', vscode.ConfigurationTarget.Global);
}

export async function writeRegions(regions: readonly string[]): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('regions', [...regions], vscode.ConfigurationTarget.Global);
}
