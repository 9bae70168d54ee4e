// Resumable scans: a scan writes what it has read to a checkpoint file as it goes, so a scan
// interrupted (window reloaded, cancelled, network lost, process killed) can be started again and
// read only the mailboxes it had not read.
//
// The file is JSON Lines, appended one line per finished mailbox (a killed process loses at most
// the line it was writing, which is ignored on reading):
//   {"kind":"workmail-scan-checkpoint","version":2,"key":{endpoint,account,region,organizationId},"startedAt":"…"}
//   {"entities":"user"|"group"|"resource","items":[DirectoryEntity, …]}        (≤ 1000 per line)
//   {"directory":"complete","users":N,"groups":N,"resources":N}
//   {"mailbox":"<id>","readAt":"…","grants":[["<granteeId>","U"|"G",["FULL_ACCESS",…],lookupFailed?],…]}
//   {"described":"<id>","entity":DirectoryEntity|null}                    (a grantee not in the directory)
// It holds entity IDs, names, addresses, states and rights, never credentials, profile names or
// error text. A completed scan deletes it. A checkpoint of another organization (or account,
// region, endpoint), of another version, or one that cannot be read is refused with a message
// saying why, and left alone.
//
// Version 2 records when each mailbox was read (`readAt`): a resumed scan is not one moment, and
// what it read before the interruption keeps the time it was read. A version 1 checkpoint (no
// times) is refused like any other version: resuming it would date its mailboxes as read now.
//
// The reader and the writer stay in this one file, beside the format above: a change to one line
// of the format is a change to both, and reading them side by side is how that is checked. How
// old a checkpoint may be to resume is the front ends' decision (checkpointAge.ts).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { normalizeRights } from './rights';
import type { Directory, GrantRecord, ScanRecord } from './scan/records';
import type { WorkMailSession } from './session';
import type { DirectoryEntity, EntityKind, OrgRef, Right } from './types';

export const CHECKPOINT_KIND = 'workmail-scan-checkpoint';
export const CHECKPOINT_VERSION = 2;
const ENTITIES_PER_LINE = 1000;

/** What a checkpoint belongs to: the same organization seen through the same endpoint and account. */
export interface CheckpointKey {
  readonly endpoint: string;
  readonly account: string;
  readonly region: string;
  readonly organizationId: string;
}

/** What a scan needs to carry on where an earlier one stopped. */
export interface ResumeState {
  readonly key: CheckpointKey;
  /** When the interrupted scan started (and listed the directory the resumed scan uses). */
  readonly startedAt: Date;
  readonly directory: Directory;
  /** Mailboxes already read, each with its grant records (possibly none). */
  readonly done: ReadonlyMap<string, readonly GrantRecord[]>;
  /** When each mailbox of `done` was read. */
  readonly mailboxReadAt: ReadonlyMap<string, Date>;
  /** When the checkpoint's last mailbox was read (`startedAt` when none was): when it was last written. */
  readonly lastReadAt: Date;
  /** Grantees described by the earlier run (null: WorkMail did not know them). */
  readonly described: ReadonlyMap<string, DirectoryEntity | null>;
  readonly mailboxesTotal: number;
}

export type CheckpointLookup =
  | { readonly state: 'none' }
  | { readonly state: 'found'; readonly resume: ResumeState; readonly path: string }
  | { readonly state: 'refused'; readonly reason: string; readonly path: string };

export function sameKey(a: CheckpointKey, b: CheckpointKey): boolean {
  return a.endpoint === b.endpoint && a.account === b.account && a.region === b.region && a.organizationId === b.organizationId;
}

function describeKey(key: CheckpointKey): string {
  return `organization ${key.organizationId} in ${key.region} (account ${key.account}, ${key.endpoint})`;
}

/** The key of a scan of `org` through `session` (one DescribeOrganization per session and organization, for the account). */
export async function checkpointKeyFor(session: Pick<WorkMailSession, 'endpoint' | 'accountOf'>, org: OrgRef, signal?: AbortSignal): Promise<CheckpointKey> {
  return {
    endpoint: session.endpoint ?? `https://workmail.${org.region}.amazonaws.com`,
    account: await session.accountOf(org, signal),
    region: org.region,
    organizationId: org.organizationId,
  };
}

/** A file name for the key, for a folder that holds the checkpoints of many organizations. */
export function checkpointFileName(key: CheckpointKey): string {
  const hash = createHash('sha256').update(JSON.stringify([key.endpoint, key.account, key.region, key.organizationId])).digest('hex').slice(0, 20);
  return `scan-${key.organizationId}-${hash}.jsonl`;
}

/** The command-line tool's checkpoint: beside the output file. */
export function checkpointBeside(outputFile: string): string {
  return `${outputFile}.scan-checkpoint.jsonl`;
}

class CheckpointFormatError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEntity(value: unknown): value is DirectoryEntity {
  return isRecord(value) && typeof value.id === 'string' && (value.kind === 'user' || value.kind === 'group' || value.kind === 'resource');
}

/**
 * Reads the checkpoint at `file` for `key`. Never throws for the file's content: a checkpoint that
 * does not exist is `none`; one that is damaged, of another version or of another organization is
 * `refused` with the reason, and the file is not touched.
 */
export function readCheckpoint(file: string, key: CheckpointKey): CheckpointLookup {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { state: 'none' };
    }
    return { state: 'refused', path: file, reason: `The scan checkpoint ${file} could not be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); it is ignored.` };
  }
  try {
    return { state: 'found', path: file, resume: parseCheckpoint(text, key) };
  } catch (err) {
    if (err instanceof CheckpointFormatError) {
      return { state: 'refused', path: file, reason: `The scan checkpoint ${file} ${err.message}; it is ignored and a new scan starts from the beginning.` };
    }
    throw err;
  }
}

function parseCheckpoint(text: string, key: CheckpointKey): ResumeState {
  const lines = text.split('\n');
  // The last line is whole only when the file ends with a newline: anything after the last newline
  // is a write the process did not finish, and is dropped.
  const complete = lines.slice(0, -1);
  if (complete.length === 0) {
    throw new CheckpointFormatError('is empty or damaged');
  }
  const parse = (line: string, index: number): Record<string, unknown> => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new CheckpointFormatError(`is damaged (line ${index + 1} is not JSON)`);
    }
    if (!isRecord(value)) {
      throw new CheckpointFormatError(`is damaged (line ${index + 1} is not an object)`);
    }
    return value;
  };
  const header = parse(complete[0]!, 0);
  if (header.kind !== CHECKPOINT_KIND) {
    throw new CheckpointFormatError('is not a scan checkpoint');
  }
  if (header.version !== CHECKPOINT_VERSION) {
    throw new CheckpointFormatError(
      typeof header.version === 'number' && header.version < CHECKPOINT_VERSION
        ? `was written by an earlier version of WorkMail Permissions (checkpoint version ${header.version}, which does not record when each mailbox was read; this version reads ${CHECKPOINT_VERSION})`
        : `has version ${String(header.version)}, this version reads ${CHECKPOINT_VERSION}`,
    );
  }
  const stored = header.key;
  if (
    !isRecord(stored) ||
    typeof stored.endpoint !== 'string' ||
    typeof stored.account !== 'string' ||
    typeof stored.region !== 'string' ||
    typeof stored.organizationId !== 'string'
  ) {
    throw new CheckpointFormatError('is damaged (its header names no organization)');
  }
  const storedKey: CheckpointKey = { endpoint: stored.endpoint, account: stored.account, region: stored.region, organizationId: stored.organizationId };
  if (!sameKey(storedKey, key)) {
    throw new CheckpointFormatError(`belongs to ${describeKey(storedKey)}, not ${describeKey(key)}`);
  }
  const startedAt = new Date(typeof header.startedAt === 'string' ? header.startedAt : Number.NaN);
  if (Number.isNaN(startedAt.getTime())) {
    throw new CheckpointFormatError('is damaged (its header has no start time)');
  }

  const lists: Record<EntityKind, DirectoryEntity[]> = { user: [], group: [], resource: [] };
  let directoryComplete = false;
  const done = new Map<string, GrantRecord[]>();
  const pendingGrants: Array<[string, Date, unknown[]]> = [];
  const described = new Map<string, DirectoryEntity | null>();
  for (let index = 1; index < complete.length; index++) {
    const line = complete[index]!;
    if (line === '') continue;
    const entry = parse(line, index);
    if (typeof entry.entities === 'string') {
      const kind = entry.entities as EntityKind;
      if (!(kind in lists) || !Array.isArray(entry.items) || !entry.items.every(isEntity) || directoryComplete) {
        throw new CheckpointFormatError(`is damaged (line ${index + 1})`);
      }
      lists[kind].push(...entry.items);
    } else if (entry.directory === 'complete') {
      if (entry.users !== lists.user.length || entry.groups !== lists.group.length || entry.resources !== lists.resource.length) {
        throw new CheckpointFormatError('is damaged (its directory is incomplete)');
      }
      directoryComplete = true;
    } else if (typeof entry.mailbox === 'string') {
      const readAt = new Date(typeof entry.readAt === 'string' ? entry.readAt : Number.NaN);
      if (!directoryComplete || !Array.isArray(entry.grants) || Number.isNaN(readAt.getTime())) {
        throw new CheckpointFormatError(`is damaged (line ${index + 1})`);
      }
      pendingGrants.push([entry.mailbox, readAt, entry.grants]);
    } else if (typeof entry.described === 'string') {
      if (entry.entity !== null && !isEntity(entry.entity)) {
        throw new CheckpointFormatError(`is damaged (line ${index + 1})`);
      }
      described.set(entry.described, entry.entity);
    } else {
      throw new CheckpointFormatError(`is damaged (line ${index + 1} is not understood)`);
    }
  }
  if (!directoryComplete) {
    throw new CheckpointFormatError('was written before the directory was listed, so there is nothing to resume');
  }
  const entities = new Map<string, DirectoryEntity>();
  for (const entity of [...lists.user, ...lists.group, ...lists.resource]) {
    entities.set(entity.id, entity);
  }
  const directory: Directory = { entities, users: lists.user, groups: lists.group, resources: lists.resource };
  const org: OrgRef = { region: key.region, organizationId: key.organizationId };
  const mailboxReadAt = new Map<string, Date>();
  let lastReadAt = startedAt;
  for (const [mailboxId, readAt, grants] of pendingGrants) {
    const mailbox = entities.get(mailboxId);
    if (!mailbox) {
      throw new CheckpointFormatError(`is damaged (mailbox ${mailboxId} is not in its directory)`);
    }
    const records: GrantRecord[] = [];
    for (const grant of grants) {
      if (
        !Array.isArray(grant) ||
        typeof grant[0] !== 'string' ||
        (grant[1] !== 'U' && grant[1] !== 'G') ||
        !Array.isArray(grant[2]) ||
        !grant[2].every((right) => typeof right === 'string')
      ) {
        throw new CheckpointFormatError(`is damaged (a grant of mailbox ${mailboxId})`);
      }
      const granteeId = grant[0];
      const lookupFailed = grant[3] === 1;
      records.push({
        type: 'grant',
        org,
        mailbox,
        granteeId,
        granteeType: grant[1] === 'U' ? 'USER' : 'GROUP',
        grantee: entities.get(granteeId) ?? described.get(granteeId) ?? null,
        ...(lookupFailed ? { granteeLookupFailed: true } : {}),
        rights: normalizeRights(grant[2] as Right[]),
        readAt,
      });
    }
    done.set(mailboxId, records);
    mailboxReadAt.set(mailboxId, readAt);
    if (readAt.getTime() > lastReadAt.getTime()) lastReadAt = readAt;
  }
  return { key, startedAt, directory, done, mailboxReadAt, lastReadAt, described, mailboxesTotal: entities.size };
}

/**
 * Appends a scan's progress to its checkpoint file. Writing is synchronous and one line per
 * mailbox, so a process killed at any moment leaves every finished mailbox in the file. A failure
 * to write (disk full, folder gone) stops checkpointing, never the scan: `problem` says why.
 */
export class CheckpointWriter {
  private fd: number | undefined;
  private broken: string | undefined;
  private finished = false;

  constructor(
    readonly file: string,
    private readonly key: CheckpointKey,
    private readonly now: () => Date = () => new Date(),
    /** Create the file's folder if missing (the extension's storage); otherwise it must exist. */
    private readonly createFolder = false,
  ) {}

  /** Why checkpointing stopped, if it did. */
  get problem(): string | undefined {
    return this.broken;
  }

  /** A fresh scan that started at `startedAt`: replaces any earlier file with the header and the directory. */
  start(directory: Directory, startedAt: Date = this.now()): void {
    this.guard(() => {
      if (this.createFolder) {
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
      }
      // Written whole under another name, then renamed, so a kill here leaves no half directory.
      const temporary = `${this.file}.${process.pid}.partial`;
      const fd = fs.openSync(temporary, 'w', 0o600);
      try {
        const write = (value: unknown): void => {
          fs.writeSync(fd, `${JSON.stringify(value)}\n`);
        };
        write({ kind: CHECKPOINT_KIND, version: CHECKPOINT_VERSION, key: this.key, startedAt: startedAt.toISOString() });
        for (const [kind, list] of [['user', directory.users], ['group', directory.groups], ['resource', directory.resources]] as const) {
          for (let i = 0; i < list.length; i += ENTITIES_PER_LINE) {
            write({ entities: kind, items: list.slice(i, i + ENTITIES_PER_LINE) });
          }
        }
        write({ directory: 'complete', users: directory.users.length, groups: directory.groups.length, resources: directory.resources.length });
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temporary, this.file);
      this.fd = fs.openSync(this.file, 'a');
    });
  }

  /** A resumed scan: appends to the file it was resumed from. */
  continue(): void {
    this.guard(() => {
      this.fd = fs.openSync(this.file, 'a');
    });
  }

  /** A mailbox read at `readAt` (its grants' last page), with its records. */
  mailboxDone(mailbox: DirectoryEntity, records: readonly ScanRecord[], readAt: Date): void {
    if (records.some((record) => record.type === 'failure')) {
      // Not read: a resumed scan reads it again.
      return;
    }
    const grants = records.map((record) => {
      const grant = record as GrantRecord;
      const row: unknown[] = [grant.granteeId, grant.granteeType === 'USER' ? 'U' : 'G', grant.rights];
      if (grant.granteeLookupFailed) row.push(1);
      return row;
    });
    this.append({ mailbox: mailbox.id, readAt: readAt.toISOString(), grants });
  }

  described(id: string, entity: DirectoryEntity | null): void {
    this.append({ described: id, entity });
  }

  /** The scan read everything: the checkpoint has served its purpose. */
  complete(): void {
    this.close();
    this.finished = true;
    try {
      fs.rmSync(this.file, { force: true });
    } catch (err) {
      this.broken = `could not delete ${this.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
    }
  }

  /** Stops writing and keeps the file (a cancelled or failed scan). */
  close(): void {
    if (this.fd !== undefined) {
      const fd = this.fd;
      this.fd = undefined;
      try {
        fs.closeSync(fd);
      } catch {
        // Nothing more to write to it either way.
      }
    }
  }

  get completed(): boolean {
    return this.finished;
  }

  private append(value: unknown): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.guard(() => {
      fs.writeSync(fd, `${JSON.stringify(value)}\n`);
    });
  }

  private guard(work: () => void): void {
    if (this.broken !== undefined) return;
    try {
      work();
    } catch (err) {
      this.broken = `could not write the scan checkpoint ${this.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
      this.close();
    }
  }
}

/** Deletes a checkpoint the person chose not to resume. */
export function discardCheckpoint(file: string): void {
  fs.rmSync(file, { force: true });
}
