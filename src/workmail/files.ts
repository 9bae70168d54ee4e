// Files written whole or not at all, for the exports of both the extension and the command-line
// tool: a failed or cancelled export never leaves half a file where a complete one is expected,
// nor replaces a good one with it.
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { CancelledError, WorkMailError } from './errors';

/** Writes through a temporary file next to `target`, renamed over it at the end. */
export async function writeFileWhole<T>(target: string, write: (out: Writable) => Promise<T>): Promise<T> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.partial`);
  const stream = fs.createWriteStream(temporary, { flags: 'wx' });
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    const result = await write(stream);
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
    await fs.promises.rename(temporary, target);
    return result;
  } catch (err) {
    stream.destroy();
    await fs.promises.rm(temporary, { force: true });
    if (err instanceof CancelledError || err instanceof WorkMailError) {
      throw err;
    }
    const code = (err as NodeJS.ErrnoException).code;
    throw new WorkMailError('OutputError', code ? `Could not write ${target}: ${code}.` : `Could not write ${target}: ${String(err)}`, { cause: err });
  }
}
