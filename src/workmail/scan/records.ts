// What a scan produces: one record per grant or unreadable mailbox, the directory they name, and
// the finished scan held in memory. Types only, kept apart from the engine so the checkpoint
// (which stores and replays these records), the exporters and the reports need not import the
// engine, and the engine, which writes the checkpoint, need not import them back.
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
