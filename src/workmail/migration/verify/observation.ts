// What a destination's exports say it holds, in one shape for every destination: delegations as
// (owner address, grantee address, destination right), which rights and mailboxes the exports
// cover, and every value that could not be resolved to an address (never silently dropped).
import { normalAddress } from './csv';

export interface Observed {
  readonly mailbox: string;
  readonly grantee: string;
  /** The destination's right, as the plan names it (FullAccess, delegate, storeAccess, …). */
  readonly right: string;
  /** Present but not in force yet, e.g. a Gmail send-as address waiting for verification. */
  readonly pending?: string;
  readonly file: string;
  readonly line: number;
}

export interface Unresolved {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly value: string;
  /** The mailbox the row is about, when that much could be resolved. */
  readonly mailbox?: string;
  readonly reason: string;
}

/** A resource's booking settings as one export row shows them (Exchange's Get-CalendarProcessing). */
export interface ObservedSettings {
  /** By lower-cased column name; a column the export does not have is absent. */
  readonly values: ReadonlyMap<string, string>;
  readonly file: string;
  readonly line: number;
}

export interface ExportSummary {
  readonly file: string;
  /** What the file was recognised as, e.g. "Get-EXOMailboxPermission". */
  readonly kind: string;
  readonly rows: number;
}

export interface Observation {
  readonly delegations: Observed[];
  /** Destination rights the given exports show; a planned delegation of another right is not checked. */
  readonly covered: Set<string>;
  /**
   * Per right, the mailboxes the exports have rows for, when an export lists every mailbox it read
   * (Exchange always lists NT AUTHORITY\SELF; grommunio's read-back has a line per mailbox). A
   * planned mailbox absent there was not read, which is not the same as missing.
   */
  readonly readMailboxes: Map<string, Set<string>>;
  /** `mailbox|right` whose answer was an error: not checked, with the reason. */
  readonly unreadable: Map<string, string>;
  readonly unresolved: Unresolved[];
  /** Per resource address, its booking settings (the first row that shows them). */
  readonly settings: Map<string, ObservedSettings>;
  readonly files: ExportSummary[];
  /** Said in the report (e.g. that a checklist is the administrator's word). */
  readonly notes: string[];
  /** The form addresses are compared in (Exchange: the recipient's primary address, when known). */
  canonical(address: string): string;
}

export function emptyObservation(canonical: (address: string) => string = normalAddress): Observation {
  return { delegations: [], covered: new Set(), readMailboxes: new Map(), unreadable: new Map(), unresolved: [], settings: new Map(), files: [], notes: [], canonical };
}

export function markRead(observation: Observation, right: string, mailbox: string): void {
  const set = observation.readMailboxes.get(right) ?? new Set<string>();
  set.add(mailbox);
  observation.readMailboxes.set(right, set);
}
