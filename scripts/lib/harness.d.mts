// Types for harness.mjs, so the TypeScript UI tests (test/ui) can share it with the .mjs runners.
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';

export const REPO_ROOT: string;
export const EXTENSION_ID: string;
export const FIXTURE_AWS_DIR: string;
export const SAMPLE_SEED: string;
export const CHROMIUM_ARGS: string[];

export function log(prefix: string, message: string): void;
export function freePort(): Promise<number>;
export function killTree(pid: number | undefined, options?: { graceMs?: number }): Promise<void>;

export class Cleanup {
  add(label: string, step: () => unknown): void;
  run(): Promise<void>;
  installSignalHandlers(exitCode?: number): void;
}

export function startEmulator(options?: { seed?: string; verbose?: boolean; cleanup?: Cleanup }): Promise<{ url: string; process: ChildProcess }>;

export function codeServerEnv(options: { emulatorUrl: string; awsDir?: string; extra?: Record<string, string> }): NodeJS.ProcessEnv;

export interface Profile {
  dir: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  remove(): void;
}
export function createProfile(options: {
  emulatorUrl: string;
  profile?: string;
  baseDir?: string;
  userSettings?: Record<string, unknown>;
  workspaceFiles?: Record<string, string>;
}): Profile;

export function startCodeServer(options: {
  bin: string;
  port: number;
  profile: Profile;
  env: NodeJS.ProcessEnv;
  cleanup?: Cleanup;
  onOutput?: (text: string) => void;
  extraArgs?: string[];
}): Promise<{ url: string; process: ChildProcess }>;

export function launchChromium(options?: { cleanup?: Cleanup; headless?: boolean }): Promise<Browser>;

export function workbenchUrl(options: { serverUrl: string; folder: string; extensionDevelopmentPath?: string; extensionTestsPath?: string }): string;

export function build(args?: string[]): void;
