// Where the records of writes in flight, in doubt or not listed yet live: one folder per machine
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
