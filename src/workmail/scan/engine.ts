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
//   failure becomes a `failure` record for that mailbox and the scan goes on.
// - While the directory is listed (its pages come one after the other), the grants of mailboxes
//   already listed are read with the slots the listing leaves free; they are named and emitted
//   only once the whole directory is known, so no grantee is called unknown for being listed late.
// - A mailbox's grants are collected (all pages) before its records are emitted, so a mailbox
//   retried half-way never produces duplicates. Across mailboxes everything streams, and workers
//   pause while the consumer has more than a bounded number of records waiting.
import { setMaxListeners } from 'node:events';
import type { CheckpointWriter, ResumeState } from '../checkpoint';
import { AdaptiveConcurrency, type AdaptiveConcurrencyOptions, type ConcurrencyStats } from '../concurrency';
import { CancelledError, WorkMailError, isCancellation } from '../errors';
import { normalizeRights } from '../rights';
import type { WorkMailSession } from '../session';
import type { Directory, GrantRecord, MailboxFailureRecord, ScanRecord } from './records';
import type { DirectoryEntity, EntityKind, OrgRef, Right } from '../types';
import { isNoMailboxRefusal } from '../mailboxes';

export type { Directory, GrantRecord, MailboxFailureRecord, ScanRecord } from './records';

export interface ScanProgress {
  readonly mailboxesDone: number;
  /** Known once the directory has been listed. */
  readonly mailboxesTotal?: number;
  readonly grants: number;
  readonly failures: number;
  /** The adaptive limit (mailboxes in flight allowed) when this progress was reported. */
  readonly concurrency?: ConcurrencyStats;
}

export interface RetryOptions {
  /** Extra attempts after the SDK's own retries gave up (default 5). */
  readonly retries?: number;
  /** First back-off in ms, doubled each time (default 250). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

export interface DirectoryOptions {
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
  readonly retry?: RetryOptions;
  /** Each page of entities as it arrives, before the listing is complete. */
  readonly onPage?: (entities: readonly DirectoryEntity[]) => void;
  /**
   * The caller paces the calls made meanwhile (the scan's adaptive limit): pages are read without
   * the SDK's client-side rate limiter, which after a throttle would hold back the listing that
   * everything else waits for (pages come one at a time per kind, so they are paced already).
   */
  readonly paced?: boolean;
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
const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_HIGH_WATER_MARK = 2000;

/** Sleeps, or rejects with CancelledError as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `work` again after a back-off while it fails transiently. The SDK's adaptive retries come
 * first; this outer loop covers bursts longer than they last, so a large scan under a rate limit
 * ends with every mailbox read instead of a list of throttling failures.
 */
export async function retryTransient<T>(work: () => Promise<T>, signal: AbortSignal | undefined, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 5;
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 8000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (signal?.aborted || isCancellation(err)) {
        throw new CancelledError();
      }
      if (!(err instanceof WorkMailError) || !err.retryable || attempt >= retries) {
        throw err;
      }
      // Full jitter keeps eight workers that were throttled together from returning together.
      const ceiling = Math.min(max, base * 2 ** attempt);
      await sleep(ceiling / 2 + Math.random() * (ceiling / 2), signal);
    }
  }
}

/** Every user, group and resource of the organization, all states, all pages. */
export async function listDirectory(session: WorkMailSession, org: OrgRef, options: DirectoryOptions = {}): Promise<Directory> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const listKind = async (kind: EntityKind): Promise<DirectoryEntity[]> => {
    const entities: DirectoryEntity[] = [];
    let nextToken: string | undefined;
    do {
      const page = await retryTransient(
        () => session.listEntitiesPage(org, kind, { maxResults: pageSize, nextToken, paced: options.paced }, options.signal),
        options.signal,
        options.retry,
      );
      entities.push(...page.items);
      options.onPage?.(page.items);
      nextToken = page.nextToken;
    } while (nextToken);
    return entities;
  };
  const [users, groups, resources] = await Promise.all([listKind('user'), listKind('group'), listKind('resource')]);
  const entities = new Map<string, DirectoryEntity>();
  for (const entity of [...users, ...groups, ...resources]) {
    entities.set(entity.id, entity);
  }
  return { entities, users, groups, resources };
}

/** The mailboxes a scan reads, in directory order: users, then groups, then resources. */
export function mailboxesOf(directory: Directory, options: { skipSystemUsers?: boolean } = {}): DirectoryEntity[] {
  const users = options.skipSystemUsers ? directory.users.filter((user) => !isSkippedSystemUser(user, options)) : directory.users;
  // A listing that shifts under concurrent changes can return an entity on two pages; read and
  // report each mailbox once.
  const seen = new Set<string>();
  return [...users, ...directory.groups, ...directory.resources].filter((entity) => !seen.has(entity.id) && seen.add(entity.id));
}

function isSkippedSystemUser(entity: DirectoryEntity, options: { skipSystemUsers?: boolean }): boolean {
  return options.skipSystemUsers === true && entity.kind === 'user' && entity.userRole === 'SYSTEM_USER';
}

/** A FIFO that does not copy on every dequeue the way Array.shift does. */
class RecordQueue {
  private items: ScanRecord[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(records: readonly ScanRecord[]): void {
    for (const record of records) {
      this.items.push(record);
    }
  }

  shift(): ScanRecord | undefined {
    if (this.head >= this.items.length) {
      return undefined;
    }
    const record = this.items[this.head];
    this.items[this.head++] = undefined as unknown as ScanRecord;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return record;
  }
}

/**
 * Streams every grant of the organization. Throws CancelledError when `signal` aborts (in-flight
 * calls are aborted too); stopping the iteration early (break) also stops every call.
 */
export async function* scanOrganization(session: WorkMailSession, org: OrgRef, options: ScanOptions = {}): AsyncGenerator<ScanRecord, void, undefined> {
  const outer = options.signal;
  if (outer?.aborted) {
    throw new CancelledError();
  }
  const controller = new AbortController();
  // Every call of the scan listens on this one signal; with concurrency above ten that is more
  // listeners than Node's default warning threshold, and that is expected, not a leak.
  setMaxListeners(Math.max(10, 4 * (options.concurrency ?? options.adaptive?.max ?? DEFAULT_MAX_CONCURRENCY) + 10), controller.signal);
  const forwardAbort = (): void => controller.abort();
  outer?.addEventListener('abort', forwardAbort, { once: true });
  const signal = controller.signal;
  const fixedConcurrency = options.concurrency === undefined ? undefined : Math.max(1, Math.trunc(options.concurrency));
  const highWaterMark = Math.max(1, options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK);
  let completed = false;
  let concurrencyReported = false;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const now = options.now ?? ((): Date => new Date());
  const startedAt = now();

  // Mailboxes are started while the adaptive limit has a free slot; a throttled attempt anywhere
  // on this session in the organization's region (the SDK's own retries included) cuts the limit:
  // WorkMail's limit is per account and region, so another reader's throttling is news for the
  // scan too, and so is the throttling of the scan's own directory listing.
  const limiter = fixedConcurrency === undefined ? new AdaptiveConcurrency(options.adaptive) : new AdaptiveConcurrency({ initial: fixedConcurrency, min: fixedConcurrency, max: fixedConcurrency });
  const stopListening = session.onThrottled((region) => {
    if (region === org.region) limiter.throttled();
  });
  let slotFreed: (() => void) | undefined;
  const wakeDispatcher = (): void => {
    const wake = slotFreed;
    slotFreed = undefined;
    wake?.();
  };
  signal.addEventListener('abort', wakeDispatcher, { once: true });

  try {
    let directory: Directory;
    // While the scan lists the directory itself (page after page, one call at a time), the grants
    // of the mailboxes already listed are read with the slots the listing leaves free, so a large
    // directory's listing time is not added to the scan's. They are only read here: named, counted
    // and emitted once the whole directory is known, exactly as the other mailboxes.
    const prefetched = new Map<string, Promise<ReadGrants>>();
    try {
      if (options.resume?.directory ?? options.directory) {
        directory = (options.resume?.directory ?? options.directory)!;
      } else {
        const prefetch = new Prefetcher(limiter, highWaterMark, (mailbox) => {
          const read = readGrants(session, org, mailbox, pageSize, signal, options.retry, now);
          prefetched.set(mailbox.id, read);
          return read;
        }, (wake) => (slotFreed = wake), wakeDispatcher, signal);
        try {
          directory = await listDirectory(session, org, {
            pageSize,
            signal,
            retry: options.retry,
            paced: true,
            onPage: (entities) => prefetch.add(entities.filter((entity) => !isSkippedSystemUser(entity, options))),
          });
        } finally {
          await prefetch.stop();
        }
      }
    } catch (err) {
      throw outer?.aborted || isCancellation(err) ? new CancelledError() : err;
    }
    options.onDirectory?.(directory);
    const checkpoint = options.checkpoint;
    if (checkpoint) {
      if (options.resume) checkpoint.continue();
      else checkpoint.start(directory, startedAt);
    }
    const allMailboxes = mailboxesOf(directory, options);
    const done = options.resume?.done;
    const mailboxes = done ? allMailboxes.filter((mailbox) => !done.has(mailbox.id)) : allMailboxes;
    const resolver = new GranteeResolver(session, org, directory.entities, options.retry, options.resume?.described, checkpoint);
    let mailboxesDone = 0;
    let grants = 0;
    let failures = 0;
    const queue = new RecordQueue();
    if (done) {
      // What the interrupted scan read comes first, as if read now.
      for (const mailbox of allMailboxes) {
        const records = done.get(mailbox.id);
        if (!records) continue;
        mailboxesDone++;
        grants += records.length;
        queue.push(records);
      }
    }
    const report = (): void => {
      options.onProgress?.({ mailboxesDone, mailboxesTotal: allMailboxes.length, grants, failures, concurrency: limiter.stats() });
    };
    report();

    let wakeConsumer: (() => void) | undefined;
    let producersWaiting: Array<() => void> = [];
    const notifyConsumer = (): void => {
      const wake = wakeConsumer;
      wakeConsumer = undefined;
      wake?.();
    };
    const releaseProducers = (): void => {
      const waiting = producersWaiting;
      producersWaiting = [];
      waiting.forEach((resume) => resume());
    };
    signal.addEventListener('abort', () => {
      notifyConsumer();
      releaseProducers();
    }, { once: true });

    const readOne = async (mailbox: DirectoryEntity): Promise<void> => {
      let ok = false;
      // Read while the directory was listed: its answer says nothing new about the limit.
      const early = prefetched.get(mailbox.id);
      prefetched.delete(mailbox.id);
      try {
        const { records, readAt } = await scanMailbox(session, org, mailbox, resolver, pageSize, signal, options.retry, now, early);
        ok = !records.some((record) => record.type === 'failure');
        if (signal.aborted) {
          return;
        }
        while (queue.length >= highWaterMark && !signal.aborted) {
          await new Promise<void>((resume) => producersWaiting.push(resume));
        }
        if (signal.aborted) {
          return;
        }
        queue.push(records);
        mailboxesDone++;
        for (const record of records) {
          if (record.type === 'grant') {
            grants++;
          } else {
            failures++;
          }
        }
        checkpoint?.mailboxDone(mailbox, records, readAt);
        options.onMailboxDone?.(mailbox, records, readAt);
        report();
        notifyConsumer();
      } finally {
        // A mailbox read early took its slot while it was read (the prefetcher's); only the others
        // hold one of the dispatcher's.
        if (!early) limiter.finish(ok);
        wakeDispatcher();
      }
    };
    const dispatch = async (): Promise<void> => {
      const running = new Set<Promise<void>>();
      let next = 0;
      while (!signal.aborted && next < mailboxes.length) {
        // A mailbox read early needs no slot: its read has one until it answers, and what is left
        // (naming its grantees) must not wait behind it, nor hold a second slot while it backs off.
        if (!prefetched.has(mailboxes[next]!.id) && !limiter.tryStart()) {
          await new Promise<void>((wake) => (slotFreed = wake));
          continue;
        }
        const task = readOne(mailboxes[next++]!);
        running.add(task);
        // A rejected task (only a cancellation or a consumer-side failure) ends the whole scan.
        task.then(
          () => running.delete(task),
          (err: unknown) => {
            running.delete(task);
            throw err;
          },
        ).catch((err: unknown) => {
          if (workerError === undefined) workerError = err;
          controller.abort();
        });
      }
      await Promise.allSettled([...running]);
    };
    let finished = false;
    let workerError: unknown;
    void dispatch()
      .catch((err: unknown) => {
        if (workerError === undefined) workerError = err;
        controller.abort();
      })
      .finally(() => {
        stopListening();
        if (!concurrencyReported) {
          concurrencyReported = true;
          options.onConcurrency?.(limiter.stats());
        }
        finished = true;
        notifyConsumer();
      });

    for (;;) {
      const record = queue.shift();
      if (record) {
        if (queue.length < highWaterMark / 2) {
          releaseProducers();
        }
        yield record;
        continue;
      }
      if (finished || signal.aborted) {
        break;
      }
      await new Promise<void>((wake) => (wakeConsumer = wake));
    }
    if (outer?.aborted) {
      throw new CancelledError();
    }
    if (workerError !== undefined && !isCancellation(workerError)) {
      throw workerError;
    }
    if (finished && !signal.aborted) {
      completed = true;
    }
  } finally {
    stopListening();
    if (!concurrencyReported) {
      concurrencyReported = true;
      options.onConcurrency?.(limiter.stats());
    }
    outer?.removeEventListener('abort', forwardAbort);
    if (completed) {
      options.checkpoint?.complete();
    } else {
      options.checkpoint?.close();
    }
    // Also reached when the consumer stops iterating early: nothing may keep calling WorkMail.
    controller.abort();
  }
}

const rightSets = new Map<string, readonly Right[]>();

/** The normalized rights, as one frozen array shared by every record with the same set. */
function sharedRights(rights: Iterable<Right>): readonly Right[] {
  const normalized = normalizeRights(rights);
  const key = normalized.join(',');
  let shared = rightSets.get(key);
  if (!shared) {
    shared = Object.freeze(normalized);
    // Rights are a handful of names: the distinct sets are few, unless a service sends nonsense.
    if (rightSets.size < 256) rightSets.set(key, shared);
  }
  return shared;
}

type RawGrant = Awaited<ReturnType<WorkMailSession['listGrantsPage']>>['items'][number];

/** One mailbox's grants, and when they were read (the last page's answer). */
interface ReadGrants {
  readonly grants: RawGrant[];
  readonly readAt: Date;
}

/** Every page of one mailbox's grants, retried after a back-off while the failure is transient. */
function readGrants(
  session: WorkMailSession,
  org: OrgRef,
  mailbox: DirectoryEntity,
  pageSize: number,
  signal: AbortSignal,
  retry: RetryOptions | undefined,
  now: () => Date,
): Promise<ReadGrants> {
  return retryTransient(
    async () => {
      const all: RawGrant[] = [];
      let nextToken: string | undefined;
      do {
        const page = await session.listGrantsPage(org, mailbox.id, { maxResults: pageSize, nextToken, paced: true }, signal);
        all.push(...page.items);
        nextToken = page.nextToken;
      } while (nextToken);
      return { grants: all, readAt: now() };
    },
    signal,
    retry,
  );
}

/**
 * Reads the grants of mailboxes as directory pages arrive, while the adaptive limit has a free
 * slot, until `stop` (the directory is complete) or `cap` mailboxes: what it read waits for the
 * scan in memory, so a directory much larger than the cap is mostly read the usual way.
 */
class Prefetcher {
  private readonly pending: DirectoryEntity[] = [];
  private readonly seen = new Set<string>();
  private stopped = false;
  private wakeLoop: (() => void) | undefined;
  private readonly loop: Promise<void>;

  constructor(
    private readonly limiter: AdaptiveConcurrency,
    private readonly cap: number,
    private readonly read: (mailbox: DirectoryEntity) => Promise<unknown>,
    private readonly waitForSlot: (wake: () => void) => void,
    private readonly slotFreed: () => void,
    private readonly signal: AbortSignal,
  ) {
    this.loop = this.run();
  }

  add(entities: readonly DirectoryEntity[]): void {
    for (const entity of entities) {
      if (this.stopped || this.seen.size >= this.cap) break;
      if (this.seen.has(entity.id)) continue;
      this.seen.add(entity.id);
      this.pending.push(entity);
    }
    this.wake();
  }

  /** No mailbox starts after this; reads already started go on (the scan awaits each one). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    this.slotFreed();
    await this.loop;
  }

  private wake(): void {
    const wake = this.wakeLoop;
    this.wakeLoop = undefined;
    wake?.();
  }

  private async run(): Promise<void> {
    let next = 0;
    while (!this.stopped && !this.signal.aborted) {
      if (next >= this.pending.length) {
        await new Promise<void>((wake) => (this.wakeLoop = wake));
        continue;
      }
      if (!this.limiter.tryStart()) {
        await new Promise<void>((wake) => this.waitForSlot(wake));
        continue;
      }
      const mailbox = this.pending[next++]!;
      let ok = false;
      this.read(mailbox)
        .then(
          () => (ok = true),
          (err: unknown) => (ok = isNoMailboxRefusal(err, mailbox)),
        )
        .finally(() => {
          this.limiter.finish(ok);
          this.slotFreed();
        })
        .catch(() => {
          // The scan awaits the read itself and handles its failure there.
        });
    }
  }
}

/**
 * One mailbox's records and when its grants were read; never throws except CancelledError.
 * `early`: its grants, read while the directory was being listed (a failure there is handled as if
 * it happened now; a success keeps the time it was read).
 */
async function scanMailbox(
  session: WorkMailSession,
  org: OrgRef,
  mailbox: DirectoryEntity,
  resolver: GranteeResolver,
  pageSize: number,
  signal: AbortSignal,
  retry: RetryOptions | undefined,
  now: () => Date,
  early?: Promise<ReadGrants>,
): Promise<{ records: ScanRecord[]; readAt: Date }> {
  try {
    const { grants, readAt } = await (early ?? readGrants(session, org, mailbox, pageSize, signal, retry, now));
    const records: ScanRecord[] = [];
    for (const grant of grants) {
      const { entity, lookupFailed } = await resolver.resolve(grant.granteeId, grant.granteeType, signal);
      records.push({
        type: 'grant',
        org,
        mailbox,
        // By the entity's own ID even where WorkMail lists the name or email a Put was given
        // (variant grantee-id-form=as-given), so reports, reverse look-ups and clean-ups see one person;
        // the directory's own ID string, so 500,000 grants do not each hold a copy of it.
        granteeId: entity?.id ?? grant.granteeId,
        granteeType: grant.granteeType,
        grantee: entity,
        ...(lookupFailed ? { granteeLookupFailed: true } : {}),
        rights: sharedRights(grant.rights),
        readAt,
      });
    }
    return { records, readAt };
  } catch (err) {
    if (signal.aborted || isCancellation(err)) {
      throw new CancelledError();
    }
    if (isNoMailboxRefusal(err, mailbox)) {
      // A user without a mailbox: no delegations to read, and nothing failed.
      return { records: [], readAt: now() };
    }
    const error =
      err instanceof WorkMailError
        ? err
        : new WorkMailError('UnexpectedError', `Could not read the permissions of ${mailbox.email ?? mailbox.name ?? mailbox.id}: ${String(err)}`, { cause: err });
    return { records: [{ type: 'failure', org, mailbox, error }], readAt: now() };
  }
}

/**
 * Names for grantee IDs: the directory already listed answers almost all of them; IDs it does not
 * hold (usually deleted entities) are described once each, shared by every worker.
 */
class GranteeResolver {
  private readonly described = new Map<string, Promise<DirectoryEntity | null>>();

  constructor(
    private readonly session: WorkMailSession,
    private readonly org: OrgRef,
    private readonly directory: ReadonlyMap<string, DirectoryEntity>,
    private readonly retry: RetryOptions | undefined,
    known?: ReadonlyMap<string, DirectoryEntity | null>,
    private readonly checkpoint?: CheckpointWriter,
  ) {
    for (const [id, entity] of known ?? []) {
      this.described.set(id, Promise.resolve(entity));
    }
  }

  async resolve(id: string, type: 'USER' | 'GROUP', signal: AbortSignal): Promise<{ entity: DirectoryEntity | null; lookupFailed: boolean }> {
    const known = this.directory.get(id);
    if (known) {
      return { entity: known, lookupFailed: false };
    }
    let lookup = this.described.get(id);
    if (!lookup) {
      lookup = retryTransient(() => this.session.describeEntity(this.org, id, type === 'GROUP' ? 'group' : 'user', signal), signal, this.retry).then((entity) => {
        this.checkpoint?.described(id, entity ?? null);
        return entity ?? null;
      });
      this.described.set(id, lookup);
      // A failed lookup is not remembered, so the next mailbox naming this ID asks again.
      lookup.catch(() => this.described.delete(id));
    }
    try {
      return { entity: await lookup, lookupFailed: false };
    } catch (err) {
      if (signal.aborted || isCancellation(err)) {
        throw new CancelledError();
      }
      return { entity: null, lookupFailed: true };
    }
  }
}

/** How a scan resumed from a checkpoint came together (its `startedAt` is the interrupted scan's). */
export interface ResumedScan {
  /** When this run resumed it. */
  readonly resumedAt: Date;
  /** When the checkpoint's last mailbox was read: the interrupted part read between `startedAt` and this. */
  readonly checkpointWrittenAt: Date;
  /** Mailboxes whose grants come from the checkpoint, as they were read then. */
  readonly mailboxesFromCheckpoint: number;
}

/** A finished scan held in memory: what the UI shows and what exports and scripts are made from. */
export interface OrganizationScan {
  readonly org: OrgRef;
  /** When the scan started; for a resumed scan, when the interrupted scan started. */
  readonly startedAt: Date;
  /** When the last mailbox was read, the end of the reading: the "as of" time of a scan that was not resumed. */
  readonly readAt: Date;
  /** When each mailbox read was read (mailboxes that could not be read are not in it). */
  readonly mailboxReadAt: ReadonlyMap<string, Date>;
  /** Set when the scan was resumed from a checkpoint: it was read in parts, at different times. */
  readonly resumed?: ResumedScan;
  readonly directory: Directory;
  readonly grants: readonly GrantRecord[];
  readonly failures: readonly MailboxFailureRecord[];
}

/** Runs a whole scan and keeps its records (fine for the UI: 50k small records share their entities). */
export async function collectScan(session: WorkMailSession, org: OrgRef, options: ScanOptions = {}, now: () => Date = options.now ?? (() => new Date())): Promise<OrganizationScan> {
  const { resume } = options;
  const began = now();
  const startedAt = resume?.startedAt ?? began;
  let directory: Directory | undefined = options.directory;
  const grants: GrantRecord[] = [];
  const failures: MailboxFailureRecord[] = [];
  const mailboxReadAt = new Map<string, Date>(resume?.mailboxReadAt);
  for await (const record of scanOrganization(session, org, {
    ...options,
    now,
    onDirectory: (listed) => {
      directory = listed;
      options.onDirectory?.(listed);
    },
    onMailboxDone: (mailbox, records, readAt) => {
      if (!records.some((r) => r.type === 'failure')) mailboxReadAt.set(mailbox.id, readAt);
      options.onMailboxDone?.(mailbox, records, readAt);
    },
  })) {
    if (record.type === 'grant') {
      grants.push(record);
    } else {
      failures.push(record);
    }
  }
  if (!directory) {
    throw new WorkMailError('UnexpectedError', 'The scan finished without listing the directory.');
  }
  const resumed: ResumedScan | undefined = resume
    ? { resumedAt: began, checkpointWrittenAt: resume.lastReadAt, mailboxesFromCheckpoint: resume.done.size }
    : undefined;
  return { org, startedAt, readAt: now(), mailboxReadAt, ...(resumed ? { resumed } : {}), directory, grants, failures };
}

/**
 * Finished scans by organization, stamped with the time they were read so the UI can say "as of
 * 14:02". Cancelled or failed scans are never stored; a newer scan replaces an older one.
 */
export class ScanCache {
  private readonly snapshots = new Map<string, OrganizationScan>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  static key(session: Pick<WorkMailSession, 'profile' | 'endpoint'>, org: OrgRef): string {
    return JSON.stringify([session.profile ?? '', session.endpoint ?? '', org.region, org.organizationId]);
  }

  get(session: Pick<WorkMailSession, 'profile' | 'endpoint'>, org: OrgRef, maxAgeMs?: number): OrganizationScan | undefined {
    const snapshot = this.snapshots.get(ScanCache.key(session, org));
    if (snapshot && maxAgeMs !== undefined && this.now().getTime() - snapshot.readAt.getTime() > maxAgeMs) {
      return undefined;
    }
    return snapshot;
  }

  async scan(session: WorkMailSession, org: OrgRef, options: ScanOptions = {}): Promise<OrganizationScan> {
    const snapshot = await collectScan(session, org, options, this.now);
    const key = ScanCache.key(session, org);
    const current = this.snapshots.get(key);
    if (!current || current.readAt.getTime() <= snapshot.readAt.getTime()) {
      this.snapshots.set(key, snapshot);
    }
    return snapshot;
  }

  /** After a change made through the extension, so the next read is not served stale data. */
  invalidate(session: Pick<WorkMailSession, 'profile' | 'endpoint'>, org: OrgRef): void {
    this.snapshots.delete(ScanCache.key(session, org));
  }

  clear(): void {
    this.snapshots.clear();
  }
}
