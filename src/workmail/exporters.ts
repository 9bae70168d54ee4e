// CSV and JSON exports of a scan: one row per mailbox and grantee, in a stable order, then the
// other routes into a mailbox (booking delegates, applications; see exportRoutes.ts for why each is
// the row it is) and, in a section of their own, the access rules: in the JSON document an array,
// beside a CSV a second file (accessRulesFileBeside), since a CSV holds one table.
//
// Stable order needs every row before the first is written, so records are grouped by mailbox
// as they arrive (small objects that share their directory entities: 50k grants is a few MB),
// the mailboxes are sorted once, and each mailbox's rows are sorted, formatted and written as
// one small chunk, waiting for the stream to drain. The text of the export is never held whole,
// which is what matters for 10k mailboxes; an external sort is not worth it at WorkMail's scale
// (1,000 users per organization by default).
import { once } from 'node:events';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { EXPORT_COLUMNS, csvLine, rowValues, toRow } from './exportRows';
import { ACCESS_RULE_COLUMNS, accessRuleExports, accessRuleValues, delegateRows, roleExports, unreadRoutes, type RoutesForExport, type UnreadRoute } from './exportRoutes';
import type { GrantRecord, MailboxFailureRecord, ResumedScan, ScanRecord, OrganizationScan } from './scan/records';
import { compareEntities, compareMailboxes } from './scanOrder';
import type { DirectoryEntity, OrgRef } from './types';

export { EXPORT_COLUMNS, csvCell, toRow, type ExportRoute, type ExportRow } from './exportRows';
export { ACCESS_RULE_COLUMNS, type RoutesForExport, type UnreadRoute } from './exportRoutes';

export interface MailboxGrants {
  readonly mailbox: DirectoryEntity;
  readonly grants: GrantRecord[];
}

/** A scan grouped by mailbox, in report order. */
export interface SortedScan {
  readonly mailboxes: readonly MailboxGrants[];
  readonly failures: readonly MailboxFailureRecord[];
  readonly grantCount: number;
}

export async function sortScan(source: AsyncIterable<ScanRecord> | Iterable<ScanRecord>): Promise<SortedScan> {
  const byMailbox = new Map<string, MailboxGrants>();
  const failures: MailboxFailureRecord[] = [];
  let grantCount = 0;
  for await (const record of source) {
    if (record.type === 'failure') {
      failures.push(record);
      continue;
    }
    grantCount++;
    let entry = byMailbox.get(record.mailbox.id);
    if (!entry) {
      byMailbox.set(record.mailbox.id, (entry = { mailbox: record.mailbox, grants: [] }));
    }
    entry.grants.push(record);
  }
  const mailboxes = [...byMailbox.values()].sort((a, b) => compareMailboxes(a.mailbox, b.mailbox));
  for (const entry of mailboxes) {
    entry.grants.sort((a, b) => compareEntities(a.grantee, a.granteeId, b.grantee, b.granteeId));
  }
  failures.sort((a, b) => compareMailboxes(a.mailbox, b.mailbox));
  return { mailboxes, failures, grantCount };
}

export interface ExportSummary {
  /** Mailbox permissions written. */
  readonly rows: number;
  readonly mailboxes: number;
  /** Mailboxes whose permissions could not be read: missing from the rows, never silently. */
  readonly failures: readonly MailboxFailureRecord[];
  /** Booking delegate rows (resource and delegate); 0 when no routes were given. */
  readonly bookingDelegates: number;
  /** Application rows (impersonation roles). */
  readonly applications: number;
  /** Parts of the routes that could not be read (missing from the export, and named in it). */
  readonly unreadRoutes: readonly UnreadRoute[];
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) {
    await once(out, 'drain');
  }
}

async function sorted(source: SortedScan | AsyncIterable<ScanRecord> | Iterable<ScanRecord>): Promise<SortedScan> {
  return 'mailboxes' in source && 'grantCount' in source ? source : sortScan(source as AsyncIterable<ScanRecord> | Iterable<ScanRecord>);
}

/**
 * Writes the CSV (header and rows, CRLF line ends): the permissions, then, when `routes` are given,
 * the booking delegates and the applications. Does not end `out`. The access rules go in a file of
 * their own (writeAccessRulesCsv).
 */
export async function writeCsv(source: SortedScan | AsyncIterable<ScanRecord> | Iterable<ScanRecord>, out: Writable, routes?: RoutesForExport): Promise<ExportSummary> {
  const scan = await sorted(source);
  await write(out, csvLine(EXPORT_COLUMNS));
  let rows = 0;
  for (const { grants } of scan.mailboxes) {
    await write(out, grants.map((record) => csvLine(rowValues(toRow(record)))).join(''));
    rows += grants.length;
  }
  const delegates = routes ? delegateRows(routes) : [];
  const roles = routes ? roleExports(routes) : [];
  if (delegates.length + roles.length > 0) {
    await write(out, [...delegates, ...roles.map((role) => role.row)].map((row) => csvLine(rowValues(row))).join(''));
  }
  return { rows, mailboxes: scan.mailboxes.length, failures: scan.failures, bookingDelegates: delegates.length, applications: roles.length, unreadRoutes: routes ? unreadRoutes(routes.routes) : [] };
}

/**
 * The access rules' file beside a CSV export: `grants.csv` → `grants-access-rules.csv`, in the
 * same folder, so the two are found, copied and sorted together.
 */
export function accessRulesFileBeside(exportFile: string): string {
  const parsed = path.parse(exportFile);
  return path.join(parsed.dir, `${parsed.name}-access-rules.csv`);
}

/**
 * Writes the access rules as CSV, one a line in WorkMail's order, the default rule marked; returns
 * how many, or undefined (and writes nothing) when they could not be read: an empty file would say
 * "no rules", which in WorkMail means every mailbox is blocked. Does not end `out`.
 */
export async function writeAccessRulesCsv(routes: RoutesForExport, out: Writable): Promise<number | undefined> {
  const rules = accessRuleExports(routes);
  if (!rules) return undefined;
  await write(out, [ACCESS_RULE_COLUMNS, ...accessRuleValues(routes, rules)].map(csvLine).join(''));
  return rules.length;
}

export interface JsonExportOptions {
  readonly organization: OrgRef & { readonly alias?: string };
  /** When the reading started; omitted from the document when absent. */
  readonly startedAt?: Date;
  /** When the reading ended (the last mailbox was read); omitted from the document when absent. */
  readonly readAt?: Date;
  /** How a resumed scan came together; absent for a scan that ran through. */
  readonly resumed?: ResumedScan;
  /** The other routes: written after the failures when given. */
  readonly routes?: RoutesForExport;
}

/** The JSON export's times, from the scan they come from. */
export function exportTimes(scan: Pick<OrganizationScan, 'startedAt' | 'readAt' | 'resumed'>): Pick<JsonExportOptions, 'startedAt' | 'readAt' | 'resumed'> {
  return { startedAt: scan.startedAt, readAt: scan.readAt, ...(scan.resumed ? { resumed: scan.resumed } : {}) };
}

/**
 * Writes `{ organization, startedAt, readAt, resumed?, grants: [row...], failures: [...] }`, then,
 * with routes, `bookingDelegates: [row...], impersonationRoles: [...], accessRules: [...] | null
 * (null: they could not be read), unread: [...]`, one row per line, so the document can be streamed
 * and diffed. Does not end `out`.
 */
export async function writeJson(
  source: SortedScan | AsyncIterable<ScanRecord> | Iterable<ScanRecord>,
  out: Writable,
  options: JsonExportOptions,
): Promise<ExportSummary> {
  const scan = await sorted(source);
  const { organization } = options;
  const head = {
    organization: { id: organization.organizationId, region: organization.region, ...(organization.alias ? { alias: organization.alias } : {}) },
    ...(options.startedAt ? { startedAt: options.startedAt.toISOString() } : {}),
    ...(options.readAt ? { readAt: options.readAt.toISOString() } : {}),
    ...(options.resumed
      ? {
          resumed: {
            resumedAt: options.resumed.resumedAt.toISOString(),
            checkpointWrittenAt: options.resumed.checkpointWrittenAt.toISOString(),
            mailboxesFromCheckpoint: options.resumed.mailboxesFromCheckpoint,
          },
        }
      : {}),
  };
  // The head is an object literal written without its closing brace, so the arrays can follow.
  await write(out, `${JSON.stringify(head).slice(0, -1)},\n"grants": [`);
  let rows = 0;
  for (const { grants } of scan.mailboxes) {
    const chunk = grants.map((record) => `${rows++ === 0 ? '\n' : ',\n'}${JSON.stringify(toRow(record))}`).join('');
    await write(out, chunk);
  }
  await write(out, `${rows > 0 ? '\n' : ''}],\n"failures": [`);
  const failures = scan.failures.map((failure) =>
    JSON.stringify({
      mailboxId: failure.mailbox.id,
      mailboxName: failure.mailbox.name ?? '',
      mailboxEmail: failure.mailbox.email ?? '',
      mailboxKind: failure.mailbox.kind,
      code: failure.error.code,
      message: failure.error.message,
    }),
  );
  await write(out, `${failures.length > 0 ? `\n${failures.join(',\n')}\n` : ''}]`);
  const routes = options.routes;
  const delegates = routes ? delegateRows(routes) : [];
  const roles = routes ? roleExports(routes) : [];
  const unread = routes ? unreadRoutes(routes.routes) : [];
  if (routes) {
    const rules = accessRuleExports(routes);
    const lines = (items: readonly unknown[]): string => (items.length > 0 ? `\n${items.map((item) => JSON.stringify(item)).join(',\n')}\n` : '');
    await write(
      out,
      `,\n"bookingDelegates": [${lines(delegates)}],\n"impersonationRoles": [${lines(roles.map((role) => role.entry))}],\n"accessRules": ${rules ? `[${lines(rules)}]` : 'null'},\n"unread": [${lines(unread)}]`,
    );
  }
  await write(out, '\n}\n');
  return { rows, mailboxes: scan.mailboxes.length, failures: scan.failures, bookingDelegates: delegates.length, applications: roles.length, unreadRoutes: unread };
}
