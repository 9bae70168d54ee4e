// Where and how long: where the records of writes in flight, in doubt or not listed yet live: one folder per machine
// user, shared by every VS Code window and profile and by the command-line tool, so that the
// per-pair lock and the "in doubt" hold of PendingWriteStore reach every writer on the machine (a
// change file applied from a terminal waits for the same pair being changed in the tree).
import os from 'node:os';
import path from 'node:path';

export const PENDING_WRITES_ENV = 'WORKMAIL_PENDING_WRITES_DIR';

export function pendingWritesDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  const override = env[PENDING_WRITES_ENV];
  if (override) {
    return path.resolve(override);
  }
  if (platform === 'win32') {
    return path.join(env['LOCALAPPDATA'] || path.join(home, 'AppData', 'Local'), 'workmail-permissions', 'pending-writes');
  }
  if (platform === 'darwin') {
    return path.join(home, 'Library', 'Application Support', 'workmail-permissions', 'pending-writes');
  }
  return path.join(env['XDG_STATE_HOME'] || path.join(home, '.local', 'state'), 'workmail-permissions', 'pending-writes');
}

/**
 * How long after a write whose outcome is unknown WorkMail may still carry it out, and how long its
 * list may then lag behind: 5 minutes each. WORKMAIL_SETTLE_MS shortens both for tests (never below
 * 1 s); it is an environment variable, not a setting, so that no workspace can shorten a safety
 * margin. The extension and the command-line tool read it the same way.
 */
export function readSettleMs(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnvironment = Number(env['WORKMAIL_SETTLE_MS']);
  return Number.isFinite(fromEnvironment) && fromEnvironment > 0 ? Math.max(1_000, fromEnvironment) : 5 * 60_000;
}
