// The organization permission scan: every mailbox of an organization and every grant on it,
// read with a bounded number of calls in flight and streamed to the caller as it arrives.
//
// Choices worth knowing:
// - Every user is scanned whatever its state or role, SYSTEM_USER included: an audit that skips
//   mailboxes could hide access. `skipSystemUsers` is there for views that want them hidden.
// - Groups are scanned too (SEND_AS / SEND_ON_BEHALF on a group's address are real rights), and
//   resources (rooms and equipment have mailboxes people can be given rights on).
// - A mailbox whose reads still fail after the SDK's own retries is retried by the engine after
//   a back-off when the failure is transient (throttling, network, server error); any other
//   failure becomes a `failure` record for that mailbox and the scan goes on (mailboxGrants.ts).
// - While the directory is listed (its pages come one after the other), the grants of mailboxes
//   already listed are read with the slots the listing leaves free (earlyReads.ts); they are named
//   and emitted only once the whole directory is known, so no grantee is called unknown for being
//   listed late.
// - A mailbox's grants are collected (all pages) before its records are emitted, so a mailbox
//   retried half-way never produces duplicates. Across mailboxes everything streams, and workers
//   pause while the consumer has more than a bounded number of records waiting (boundedChannel.ts).
//
// The steps of one scan, in the order they happen, are the methods of RunningScan below: link the
// caller's signal and start the adaptive limit; know the directory (given, resumed, or listed
// with early reads); start the checkpoint and replay what it held; read the other mailboxes in the
// background; hand records to the consumer; end, saying how the limit went and keeping or deleting
// the checkpoint.
import { setMaxListeners } from 'node:events';
import type { CheckpointWriter, ResumeState } from '../checkpoint';
import { AdaptiveConcurrency, type AdaptiveConcurrencyOptions, type ConcurrencyStats } from '../concurrency';
import { CancelledError, isCancellation } from '../errors';
import type { WorkMailSession } from '../session';
import type { DirectoryEntity, OrgRef } from '../types';
import { BoundedChannel } from './boundedChannel';
import { DEFAULT_PAGE_SIZE, isSkippedSystemUser, listDirectory, mailboxesOf, type DirectoryOptions } from './directoryListing';
import { EarlyReads } from './earlyReads';
import { GranteeResolver } from './granteeResolver';
import { readGrants, scanMailbox, type MailboxReadContext, type ReadGrants } from './mailboxGrants';
import { MailboxSlots } from './mailboxSlots';
import type { Directory, ScanRecord } from './records';

export interface ScanProgress {
  readonly mailboxesDone: number;
  /** Known once the directory has been listed. */
  readonly mailboxesTotal?: number;
  readonly grants: number;
  readonly failures: number;
  /** The adaptive limit (mailboxes in flight allowed) when this progress was reported. */
  readonly concurrency?: ConcurrencyStats;
}

export interface ScanOptions extends DirectoryOptions {
  /**
   * Mailboxes read at once, fixed. Left out (the default), the number adapts to the account's
   * rate limit: it doubles per window while every slot is busy until the first throttle (slow
   * start), then grows by one slot per window; throttling cuts it (see AdaptiveConcurrency).
   */
  readonly concurrency?: number;
  /** The adaptive limit's parameters (ignored with a fixed `concurrency`). */
  readonly adaptive?: AdaptiveConcurrencyOptions;
  /** The limit's statistics when the scan's reads end (finished, cancelled or failed). */
  readonly onConcurrency?: (stats: ConcurrencyStats) => void;
  /**
   * Where the scan records its progress as it goes (see checkpoint.ts): started afresh with the
   * directory, or continued when `resume` is given; deleted when the scan completes.
   */
  readonly checkpoint?: CheckpointWriter;
  /**
   * What an interrupted scan of the same organization had read (readCheckpoint): its directory
   * is used instead of listing it, its mailboxes' records are emitted first, and only the other
   * mailboxes are read.
   */
  readonly resume?: ResumeState;
  /**
   * After each mailbox read by this scan whose records are handed to the consumer (what a
   * checkpoint records), with when its grants were read (for a failure: when it failed).
   */
  readonly onMailboxDone?: (mailbox: DirectoryEntity, records: readonly ScanRecord[], readAt: Date) => void;
  /** The clock that dates each mailbox's read (default: the system clock). */
  readonly now?: () => Date;
  readonly onProgress?: (progress: ScanProgress) => void;
  /** A directory already listed (e.g. by the caller for a group expansion), to avoid listing twice. */
  readonly directory?: Directory;
  /**
   * Called once the directory is known, before any record is emitted (the grants of mailboxes
   * listed early may already have been read while the rest of the directory was listed).
   */
  readonly onDirectory?: (directory: Directory) => void;
  readonly skipSystemUsers?: boolean;
  /** Records waiting for the consumer before workers pause (default 2000). */
  readonly highWaterMark?: number;
}

const DEFAULT_MAX_CONCURRENCY = 64;
const DEFAULT_HIGH_WATER_MARK = 2000;

/**
 * Streams every grant of the organization. Throws CancelledError when `signal` aborts (in-flight
 * calls are aborted too); stopping the iteration early (break) also stops every call.
 */
export async function* scanOrganization(session: WorkMailSession, org: OrgRef, options: ScanOptions = {}): AsyncGenerator<ScanRecord, void, undefined> {
  if (options.signal?.aborted) {
    throw new CancelledError();
  }
  const scan = new RunningScan(session, org, options);
  try {
    const directory = await scan.knowDirectory();
    options.onDirectory?.(directory);
    const unread = scan.start(directory);
    scan.readInBackground(unread);
    const { channel } = scan;
    for (;;) {
      const record = channel.take();
      if (record) {
        yield record;
        continue;
      }
      if (!(await channel.waitForItems())) {
        break;
      }
    }
    scan.settle();
  } finally {
    // Also reached when the consumer stops iterating early: nothing may keep calling WorkMail.
    scan.end();
  }
}

/** One scan of one organization while it runs: its signal, its limit, its channel and its counts. */
class RunningScan {
  /** Every call of the scan listens on this signal: the caller's, and the scan's own stop. */
  private readonly controller = new AbortController();
  private readonly forwardAbort = (): void => this.controller.abort();
  private readonly outer: AbortSignal | undefined;
  private readonly limiter: AdaptiveConcurrency;
  private readonly slots: MailboxSlots;
  private readonly stopListening: () => void;
  private readonly highWaterMark: number;
  private readonly reading: MailboxReadContext;
  private readonly startedAt: Date;
  readonly channel: BoundedChannel<ScanRecord>;
  /** Grants read while the directory was listed, by mailbox, until the dispatcher takes them. */
  private readonly prefetched = new Map<string, Promise<ReadGrants>>();
  private resolver: GranteeResolver | undefined;
  private mailboxesTotal = 0;
  private mailboxesDone = 0;
  private grants = 0;
  private failures = 0;
  /** Every mailbox read has ended (the dispatcher is done). */
  private finished = false;
  /** The first failure that ended the reads (a cancellation, or a failure on the consumer's side). */
  private workerError: unknown;
  /** Every mailbox was read and handed over: the checkpoint has served its purpose. */
  private completed = false;
  private concurrencyReported = false;

  constructor(
    private readonly session: WorkMailSession,
    private readonly org: OrgRef,
    private readonly options: ScanOptions,
  ) {
    this.outer = options.signal;
    const signal = this.controller.signal;
    // With concurrency above ten that is more listeners than Node's default warning threshold,
    // and that is expected, not a leak.
    setMaxListeners(Math.max(10, 4 * (options.concurrency ?? options.adaptive?.max ?? DEFAULT_MAX_CONCURRENCY) + 10), signal);
    this.outer?.addEventListener('abort', this.forwardAbort, { once: true });
    const fixed = options.concurrency === undefined ? undefined : Math.max(1, Math.trunc(options.concurrency));
    this.highWaterMark = Math.max(1, options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK);
    const now = options.now ?? ((): Date => new Date());
    this.startedAt = now();
    this.reading = { session, org, pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE, signal, retry: options.retry, now };

    // Mailboxes are started while the adaptive limit has a free slot; a throttled attempt anywhere
    // on this session in the organization's region (the SDK's own retries included) cuts the limit:
    // WorkMail's limit is per account and region, so another reader's throttling is news for the
    // scan too, and so is the throttling of the scan's own directory listing.
    this.limiter = fixed === undefined ? new AdaptiveConcurrency(options.adaptive) : new AdaptiveConcurrency({ initial: fixed, min: fixed, max: fixed });
    this.stopListening = session.onThrottled((region) => {
      if (region === org.region) this.limiter.throttled();
    });
    this.slots = new MailboxSlots(this.limiter, signal);
    this.channel = new BoundedChannel<ScanRecord>(this.highWaterMark, signal);
  }

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Step 1: the directory, from the interrupted scan or the caller, else listed with early reads. */
  async knowDirectory(): Promise<Directory> {
    try {
      const known = this.options.resume?.directory ?? this.options.directory;
      return known ?? (await this.listWithEarlyReads());
    } catch (err) {
      throw this.outer?.aborted || isCancellation(err) ? new CancelledError() : err;
    }
  }

  private async listWithEarlyReads(): Promise<Directory> {
    const early = new EarlyReads(
      this.slots,
      this.highWaterMark,
      (mailbox) => {
        const read = readGrants(this.reading, mailbox);
        this.prefetched.set(mailbox.id, read);
        return read;
      },
      this.signal,
    );
    try {
      return await listDirectory(this.session, this.org, {
        pageSize: this.reading.pageSize,
        signal: this.signal,
        retry: this.options.retry,
        paced: true,
        onPage: (entities) => early.add(entities.filter((entity) => !isSkippedSystemUser(entity, this.options))),
      });
    } finally {
      await early.stop();
    }
  }

  /**
   * Step 2, once the directory is known: the checkpoint started (or continued), what it held
   * queued for the consumer first, the first progress. Returns the mailboxes left to read.
   */
  start(directory: Directory): DirectoryEntity[] {
    const { checkpoint, resume } = this.options;
    if (checkpoint) {
      if (resume) checkpoint.continue();
      else checkpoint.start(directory, this.startedAt);
    }
    const allMailboxes = mailboxesOf(directory, this.options);
    const done = resume?.done;
    this.mailboxesTotal = allMailboxes.length;
    this.resolver = new GranteeResolver(this.session, this.org, directory.entities, this.options.retry, resume?.described, checkpoint);
    if (done) {
      // What the interrupted scan read comes first, as if read now.
      for (const mailbox of allMailboxes) {
        const records = done.get(mailbox.id);
        if (!records) continue;
        this.mailboxesDone++;
        this.grants += records.length;
        this.channel.push(records);
      }
    }
    this.report();
    return done ? allMailboxes.filter((mailbox) => !done.has(mailbox.id)) : allMailboxes;
  }

  /** Step 3: the mailboxes read while the consumer takes records; the channel closes when every read has ended. */
  readInBackground(mailboxes: readonly DirectoryEntity[]): void {
    void this.dispatch(mailboxes)
      .catch((err: unknown) => this.stop(err))
      .finally(() => {
        this.stopListening();
        this.reportConcurrencyOnce();
        this.finished = true;
        this.channel.close();
      });
  }

  private async dispatch(mailboxes: readonly DirectoryEntity[]): Promise<void> {
    const running = new Set<Promise<void>>();
    let next = 0;
    while (!this.signal.aborted && next < mailboxes.length) {
      // A mailbox read early needs no slot: its read has one until it answers, and what is left
      // (naming its grantees) must not wait behind it, nor hold a second slot while it backs off.
      if (!this.prefetched.has(mailboxes[next]!.id) && !this.slots.tryStart()) {
        await this.slots.waitForFree();
        continue;
      }
      const task = this.readOne(mailboxes[next++]!);
      running.add(task);
      // A rejected task (only a cancellation or a consumer-side failure) ends the whole scan.
      task.then(
        () => running.delete(task),
        (err: unknown) => {
          running.delete(task);
          throw err;
        },
      ).catch((err: unknown) => this.stop(err));
    }
    await Promise.allSettled([...running]);
  }

  private async readOne(mailbox: DirectoryEntity): Promise<void> {
    let ok = false;
    // Read while the directory was listed: its answer says nothing new about the limit.
    const early = this.prefetched.get(mailbox.id);
    this.prefetched.delete(mailbox.id);
    try {
      const { records, readAt } = await scanMailbox(this.reading, mailbox, this.resolver!, early);
      ok = !records.some((record) => record.type === 'failure');
      if (this.signal.aborted || (this.channel.full && !(await this.channel.waitForRoom()))) {
        return;
      }
      this.handOver(mailbox, records, readAt);
    } finally {
      // A mailbox read early took its slot while it was read (the early reads'); only the others
      // hold one of the dispatcher's.
      if (!early) this.slots.finish(ok);
      else this.slots.wake();
    }
  }

  /** A mailbox read: its records to the consumer, its counts, the checkpoint's line, the progress. */
  private handOver(mailbox: DirectoryEntity, records: readonly ScanRecord[], readAt: Date): void {
    this.channel.push(records);
    this.mailboxesDone++;
    for (const record of records) {
      if (record.type === 'grant') {
        this.grants++;
      } else {
        this.failures++;
      }
    }
    this.options.checkpoint?.mailboxDone(mailbox, records, readAt);
    this.options.onMailboxDone?.(mailbox, records, readAt);
    this.report();
  }

  private report(): void {
    const { mailboxesDone, mailboxesTotal, grants, failures } = this;
    this.options.onProgress?.({ mailboxesDone, mailboxesTotal, grants, failures, concurrency: this.limiter.stats() });
  }

  /** Ends every read after a failure; the first failure is the one the consumer hears. */
  private stop(err: unknown): void {
    if (this.workerError === undefined) this.workerError = err;
    this.controller.abort();
  }

  /** Step 4, after the consumer took the last record: how the scan ended, as the consumer hears it. */
  settle(): void {
    if (this.outer?.aborted) {
      throw new CancelledError();
    }
    if (this.workerError !== undefined && !isCancellation(this.workerError)) {
      throw this.workerError;
    }
    if (this.finished && !this.signal.aborted) {
      this.completed = true;
    }
  }

  /** Step 5, however the scan ended: the limit's statistics said once, the checkpoint kept or deleted, every call stopped. */
  end(): void {
    this.stopListening();
    this.reportConcurrencyOnce();
    this.outer?.removeEventListener('abort', this.forwardAbort);
    if (this.completed) {
      this.options.checkpoint?.complete();
    } else {
      this.options.checkpoint?.close();
    }
    this.controller.abort();
  }

  private reportConcurrencyOnce(): void {
    if (!this.concurrencyReported) {
      this.concurrencyReported = true;
      this.options.onConcurrency?.(this.limiter.stats());
    }
  }
}
