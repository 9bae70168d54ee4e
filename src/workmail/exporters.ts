// CSV and JSON exports of a scan: one row per mailbox and grantee, in a stable order.
//
// Stable order needs every row before the first is written, so records are grouped by mailbox
// as they arrive (small objects that share their directory entities: 50k grants is a few MB),
// the mailboxes are sorted once, and each mailbox's rows are sorted, formatted and written as
// one small chunk, waiting for the stream to drain. The text of the export is never held whole,
// which is what matters for 10k mailboxes; an external sort is not worth it at WorkMail's scale
// (1,000 users per organization by default).
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { GrantRecord, MailboxFailureRecord, ResumedScan, ScanRecord, OrganizationScan } from './scan/records';
import { compareEntities, compareMailboxes } from './scanOrder';
import type { DirectoryEntity, OrgRef, Right } from './types';

// Names and addresses first, so the columns a spreadsheet shows on opening say who can open what;
// kinds and states next; the IDs (for scripts and joins), then when the mailbox was read, last: a
// resumed scan reads its mailboxes hours or days apart, and a CSV has no header to say so.
export const EXPORT_COLUMNS = [
  'mailbox_name',
  'mailbox_email',
  'grantee_name',
  'grantee_email',
  'rights',
  'mailbox_kind',
  'mailbox_state',
  'grantee_kind',
  'grantee_state',
  'organization',
  'mailbox_id',
  'grantee_id',
  'read_at',
] as const;

export interface ExportRow {
  readonly organization: string;
  readonly mailboxId: string;
  readonly mailboxName: string;
  readonly mailboxEmail: string;
  readonly mailboxKind: string;
  readonly mailboxState: string;
  readonly granteeId: string;
  readonly granteeName: string;
  readonly granteeEmail: string;
  readonly granteeKind: string;
  /** ENABLED, DISABLED, DELETED; UNKNOWN when WorkMail does not know the ID; LOOKUP_FAILED when it could not be asked. */
  readonly granteeState: string;
  readonly rights: readonly Right[];
  /** When the mailbox's grants were read (ISO 8601). */
  readonly readAt: string;
}

export function toRow(record: GrantRecord): ExportRow {
  const { mailbox, grantee } = record;
  return {
    organization: record.org.organizationId,
    mailboxId: mailbox.id,
    mailboxName: mailbox.name ?? '',
    mailboxEmail: mailbox.email ?? '',
    mailboxKind: mailbox.kind,
    mailboxState: mailbox.state ?? '',
    granteeId: record.granteeId,
    granteeName: grantee?.name ?? '',
    granteeEmail: grantee?.email ?? '',
    granteeKind: grantee?.kind ?? record.granteeType.toLowerCase(),
    granteeState: grantee ? (grantee.state ?? '') : record.granteeLookupFailed ? 'LOOKUP_FAILED' : 'UNKNOWN',
    rights: record.rights,
    readAt: record.readAt.toISOString(),
  };
}

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
  readonly rows: number;
  readonly mailboxes: number;
  /** Mailboxes whose permissions could not be read: missing from the rows, never silently. */
  readonly failures: readonly MailboxFailureRecord[];
}

// Spreadsheets run cells starting with these as formulas; tab and CR are included per OWASP.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-guarded, then quoted per RFC 4180 when needed. */
export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

function csvLine(values: readonly string[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

function rowValues(row: ExportRow): string[] {
  const values: Record<(typeof EXPORT_COLUMNS)[number], string> = {
    mailbox_name: row.mailboxName,
    mailbox_email: row.mailboxEmail,
    grantee_name: row.granteeName,
    grantee_email: row.granteeEmail,
    rights: row.rights.join(';'),
    mailbox_kind: row.mailboxKind,
    mailbox_state: row.mailboxState,
    grantee_kind: row.granteeKind,
    grantee_state: row.granteeState,
    organization: row.organization,
    mailbox_id: row.mailboxId,
    grantee_id: row.granteeId,
    read_at: row.readAt,
  };
  return EXPORT_COLUMNS.map((column) => values[column]);
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) {
    await once(out, 'drain');
  }
}

async function sorted(source: SortedScan | AsyncIterable<ScanRecord> | Iterable<ScanRecord>): Promise<SortedScan> {
  return 'mailboxes' in source && 'grantCount' in source ? source : sortScan(source as AsyncIterable<ScanRecord> | Iterable<ScanRecord>);
}

/** Writes the CSV (header and rows, CRLF line ends). Does not end `out`. */
export async function writeCsv(source: SortedScan | AsyncIterable<ScanRecord> | Iterable<ScanRecord>, out: Writable): Promise<ExportSummary> {
  const scan = await sorted(source);
  await write(out, csvLine(EXPORT_COLUMNS));
  let rows = 0;
  for (const { grants } of scan.mailboxes) {
    await write(out, grants.map((record) => csvLine(rowValues(toRow(record)))).join(''));
    rows += grants.length;
  }
  return { rows, mailboxes: scan.mailboxes.length, failures: scan.failures };
}

export interface JsonExportOptions {
  readonly organization: OrgRef & { readonly alias?: string };
  /** When the reading started; omitted from the document when absent. */
  readonly startedAt?: Date;
  /** When the reading ended (the last mailbox was read); omitted from the document when absent. */
  readonly readAt?: Date;
  /** How a resumed scan came together; absent for a scan that ran through. */
  readonly resumed?: ResumedScan;
}

/** The JSON export's times, from the scan they come from. */
export function exportTimes(scan: Pick<OrganizationScan, 'startedAt' | 'readAt' | 'resumed'>): Pick<JsonExportOptions, 'startedAt' | 'readAt' | 'resumed'> {
  return { startedAt: scan.startedAt, readAt: scan.readAt, ...(scan.resumed ? { resumed: scan.resumed } : {}) };
}

/**
 * Writes `{ organization, startedAt, readAt, resumed?, grants: [row...], failures: [...] }`, one
 * row per line, so the document can be streamed and diffed. Does not end `out`.
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
  await write(out, `${failures.length > 0 ? `\n${failures.join(',\n')}\n` : ''}]\n}\n`);
  return { rows, mailboxes: scan.mailboxes.length, failures: scan.failures };
}
