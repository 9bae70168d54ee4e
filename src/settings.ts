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

/**
 * How long after a write whose outcome is unknown WorkMail may still carry it out, and how long its
 * list may then lag behind: 5 minutes each. WORKMAIL_SETTLE_MS shortens both for the
 * extension-host tests (never below 1 s); it is an environment variable, not a setting, so that no
 * workspace can shorten a safety margin.
 */
export function readSettleMs(): number {
  const fromEnvironment = Number(process.env['WORKMAIL_SETTLE_MS']);
  return Number.isFinite(fromEnvironment) && fromEnvironment > 0 ? Math.max(1_000, fromEnvironment) : 5 * 60_000;
}

function userLevel<T>(key: string): T | undefined {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
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

export function readShowSystemUsers(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('showSystemUsers', false) === true;
}

export async function writeProfile(profile: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('profile', profile ?? '', vscode.ConfigurationTarget.Global);
}

export async function writeRegions(regions: readonly string[]): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('regions', [...regions], vscode.ConfigurationTarget.Global);
}
