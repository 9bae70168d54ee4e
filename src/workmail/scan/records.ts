// What a scan produces: one record per grant or unreadable mailbox, and the directory they name.
// Kept apart from the scan engine so the checkpoint, which stores and replays these records, and
// the engine, which writes the checkpoint, need not import each other.
import type { WorkMailError } from '../errors';
import type { DirectoryEntity, OrgRef, Right } from '../types';

export interface GrantRecord {
  readonly type: 'grant';
  readonly org: OrgRef;
  readonly mailbox: DirectoryEntity;
  readonly granteeId: string;
  readonly granteeType: 'USER' | 'GROUP';
  /** null: WorkMail does not know this ID any more (deleted, or never in this directory). */
  readonly grantee: DirectoryEntity | null;
  /** Set when the grantee could not be looked up (throttling, network): null then means "not known", not "gone". */
  readonly granteeLookupFailed?: boolean;
  readonly rights: readonly Right[];
  /**
   * When the mailbox's grants were read (its last page answered), shared by the mailbox's records.
   * A resumed scan's records from before the interruption keep the time they were read then.
   */
  readonly readAt: Date;
}

export interface MailboxFailureRecord {
  readonly type: 'failure';
  readonly org: OrgRef;
  readonly mailbox: DirectoryEntity;
  readonly error: WorkMailError;
}

export type ScanRecord = GrantRecord | MailboxFailureRecord;

/** The organization's directory, listed once per scan; entities are shared by every record. */
export interface Directory {
  readonly entities: ReadonlyMap<string, DirectoryEntity>;
  readonly users: readonly DirectoryEntity[];
  readonly groups: readonly DirectoryEntity[];
  readonly resources: readonly DirectoryEntity[];
}

