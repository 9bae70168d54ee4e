// What a verification finds: each delegation sorted into a status, the counts, and the exit code
// the command line returns. Its own file, so that the comparison (index.ts) and the report
// (report.ts) both read the shapes without importing each other.
import type { DestinationPlan, DestinationTarget, NotCarried } from '../destinations';
import type { AddressMapping } from '../schema';
import type { ExportSummary, Unresolved } from './observation';

export type VerifyStatus = 'arrived' | 'missing' | 'not-checked' | 'extra';

export interface VerifyItem {
  readonly status: VerifyStatus;
  readonly mailbox: string;
  readonly grantee: string;
  /** The destination's right. */
  readonly right: string;
  /** The WorkMail rights the delegation carries, or BOOKING_DELEGATE (and the group it came through); empty for an extra one. */
  readonly carries: readonly string[];
  readonly mailboxId?: string;
  readonly granteeId?: string;
  readonly detail?: string;
  /** file:line of the export row that showed it. */
  readonly source?: string;
}

export interface VerifyCounts {
  readonly arrived: number;
  readonly missing: number;
  readonly notChecked: number;
  readonly extra: number;
  readonly notMappable: number;
  readonly notCarried: number;
  readonly unread: number;
  readonly unresolved: number;
}

export interface VerificationResult {
  readonly target: DestinationTarget;
  readonly plan: DestinationPlan;
  readonly items: readonly VerifyItem[];
  readonly notCarried: readonly NotCarried[];
  readonly unresolved: readonly Unresolved[];
  readonly files: readonly ExportSummary[];
  readonly notes: readonly string[];
  readonly unmatchedMappingRows: AddressMapping['unmatchedRows'];
  readonly counts: VerifyCounts;
  readonly partial: boolean;
  readonly exitCode: 0 | 3 | 4;
}

export const VERIFY_EXIT = { arrived: 0, partial: 3, missing: 4 } as const;
