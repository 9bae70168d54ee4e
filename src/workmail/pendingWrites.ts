// Writes to a (mailbox, grantee) pair that are not settled yet, kept on disk so that every writer
// on this machine sees them: a new writer after a profile switch, a reloaded window, a second
// window, the command-line tool. Each pair has one JSON file and one lock (proper-lockfile), so
// no two writes to the same pair overlap, in one process or across processes.
//
// A record says one of three things about the pair:
// - 'writing':   a Put or Delete was about to be sent. Left behind only when the writer died mid-way
//                (window closed, process killed), so the next writer treats it as in doubt.
// - 'in-doubt':  the write's outcome is unknown (timeout, reset, server error): the service may
//                still carry it out until `settleAt`. No new write before then; after it, a read decides.
// - 'unlisted':  the write succeeded, but ListMailboxPermissions does not show it yet (its list can
//                lag). A read that shows the written rights settles it; nothing else does, except the
//                person explicitly accepting what WorkMail lists.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import * as lockfile from 'proper-lockfile';
import { WorkMailError } from './errors';
import type { Right } from './types';

/** Everything that names one pair on one service: a write to another is a write to another pair. */
export interface PairKey {
  /** The endpoint URL, or '' for the real regional endpoint. */
  readonly endpoint: string;
  readonly account: string;
  readonly region: string;
  readonly organizationId: string;
  readonly mailboxId: string;
  readonly granteeId: string;
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
  /** 'writing' and 'in-doubt': until when the service may still carry the write out. */
  readonly settleAt?: number;
}

export interface PendingWriteStoreOptions {
  /** How long to wait for another writer of the same pair before refusing (default 60 s). */
  readonly lockWaitMs?: number;
  /** A lock whose holder stopped refreshing it for this long is taken over (default 20 s). */
  readonly staleLockMs?: number;
  /** How often a waiting writer looks at the lock again (default 250 ms). */
  readonly lockRetryMs?: number;
}

export function pairKeyId(key: PairKey): string {
  const text = JSON.stringify([key.endpoint, key.account, key.region, key.organizationId, key.mailboxId, key.granteeId]);
  return createHash('sha256').update(text).digest('hex').slice(0, 40);
}

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
    this.staleLockMs = Math.max(2_000, options.staleLockMs ?? 20_000);
    this.lockRetryMs = Math.max(10, options.lockRetryMs ?? 250);
  }

  /**
   * Runs `work` holding the pair's lock, with the pair's record as it is now. `work` changes the
   * record through `save` (undefined removes it). Refuses with 'PairBusy' when another writer keeps
   * the pair longer than the wait allows.
   */
  async withPair<T>(key: PairKey, describe: string, work: (record: PendingWrite | undefined, save: (next: PendingWrite | undefined) => Promise<void>) => Promise<T>): Promise<T> {
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

  /** Every record, for showing pairs that are in doubt or not listed yet. Unreadable files are skipped. */
  async list(): Promise<PendingWrite[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.directory);
    } catch {
      return [];
    }
    const records: PendingWrite[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const record = await this.readFile(join(this.directory, name));
      if (record) {
        records.push(record);
      }
    }
    return records;
  }

  async get(key: PairKey): Promise<PendingWrite | undefined> {
    return this.readFile(this.fileOf(pairKeyId(key)));
  }

  private fileOf(id: string): string {
    return join(this.directory, `${id}.json`);
  }

  private async underFileLock<T>(
    id: string,
    key: PairKey,
    describe: string,
    work: (record: PendingWrite | undefined, save: (next: PendingWrite | undefined) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    await fs.mkdir(this.directory, { recursive: true });
    const file = this.fileOf(id);
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(file, {
        realpath: false,
        stale: this.staleLockMs,
        retries: { retries: Math.max(1, Math.ceil(this.lockWaitMs / this.lockRetryMs)), factor: 1, minTimeout: this.lockRetryMs, maxTimeout: this.lockRetryMs },
        // A lock that was taken over while we held it means our process stalled for longer than
        // `stale`: the write itself is still guarded by the record we wrote before sending it.
        onCompromised: () => undefined,
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'ELOCKED') {
        throw new WorkMailError(
          'PairBusy',
          `Another change to ${describe} is still being written (in another VS Code window or the command-line tool). Try again when it has finished. Nothing was changed.`,
          { retryable: true },
        );
      }
      throw new WorkMailError('PendingStoreUnavailable', `Could not lock the record of pending changes in ${this.directory}: ${(err as Error).message}. Nothing was changed.`);
    }
    try {
      const record = await this.readFile(file);
      const save = async (next: PendingWrite | undefined): Promise<void> => {
        if (next === undefined) {
          await fs.rm(file, { force: true });
          return;
        }
        // Written whole and renamed, so a reader never sees half a record.
        const temporary = `${file}.${process.pid}.tmp`;
        await fs.writeFile(temporary, JSON.stringify({ ...next, key }), 'utf8');
        await fs.rename(temporary, file);
      };
      return await work(record, save);
    } finally {
      await release().catch(() => undefined);
    }
  }

  private async readFile(file: string): Promise<PendingWrite | undefined> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const value = JSON.parse(text) as PendingWrite;
      if (typeof value === 'object' && value !== null && ['writing', 'in-doubt', 'unlisted'].includes(value.state) && typeof value.key === 'object') {
        return value;
      }
    } catch {
      // fall through
    }
    // A record that cannot be read must not be taken for "nothing pending": keep the pair in doubt.
    return {
      key: { endpoint: '', account: '', region: '', organizationId: '', mailboxId: '', granteeId: '' },
      state: 'in-doubt',
      before: [],
      requested: [],
      at: 0,
      settleAt: 0,
    };
  }
}
