// The rows of an export and how a CSV cell is written: the columns, one grant as a row, and the
// formula guard every cell goes through. Apart from the writers (exporters.ts) so the rows of the
// other routes (exportRoutes.ts) are made in the same shape without either importing the other.
import type { GrantRecord } from './scan/records';
import type { Right } from './types';

// Names and addresses first, so the columns a spreadsheet shows on opening say who can open what;
// kinds and states next; the IDs (for scripts and joins), then when the mailbox was read. Then the
// route (added later, so at the end: a spreadsheet or script that picks columns by position keeps
// working) and the route's details in words. A resumed scan reads its mailboxes hours or days
// apart, and a CSV has no header to say so, hence read_at on every row.
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
  'route',
  'details',
] as const;

/** How the grantee reaches the mailbox: a mailbox permission, a resource's booking delegation, an application's impersonation role. */
export type ExportRoute = 'permission' | 'booking-delegate' | 'impersonation-role';

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
  /** WorkMail's mailbox permissions only: empty for the other routes, which hold none of them. */
  readonly rights: readonly Right[];
  /** When the mailbox's grants (or the routes) were read (ISO 8601). */
  readonly readAt: string;
  readonly route: ExportRoute;
  /** The route in words: a resource's booking options, an application's kind of access. */
  readonly details?: string;
}

/** Who reaches which mailbox: what a grant and a booking delegation both name (a GrantRecord is one). */
export type RowPair = Pick<GrantRecord, 'mailbox' | 'granteeId' | 'granteeType' | 'grantee' | 'granteeLookupFailed'>;

/**
 * The organization, mailbox and grantee cells of a row, the same for every route: a grantee
 * WorkMail does not know is UNKNOWN, one that could not be looked up LOOKUP_FAILED, and its kind
 * then the type the listing gave.
 */
export function pairCells(organizationId: string, pair: RowPair): Omit<ExportRow, 'rights' | 'readAt' | 'route' | 'details'> {
  const { mailbox, grantee } = pair;
  return {
    organization: organizationId,
    mailboxId: mailbox.id,
    mailboxName: mailbox.name ?? '',
    mailboxEmail: mailbox.email ?? '',
    mailboxKind: mailbox.kind,
    mailboxState: mailbox.state ?? '',
    granteeId: pair.granteeId,
    granteeName: grantee?.name ?? '',
    granteeEmail: grantee?.email ?? '',
    granteeKind: grantee?.kind ?? pair.granteeType.toLowerCase(),
    granteeState: grantee ? (grantee.state ?? '') : pair.granteeLookupFailed ? 'LOOKUP_FAILED' : 'UNKNOWN',
  };
}

export function toRow(record: GrantRecord): ExportRow {
  return { ...pairCells(record.org.organizationId, record), rights: record.rights, readAt: record.readAt.toISOString(), route: 'permission' };
}

// Spreadsheets run cells starting with these as formulas; tab and CR are included per OWASP.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-guarded, then quoted per RFC 4180 when needed. */
export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** One CSV line of guarded cells, CRLF-ended. */
export function csvLine(values: readonly string[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export function rowValues(row: ExportRow): string[] {
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
    route: row.route,
    details: row.details ?? '',
  };
  return EXPORT_COLUMNS.map((column) => values[column]);
}
