// Output files of both the extension and the command-line tool. The file a person names is
// theirs, so it is written the way `cp` or `tee` would write it, not replaced:
// - a regular file (or a new one) is written whole or not at all: through a temporary file beside
//   the real target, renamed over it at the end, so a failed or cancelled export never leaves half
//   a file where a complete one is expected, nor replaces a good one with it. The target keeps its
//   mode (and owner and group, where the process may set them);
// - a symbolic link is followed to the file it points to (a chain too; a dangling link creates
//   the file it names): the link stays a link;
// - anything else that exists (a FIFO another program reads, a device such as /dev/null, a
//   socket) is opened and written as it is: never renamed over, truncated by a rename or deleted,
//   also when the write fails.
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { CancelledError, WorkMailError } from './errors';

/** How many links a chain may have before it is taken for a loop (Linux's own limit is 40). */
const MAX_LINKS = 40;

/** What writing `target` means: the real path behind any links, and what is there now. */
export interface OutputTarget {
  /** The path written: `target` with every symbolic link followed. */
  readonly path: string;
  /** regular: a regular file is there; new: nothing is there yet; special: a FIFO, device or socket. */
  readonly kind: 'regular' | 'new' | 'special';
  /** The existing regular file's mode, owner and group, kept by the rewrite. */
  readonly stat?: fs.Stats;
}

/** Follows `target`'s links (a dangling one to the path it names) and says what is there. */
export async function outputTarget(target: string): Promise<OutputTarget> {
  let current = path.resolve(target);
  for (let hops = 0; ; hops++) {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.lstat(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return { path: current, kind: 'new' };
      }
      throw err;
    }
    if (stat.isSymbolicLink()) {
      if (hops >= MAX_LINKS) {
        throw Object.assign(new Error(`too many symbolic links at ${target}`), { code: 'ELOOP' });
      }
      current = path.resolve(path.dirname(current), await fs.promises.readlink(current));
      continue;
    }
    if (stat.isFile()) {
      return { path: current, kind: 'regular', stat };
    }
    if (stat.isDirectory()) {
      throw Object.assign(new Error(`${target} is a folder`), { code: 'EISDIR' });
    }
    return { path: current, kind: 'special' };
  }
}

/** Writes `target` as described at the top of this file; the result of `write` is returned. */
export async function writeFileWhole<T>(target: string, write: (out: Writable) => Promise<T>): Promise<T> {
  let temporary: string | undefined;
  let stream: fs.WriteStream | undefined;
  try {
    const destination = await outputTarget(target);
    if (destination.kind === 'special') {
      // Written in place: a reader of the FIFO gets the data, a device stays a device.
      stream = fs.createWriteStream(destination.path, { flags: 'w' });
    } else {
      temporary = path.join(path.dirname(destination.path), `.${path.basename(destination.path)}.${process.pid}.${Date.now()}.partial`);
      stream = fs.createWriteStream(temporary, { flags: 'wx' });
    }
    const opened = stream;
    await new Promise<void>((resolve, reject) => {
      opened.once('open', () => resolve());
      opened.once('error', reject);
    });
    const result = await write(opened);
    await new Promise<void>((resolve, reject) => {
      opened.once('error', reject);
      opened.end(() => resolve());
    });
    if (temporary !== undefined) {
      if (destination.stat) {
        await keepOwnership(temporary, destination.stat);
      }
      await fs.promises.rename(temporary, destination.path);
      temporary = undefined;
    }
    return result;
  } catch (err) {
    stream?.destroy();
    if (temporary !== undefined) {
      await fs.promises.rm(temporary, { force: true });
    }
    if (err instanceof CancelledError || err instanceof WorkMailError) {
      throw err;
    }
    const code = (err as NodeJS.ErrnoException).code;
    throw new WorkMailError('OutputError', code ? `Could not write ${target}: ${code}.` : `Could not write ${target}: ${String(err)}`, { cause: err });
  }
}

/** The rewritten file keeps the mode, owner and group of the one it replaces. */
async function keepOwnership(file: string, previous: fs.Stats): Promise<void> {
  if (typeof process.getuid === 'function' && (process.getuid() === 0 || previous.uid === process.getuid())) {
    try {
      await fs.promises.chown(file, previous.uid, previous.gid);
    } catch {
      // Not allowed to give the file that owner or group (a group the user is not in): the
      // content and mode are still theirs; the owner is the writer's, as with `cp`.
    }
  }
  // After chown, which clears set-user-ID and set-group-ID bits.
  await fs.promises.chmod(file, previous.mode & 0o7777);
}
