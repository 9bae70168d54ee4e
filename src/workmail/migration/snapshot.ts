// The migration snapshot: a scan saved as one versioned JSON file (docs/SNAPSHOT.md), so scripts,
// waves and verification run from the file without WorkMail, and so the record of who had access
// outlives WorkMail itself (2027-03-31).
//
// - snapshotFromScan: a finished scan plus every group's direct members (ListGroupMembers, read
//   with the same session) and the other routes (loadRoutes: booking delegates and options,
//   impersonation roles, access rules) and every entity's aliases (loadAliases, one ListAliases
//   walk per entity with an address); a group, route or entity's aliases that cannot be read is
//   kept with the reason, never shown as empty.
// - writeSnapshot: streamed, one entity or grant per line (diffable, and never one huge string),
//   through a temporary file renamed at the end, so a failed write leaves no half file.
// - readSnapshot: validated on load (snapshotSchema.ts, then the checks that need the whole file);
//   the error names the file and the field, and says what to do. Older versions still load (a
//   version 1 file has no routes: snapshotRoutes.ts's recordedRoutes says so to whoever asks).
import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
// The ES module build: the package's default (UMD) build loads its parts with a require that
// esbuild cannot follow, which breaks the bundles.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { version as PACKAGE_VERSION } from '../../../package.json';
import { WorkMailError } from '../errors';
import { writeFileWhole } from '../files';
import { loadAliases, type LoadedAliases } from '../aliases';
import { loadMembership, type LoadedMembership } from '../groups';
import { loadRoutes, type OrganizationRoutes } from '../routes/load';
import type { OrganizationScan } from '../scan/records';
import type { WorkMailSession } from '../session';
import type { DirectoryEntity, Organization } from '../types';
import {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  SNAPSHOT_VERSIONS,
  type Snapshot,
  type SnapshotEntity,
  type SnapshotGrant,
  type SnapshotMailboxRead,
  type SnapshotOrganization,
  type SnapshotUnreadMailbox,
} from './schema';
import * as v from 'valibot';
import { issueText, SNAPSHOT_SCHEMA } from './snapshotSchema';
import { routeProblems, snapshotRoutes } from './snapshotRoutes';
import { aliasFields, aliasProblems, entitiesWithoutAliases } from './snapshotAliases';
import { counted } from '../plural';

export const WRITTEN_BY = `workmail-permissions ${PACKAGE_VERSION}`;

export interface SnapshotOptions {
  /** What the organization list said about it (alias, state, default mail domain). */
  readonly organization?: Partial<Pick<Organization, 'alias' | 'state' | 'defaultMailDomain'>>;
  /** Group members already read with this scan; read with `session` when absent. */
  readonly membership?: LoadedMembership;
  /** The routes already read with this scan (e.g. the extension's routesOfScan); read with `session.routes` when absent. */
  readonly routes?: OrganizationRoutes;
  /** Every entity's aliases already read with this scan; read with `session` when absent. */
  readonly aliases?: LoadedAliases;
  /**
   * For a comparison that does not look at aliases (drift against a baseline): not read, one call
   * per entity saved. Such a snapshot cannot be written to a file (writeSnapshotTo refuses it).
   */
  readonly withoutAliases?: boolean;
  readonly signal?: AbortSignal;
  readonly pageSize?: number;
  /** Groups read at once (default 4). */
  readonly concurrency?: number;
  /** The tool stamped in the file (default: this package and version). */
  readonly writtenBy?: string;
}

/**
 * The snapshot of a finished scan. Reads every group's direct members first (unless given), so a
 * snapshot carries what waves and scripts need to expand group grantees without WorkMail, then the
 * other routes (unless given).
 */
export async function snapshotFromScan(session: WorkMailSession, scan: OrganizationScan, options: SnapshotOptions = {}): Promise<Snapshot> {
  const membership =
    options.membership ??
    (await loadMembership(session, scan.org, scan.directory.groups, { signal: options.signal, pageSize: options.pageSize ?? 100, concurrency: options.concurrency }));
  const routes = options.routes ?? (await loadRoutes(session.routes, scan.org, scan.directory.resources, { signal: options.signal, concurrency: options.concurrency }));
  const aliases = options.withoutAliases ? undefined : (options.aliases ?? (await loadAliases(session, scan.org, snapshotEntitiesOf(scan), { signal: options.signal, concurrency: options.concurrency })));
  return buildSnapshot(scan, membership, { ...options, routes, aliases });
}

/** Every entity a snapshot of the scan records: the directory's, and grantees Describe found. Whose aliases loadAliases reads. */
export function snapshotEntitiesOf(scan: OrganizationScan): DirectoryEntity[] {
  const grantees = scan.grants.flatMap((grant) => (grant.grantee ? [grant.grantee] : []));
  return [...new Map([...scan.directory.users, ...scan.directory.groups, ...scan.directory.resources, ...grantees].map((e) => [e.id, e])).values()];
}

/**
 * The same, from data already read: no calls. Without `routes` the snapshot has none, for a use
 * that never reads them (a migration script made from a fresh scan); such a snapshot is not
 * written to a file (writeSnapshotTo refuses it), since a current-version file carries its routes.
 */
export function buildSnapshot(scan: OrganizationScan, membership: LoadedMembership, options: Pick<SnapshotOptions, 'organization' | 'writtenBy' | 'routes' | 'aliases'> = {}): Snapshot {
  const unreadGroups = new Map(membership.failures.map((failure) => [failure.group.id, `${failure.error.code}: ${failure.error.message}`]));
  const entities = new Map<string, SnapshotEntity>();
  const add = (entity: DirectoryEntity): void => {
    if (entities.has(entity.id)) {
      return;
    }
    const members = entity.kind === 'group' && !unreadGroups.has(entity.id) ? membership.membership.get(entity.id) : undefined;
    entities.set(entity.id, {
      id: entity.id,
      kind: entity.kind,
      ...defined('name', entity.name),
      ...defined('displayName', entity.displayName),
      ...defined('email', entity.email || undefined),
      ...defined('state', entity.state),
      ...defined('userRole', entity.userRole),
      ...defined('resourceType', entity.resourceType),
      ...(entity.kind === 'group' && members ? { members: [...new Set(members.map((m) => m.id))].sort() } : {}),
      ...(entity.kind === 'group' && unreadGroups.has(entity.id) ? { membersUnreadable: unreadGroups.get(entity.id)! } : {}),
      ...(options.aliases ? aliasFields({ id: entity.id, email: entity.email || undefined, state: entity.state }, options.aliases) : {}),
    });
  };
  for (const entity of [...scan.directory.users, ...scan.directory.groups, ...scan.directory.resources]) {
    add(entity);
  }
  // Grantees the directory did not list but Describe found: their addresses belong in the record.
  for (const grant of scan.grants) {
    if (grant.grantee) {
      add(grant.grantee);
    }
  }
  const grants: SnapshotGrant[] = scan.grants.map((grant) => ({
    mailboxId: grant.mailbox.id,
    granteeId: grant.granteeId,
    granteeType: grant.granteeType,
    rights: [...grant.rights],
    ...(grant.grantee === null && !grant.granteeLookupFailed ? { granteeUnknown: true } : {}),
    ...(grant.granteeLookupFailed ? { granteeLookupFailed: true } : {}),
  }));
  const mailboxesRead: SnapshotMailboxRead[] = [...scan.mailboxReadAt].map(([mailboxId, readAt]) => ({ mailboxId, readAt: readAt.toISOString() }));
  const unreadMailboxes: SnapshotUnreadMailbox[] = scan.failures.map((failure) => ({ mailboxId: failure.mailbox.id, code: failure.error.code, message: failure.error.message }));
  const organization: SnapshotOrganization = {
    id: scan.org.organizationId,
    ...defined('alias', options.organization?.alias || undefined),
    region: scan.org.region,
    ...defined('state', options.organization?.state || undefined),
    ...defined('defaultMailDomain', options.organization?.defaultMailDomain || undefined),
  };
  // A stable order, so two snapshots of the same organization can be compared with diff.
  const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const kindOrder = { user: 0, group: 1, resource: 2 } as const;
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    startedAt: scan.startedAt.toISOString(),
    readAt: scan.readAt.toISOString(),
    ...(scan.resumed
      ? {
          resumed: {
            resumedAt: scan.resumed.resumedAt.toISOString(),
            checkpointWrittenAt: scan.resumed.checkpointWrittenAt.toISOString(),
            mailboxesFromCheckpoint: scan.resumed.mailboxesFromCheckpoint,
          },
        }
      : {}),
    writtenBy: options.writtenBy ?? WRITTEN_BY,
    organization,
    entities: [...entities.values()].sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || byId(a.id, b.id)),
    grants: grants.sort((a, b) => byId(a.mailboxId, b.mailboxId) || byId(a.granteeId, b.granteeId)),
    unreadMailboxes: unreadMailboxes.sort((a, b) => byId(a.mailboxId, b.mailboxId)),
    mailboxesRead: mailboxesRead.sort((a, b) => byId(a.mailboxId, b.mailboxId)),
    ...(options.routes ? { routes: snapshotRoutes(options.routes, [...entities.values()].filter((e) => e.kind === 'resource')) } : {}),
  };
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Groups whose members could not be read (their `membersUnreadable`), for reports and exit codes. */
export function unreadableGroups(snapshot: Snapshot): SnapshotEntity[] {
  return snapshot.entities.filter((entity) => entity.membersUnreadable !== undefined);
}

// ------------------------------------------------------------------------------------- writing

const CHUNK = 500;

/**
 * Writes the snapshot to `out`, streamed: the head indented, then each list one item a line (the
 * routes' lists too, inside their object). Does not end `out`.
 */
export async function writeSnapshotTo(out: Writable, snapshot: Snapshot): Promise<void> {
  if (snapshot.version === SNAPSHOT_VERSION && !snapshot.routes) {
    throw new Error(`A version ${SNAPSHOT_VERSION} snapshot file carries its routes: build it with them (snapshotFromScan reads them).`);
  }
  if (snapshot.version === SNAPSHOT_VERSION && entitiesWithoutAliases(snapshot).length > 0) {
    throw new Error(`A version ${SNAPSHOT_VERSION} snapshot file carries the aliases of every entity with an address: build it with them (snapshotFromScan reads them).`);
  }
  const put = async (chunk: string): Promise<void> => {
    if (!out.write(chunk)) {
      await once(out, 'drain');
    }
  };
  const { entities, grants, unreadMailboxes, mailboxesRead, routes, ...head } = snapshot;
  // The head as pretty JSON without its closing brace, so the long arrays can follow one item a line.
  await put(`${JSON.stringify(head, null, 2).slice(0, -2)},\n`);
  const array = async (indent: string, items: readonly unknown[]): Promise<void> => {
    await put(`[${items.length > 0 ? '\n' : ''}`);
    for (let i = 0; i < items.length; i += CHUNK) {
      const lines = items.slice(i, i + CHUNK).map((item, j) => `${indent}  ${JSON.stringify(item)}${i + j < items.length - 1 ? ',' : ''}\n`);
      await put(lines.join(''));
    }
    await put(`${items.length > 0 ? indent : ''}]`);
  };
  /** `"name": value` for each field; a list streamed, an object of lists (the routes) likewise, anything else as JSON. */
  const fields = async (indent: string, entries: ReadonlyArray<readonly [string, unknown]>): Promise<void> => {
    for (const [k, [name, value]] of entries.entries()) {
      await put(`${indent}${JSON.stringify(name)}: `);
      if (Array.isArray(value)) {
        await array(indent, value);
      } else if (name === 'routes' && value && typeof value === 'object') {
        await put('{\n');
        await fields(`${indent}  `, Object.entries(value));
        await put(`${indent}}`);
      } else {
        await put(JSON.stringify(value));
      }
      await put(`${k < entries.length - 1 ? ',' : ''}\n`);
    }
  };
  const body: Array<readonly [string, unknown]> = [
    ['entities', entities],
    ['grants', grants],
    ['unreadMailboxes', unreadMailboxes],
    ...(mailboxesRead !== undefined ? [['mailboxesRead', mailboxesRead] as const] : []),
    ...(routes !== undefined ? [['routes', routes] as const] : []),
  ];
  await fields('  ', body);
  await put('}\n');
}

/** Writes the snapshot file whole or not at all (a temporary file renamed over `file`). */
export async function writeSnapshot(file: string, snapshot: Snapshot): Promise<void> {
  await writeFileWhole(file, (out) => writeSnapshotTo(out, snapshot));
}

// ------------------------------------------------------------------------------------- reading

/** Most problems one error message lists; the rest are counted. */
const MAX_LISTED = 5;

/**
 * Reads and validates a snapshot file. Throws WorkMailError `InvalidSnapshot` naming the file and
 * the first problems by field (`grants[12].rights[0]: "READ" is not a right (...)`), or
 * `SnapshotVersion` for a file written by a newer version, or `InputError` when it cannot be read.
 */
export async function readSnapshot(file: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WorkMailError('InputError', `Could not read the snapshot ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}.`, { cause: err });
  }
  return parseSnapshot(text, file);
}

/** Validates a snapshot given as text; `file` names it in errors. */
export function parseSnapshot(text: string, file = 'the snapshot'): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new WorkMailError('InvalidSnapshot', `${file} is not a snapshot: it is not valid JSON (${jsonPosition(text, err)}). Write a new one with "workmail-permissions snapshot" or WorkMail: Save Migration Snapshot….`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw notASnapshot(file, 'it is not a JSON object');
  }
  const { format, version } = data as { format?: unknown; version?: unknown };
  if (format !== SNAPSHOT_FORMAT) {
    throw notASnapshot(file, format === undefined ? 'it has no "format" field' : `its format is ${JSON.stringify(format)}, not "${SNAPSHOT_FORMAT}"`);
  }
  if (typeof version === 'number' && Number.isInteger(version) && version > SNAPSHOT_VERSION) {
    throw new WorkMailError(
      'SnapshotVersion',
      `${file} is a version ${version} snapshot; this version of WorkMail Permissions reads versions ${SNAPSHOT_VERSIONS[0]} to ${SNAPSHOT_VERSION}. Update WorkMail Permissions (the extension or the workmail-permissions command) to read it; nothing was changed.`,
    );
  }
  if (!(SNAPSHOT_VERSIONS as readonly unknown[]).includes(version)) {
    throw invalid(file, [`version: ${JSON.stringify(version) ?? 'nothing'} is not a snapshot version (${SNAPSHOT_VERSIONS.join(', ')})`]);
  }
  const parsed = v.safeParse(SNAPSHOT_SCHEMA, data);
  if (!parsed.success) {
    throw invalid(
      file,
      parsed.issues.map(issueText),
    );
  }
  const snapshot: Snapshot = parsed.output;
  const problems = wholeFileProblems(snapshot);
  if (problems.length > 0) {
    throw invalid(file, problems);
  }
  return snapshot;
}

function notASnapshot(file: string, why: string): WorkMailError {
  return new WorkMailError(
    'InvalidSnapshot',
    `${file} is not a WorkMail Permissions snapshot: ${why}. Choose a file written by "workmail-permissions snapshot" or WorkMail: Save Migration Snapshot….`,
  );
}

function invalid(file: string, problems: readonly string[]): WorkMailError {
  const listed = problems.slice(0, MAX_LISTED).join('; ');
  const more = problems.length > MAX_LISTED ? `; and ${counted(problems.length - MAX_LISTED, 'more problem')}` : '';
  return new WorkMailError(
    'InvalidSnapshot',
    `${file} is not a valid snapshot: ${listed}${more}. The file was changed or damaged after it was written; use the original, or write a new one with "workmail-permissions snapshot". Nothing was changed.`,
  );
}

/**
 * "line 3, column 14: InvalidSymbol". JSON.parse's messages give no position on every Node
 * version, so the position comes from jsonc-parser (VS Code's own JSON scanner), run only on failure.
 */
function jsonPosition(text: string, err: unknown): string {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) {
    return err instanceof Error ? err.message : String(err);
  }
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${printParseErrorCode(first.error)}`;
}

/** What a field-by-field check cannot see: duplicates, references, fields that exclude each other. */
function wholeFileProblems(snapshot: Snapshot): string[] {
  const problems: string[] = [];
  const firstIndex = new Map<string, number>();
  const kinds = new Map<string, { kind: string; index: number }>();
  snapshot.entities.forEach((entity, i) => {
    const earlier = firstIndex.get(entity.id);
    if (earlier !== undefined) {
      problems.push(`entities[${i}].id: ${JSON.stringify(entity.id)} is also entities[${earlier}]`);
    } else {
      firstIndex.set(entity.id, i);
      kinds.set(entity.id, { kind: entity.kind, index: i });
    }
    if (entity.kind !== 'group' && (entity.members !== undefined || entity.membersUnreadable !== undefined)) {
      problems.push(`entities[${i}].${entity.members !== undefined ? 'members' : 'membersUnreadable'}: only groups have members, and this is a ${entity.kind}`);
    }
    if (entity.members !== undefined && entity.membersUnreadable !== undefined) {
      problems.push(`entities[${i}].members: a group whose members could not be read (membersUnreadable) lists none`);
    }
  });
  const pairs = new Map<string, number>();
  snapshot.grants.forEach((grant, i) => {
    if (!firstIndex.has(grant.mailboxId)) {
      problems.push(`grants[${i}].mailboxId: ${JSON.stringify(grant.mailboxId)} is not one of the entities`);
    }
    const key = `${grant.mailboxId}\u0000${grant.granteeId}`;
    const earlier = pairs.get(key);
    if (earlier !== undefined) {
      problems.push(`grants[${i}]: the same mailbox and grantee as grants[${earlier}]`);
    } else {
      pairs.set(key, i);
    }
    if (new Set(grant.rights).size !== grant.rights.length) {
      problems.push(`grants[${i}].rights: a right is listed twice`);
    }
  });
  snapshot.unreadMailboxes.forEach((unread, i) => {
    if (!firstIndex.has(unread.mailboxId)) {
      problems.push(`unreadMailboxes[${i}].mailboxId: ${JSON.stringify(unread.mailboxId)} is not one of the entities`);
    }
  });
  const readIndex = new Map<string, number>();
  (snapshot.mailboxesRead ?? []).forEach((read, i) => {
    if (!firstIndex.has(read.mailboxId)) {
      problems.push(`mailboxesRead[${i}].mailboxId: ${JSON.stringify(read.mailboxId)} is not one of the entities`);
    }
    const earlier = readIndex.get(read.mailboxId);
    if (earlier !== undefined) {
      problems.push(`mailboxesRead[${i}].mailboxId: ${JSON.stringify(read.mailboxId)} is also mailboxesRead[${earlier}]`);
    } else {
      readIndex.set(read.mailboxId, i);
    }
  });
  if (snapshot.routes) {
    problems.push(...routeProblems(snapshot.routes, kinds));
  }
  if (snapshot.version >= 3) {
    problems.push(...aliasProblems(snapshot.entities));
  }
  return problems;
}
