// Writes to a (mailbox, grantee) pair that are not settled yet, kept on disk so that every writer
// on this machine sees them: a new writer after a profile switch, a reloaded window, a second
// window, the command-line tool. Each pair has one JSON file and one lock (proper-lockfile), so
// no two writes to the same pair overlap, in one process or across processes.
//
// A record says one of three things about the pair:
// - 'writing':   a Put or Delete was about to be sent. Left behind only when the writer died mid-way
//                (window closed, process killed), so the next writer treats it as in doubt.
// - 'in-doubt':  the write's outcome is unknown (timeout, reset, server error): the service may
//                still carry it out, and its list still lag behind it, until `settleAt`.
// - 'unlisted':  the write succeeded, but ListMailboxPermissions does not show it yet (its list can
//                lag). A read that shows the written rights settles it; nothing else does, except the
//                person explicitly accepting what WorkMail lists.
//
// The file is never deleted: it also holds the pair's generation, raised by every writer that takes
// the lock. A writer whose lock was taken over (its process stalled past the stale-lock time) sees
// another generation just before it sends, and stops without writing.
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import * as lockfile from 'proper-lockfile';
import { WorkMailError } from './errors';
import type { Right } from './types';

/**
 * Everything that names one pair on one service. The account is not part of it: an organization
 * ID names one organization of one account across AWS, and an account read from the service can
 * be unknown to one profile and known to another, which would split one pair into two keys.
 */
export interface PairKey {
  /** The endpoint URL, normalised (see `endpointKey`); '' for the real regional endpoint. */
  readonly endpoint: string;
  readonly region: string;
  readonly organizationId: string;
  readonly mailboxId: string;
  readonly granteeId: string;
  /** Set for a booking delegation (the mailbox is the resource, the grantee its delegate); absent for mailbox permissions. */
  readonly route?: 'booking-delegate';
}

export type PendingState = 'writing' | 'in-doubt' | 'unlisted';

export interface PendingWrite {
  readonly key: PairKey;
  readonly state: PendingState;
  /** What the pair held when the write was decided. */
  readonly before: readonly Right[];
  /** What was written ([] for a Delete). */
  readonly requested: readonly Right[];
  /** When the record was made (ms since the epoch). */
  readonly at: number;
  /** 'writing' and 'in-doubt': from when a read shows for certain where the write ended. */
  readonly settleAt?: number;
}

/** What the store found for a pair. `unreadable`: a file that exists but cannot be understood. */
/**
 * What the store found for a pair. `unreadable`: a file that exists but cannot be understood.
 * `unreleased`: the last writer took the pair and never gave it back (its window died, or stalled
 * past the stale-lock time and may still send): whatever it was doing may still land.
 */
export type PairRecord =
  | { readonly kind: 'none' }
  | { readonly kind: 'pending'; readonly write: PendingWrite }
  | { readonly kind: 'unreadable'; readonly modifiedAt: number }
  | { readonly kind: 'unreleased'; readonly modifiedAt: number; readonly write?: PendingWrite };

export interface PairLease {
  /** What the pair's file held when the lock was taken. */
  readonly record: PairRecord;
  /** Replaces the pending write (undefined: nothing pending), keeping this lease's generation. */
  save(next: PendingWrite | undefined): Promise<void>;
  /** False when another writer took the pair over (our lock went stale while we stalled). */
  stillHeld(): Promise<boolean>;
}

export interface PendingWriteStoreOptions {
  /** How long to wait for another writer of the same pair before refusing (default 60 s). */
  readonly lockWaitMs?: number;
  /** A lock whose holder stopped refreshing it for this long is taken over (default 60 s). */
  readonly staleLockMs?: number;
  /** How often a waiting writer looks at the lock again (default 250 ms). */
  readonly lockRetryMs?: number;
}

/** The same service written the same way: no trailing slash, lower case, the AWS default as ''. */
export function endpointKey(endpoint: string | undefined, region: string): string {
  const value = (endpoint ?? '').trim().replace(/\/+$/, '').toLowerCase();
  return value === `https://workmail.${region}.amazonaws.com` ? '' : value;
}

export function pairKeyId(key: PairKey): string {
  // A booking delegation is its own pair: its record never settles the same two IDs' permissions.
  // Absent for permissions, so the files of earlier versions keep their names.
  const text = JSON.stringify([key.endpoint, key.region, key.organizationId, key.mailboxId, key.granteeId, ...(key.route ? [key.route] : [])]);
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}

interface PairFile {
  readonly key: PairKey;
  readonly generation: number;
  /** Who holds the generation: a random token per lease. */
  readonly holder: string;
  readonly pending?: PendingWrite;
  /** Written when the lease ends: a file without it is a lease that never ended (see PairRecord). */
  readonly released?: boolean;
}

const STATES: readonly string[] = ['writing', 'in-doubt', 'unlisted'];

export class PendingWriteStore {
  /** Same-process queue per pair, so waiting writers go in order instead of polling the file lock. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly lockWaitMs: number;
  private readonly staleLockMs: number;
  private readonly lockRetryMs: number;

  constructor(
    readonly directory: string,
    options: PendingWriteStoreOptions = {},
  ) {
    this.lockWaitMs = options.lockWaitMs ?? 60_000;
    this.staleLockMs = Math.max(2_000, options.staleLockMs ?? 60_000);
    this.lockRetryMs = Math.max(10, options.lockRetryMs ?? 250);
  }

  /**
   * Runs `work` holding the pair's lock. Refuses with 'PairBusy' when another writer keeps the pair
   * longer than the wait allows, and with 'PendingStoreUnavailable' when the record cannot be read
   * or claimed (nothing is written then).
   */
  async withPair<T>(key: PairKey, describe: string, work: (lease: PairLease) => Promise<T>): Promise<T> {
    const id = pairKeyId(key);
    const previous = this.queues.get(id) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.underFileLock(id, key, describe, work));
    const tail = run.catch(() => undefined);
    this.queues.set(id, tail);
    void tail.then(() => {
      if (this.queues.get(id) === tail) {
        this.queues.delete(id);
      }
    });
    return run;
  }

  /** Every pending write, for showing pairs that are in doubt or not listed yet. Unreadable files are skipped. */
  async list(): Promise<PendingWrite[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.directory);
    } catch {
      return [];
    }
    const records: PendingWrite[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      try {
        const found = await this.readRecord(join(this.directory, name));
        if (found.record.kind === 'pending' || (found.record.kind === 'unreleased' && found.record.write)) {
          records.push(found.record.write as PendingWrite);
        }
      } catch {
        // Shown in the tree only; the write path refuses on such a file itself.
      }
    }
    return records;
  }

  /**
   * What another pair's file says now, without its lock (files are replaced whole, so a reader
   * never sees half a record). For a decision that depends on other pairs: whether a removal of
   * another delegate of the same resource may still land. Throws when the file cannot be read.
   */
  async peek(key: PairKey): Promise<PairRecord> {
    return (await this.readRecord(this.fileOf(pairKeyId(key)))).record;
  }

  private fileOf(id: string): string {
    return join(this.directory, `${id}.json`);
  }

  private async underFileLock<T>(id: string, key: PairKey, describe: string, work: (lease: PairLease) => Promise<T>): Promise<T> {
    const file = this.fileOf(id);
    let compromised = false;
    let release: () => Promise<void>;
    try {
      await fs.mkdir(this.directory, { recursive: true });
      release = await lockfile.lock(file, {
        realpath: false,
        stale: this.staleLockMs,
        retries: { retries: Math.max(1, Math.ceil(this.lockWaitMs / this.lockRetryMs)), factor: 1, minTimeout: this.lockRetryMs, maxTimeout: this.lockRetryMs },
        // Another writer took the lock over because ours went stale (this process stalled): the
        // lease is no longer ours, and `stillHeld` says so before anything is sent.
        onCompromised: () => {
          compromised = true;
        },
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'ELOCKED') {
        throw new WorkMailError(
          'PairBusy',
          `Another change to ${describe} is still being written (in another VS Code window or the command-line tool). Try again when it has finished. Nothing was changed.`,
          { retryable: true },
        );
      }
      throw unavailable(this.directory, err);
    }
    try {
      const found = await this.readRecord(file).catch((err: unknown) => {
        throw unavailable(this.directory, err);
      });
      const holder = randomUUID();
      const generation = found.generation + 1;
      const pending = found.record.kind === 'pending' ? found.record.write : undefined;
      /** What the file must hold while the lease is ours: our claim, or (unclaimed) what we read. */
      let expected: string | undefined = found.text;
      const stillHeld = async (): Promise<boolean> => {
        if (compromised) {
          return false;
        }
        const now = await fs.readFile(file, 'utf8').catch(() => undefined);
        return now === expected;
      };
      let current = found.record.kind === 'pending' ? found.record.write : found.record.kind === 'unreleased' ? found.record.write : undefined;
      const writeState = async (next: PendingWrite | undefined, released: boolean): Promise<void> => {
        if (!(await stillHeld())) {
          throw new WorkMailError(
            'PairTakenOver',
            `Another VS Code window took over the change to ${describe} while this one was stalled (the computer slept, or the window stopped responding). Refresh and check what WorkMail holds before trying again. Nothing more was written by this window.`,
          );
        }
        const text = JSON.stringify({ key, generation, holder, ...(next ? { pending: next } : {}), ...(released ? { released: true } : {}) } satisfies PairFile);
        await writeWhole(file, text);
        expected = text;
        current = next;
      };
      const write = (next: PendingWrite | undefined): Promise<void> => writeState(next, false);
      // Claim the pair (a new generation): a writer that took our lock over writes another one,
      // which `stillHeld` sees. An unreadable or unreleased file is kept as it is (its time with
      // it) until the writer settles it.
      if (found.record.kind === 'none' || found.record.kind === 'pending') {
        await write(pending).catch((err: unknown) => {
          throw err instanceof WorkMailError ? err : unavailable(this.directory, err);
        });
      }
      const lease: PairLease = { record: found.record, save: write, stillHeld };
      try {
        return await work(lease);
      } finally {
        // Given back: the next writer knows nothing of ours can still be on its way unless the
        // record says so. Not given back (this process dies, or lost the lease), it knows to wait.
        if (expected !== found.text) {
          await writeState(current, true).catch(() => undefined);
        }
      }
    } finally {
      await release().catch(() => undefined);
    }
  }

  /** The pair's record and generation. Throws when the file exists but cannot be read at all. */
  private async readRecord(file: string): Promise<{ record: PairRecord; generation: number; text?: string }> {
    let text: string;
    let modifiedAt: number;
    try {
      [text, modifiedAt] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file).then((s) => s.mtimeMs)]);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') {
        return { record: { kind: 'none' }, generation: 0 };
      }
      throw err;
    }
    try {
      const value = JSON.parse(text) as Partial<PairFile>;
      const generation = typeof value.generation === 'number' && Number.isFinite(value.generation) ? value.generation : undefined;
      const pending = value.pending;
      const pendingReadable = pending === undefined || (STATES.includes(pending.state) && Array.isArray(pending.requested) && Array.isArray(pending.before) && typeof pending.at === 'number');
      if (generation !== undefined && pendingReadable && value.released !== true) {
        return { record: { kind: 'unreleased', modifiedAt, write: pending }, generation, text };
      }
      if (generation !== undefined && pending === undefined) {
        return { record: { kind: 'none' }, generation, text };
      }
      if (generation !== undefined && pending && pendingReadable) {
        return { record: { kind: 'pending', write: pending }, generation, text };
      }
    } catch {
      // fall through
    }
    // Empty, cut short, or written by a version that knows more states: never "nothing pending".
    return { record: { kind: 'unreadable', modifiedAt }, generation: 0, text };
  }
}

function unavailable(directory: string, err: unknown): WorkMailError {
  return new WorkMailError(
    'PendingStoreUnavailable',
    `Could not read or update the record of pending changes in ${directory} (${(err as Error)?.message ?? String(err)}). Check that the folder is writable. Nothing was changed.`,
  );
}

/** Written to a temporary file, flushed to disk, then renamed: a reader never sees half a record. */
async function writeWhole(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  const handle = await fs.open(temporary, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, file);
}
