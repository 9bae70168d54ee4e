// The shapes a migration is made from, shared by the snapshot file, the address mapping, the
// waves, every destination's script and the verification after cutover. Plain data only: a
// snapshot file is read back into exactly these types (after validation), so scripts, waves and
// verification run from the file alone, without WorkMail (after 2027-03-31 the file is the only
// record of who had access).
//
// docs/SNAPSHOT.md documents the file; bump SNAPSHOT_VERSION on any change that an older reader
// would misread, and keep reading older versions.
import type { AccessRuleRecord } from '../routes/accessRules';
import type { DirectoryEntity, Right } from '../types';

export const SNAPSHOT_FORMAT = 'workmail-permissions-snapshot';
/** The version this product writes: 2 added `routes`, 3 every entity's `aliases`. */
export const SNAPSHOT_VERSION = 3;
/** Every version this product reads (docs/SNAPSHOT.md, "Versions"). */
export const SNAPSHOT_VERSIONS = [1, 2, 3] as const;
export type SnapshotVersion = (typeof SNAPSHOT_VERSIONS)[number];

export interface SnapshotOrganization {
  readonly id: string;
  readonly alias?: string;
  readonly region: string;
  /** As DescribeOrganization reported it, when it could be read. */
  readonly state?: string;
  readonly defaultMailDomain?: string;
}

/** A directory entity as listed (`email` absent for entities without one: system users, some disabled users). */
export interface SnapshotEntity extends DirectoryEntity {
  /** Groups only: IDs of direct members (users and groups). Absent when not read. */
  readonly members?: readonly string[];
  /** Groups only: why the members could not be read (then `members` is absent). */
  readonly membersUnreadable?: string;
  /**
   * Version 3 on, on every entity with an `email`: its other addresses (ListAliases), sorted, each
   * once, never the primary one; `[]`: none. Absent when they could not be read (then
   * `aliasesUnreadable` says why): unknown, not none. Read them through `recordedAliases`.
   */
  readonly aliases?: readonly string[];
  readonly aliasesUnreadable?: string;
}

export interface SnapshotGrant {
  /** ID of the mailbox's owner entity (user, group or resource). */
  readonly mailboxId: string;
  readonly granteeId: string;
  readonly granteeType: 'USER' | 'GROUP';
  readonly rights: readonly Right[];
  /** The grantee ID is not in the directory (deleted or never there). */
  readonly granteeUnknown?: boolean;
  /** The grantee could not be looked up during the scan: unknown is "not known", not "gone". */
  readonly granteeLookupFailed?: boolean;
}

export interface SnapshotUnreadMailbox {
  readonly mailboxId: string;
  /** The error code the product gave the failure (e.g. ThrottlingException, AccessDenied). */
  readonly code: string;
  readonly message: string;
}

/** How a scan resumed from a checkpoint came together (ISO 8601 times). */
export interface SnapshotResumed {
  /** When the scan was resumed. */
  readonly resumedAt: string;
  /** When the interrupted part read its last mailbox: it read between `startedAt` and this. */
  readonly checkpointWrittenAt: string;
  /** Mailboxes whose grants were read by the interrupted part. */
  readonly mailboxesFromCheckpoint: number;
}

/** When one mailbox's grants were read. */
export interface SnapshotMailboxRead {
  readonly mailboxId: string;
  readonly readAt: string;
}

/** A user or group that receives a resource's booking requests (ListResourceDelegates). */
export interface SnapshotBookingDelegate {
  readonly id: string;
  readonly type: 'USER' | 'GROUP';
}

/** DescribeResource's BookingOptions, each flag as WorkMail gave it (absent: not given). */
export interface SnapshotBookingOptions {
  readonly autoAcceptRequests?: boolean;
  readonly autoDeclineRecurringRequests?: boolean;
  readonly autoDeclineConflictingRequests?: boolean;
}

/** One room or equipment: its booking delegates and options, or why each could not be read. */
export interface SnapshotResourceRoutes {
  readonly resourceId: string;
  /** Absent when they could not be read (then `delegatesUnreadable` says why): unknown, not none. */
  readonly delegates?: readonly SnapshotBookingDelegate[];
  readonly delegatesUnreadable?: string;
  /** Absent when WorkMail gave none, or when they could not be read (then `bookingOptionsUnreadable`). */
  readonly bookingOptions?: SnapshotBookingOptions;
  readonly bookingOptionsUnreadable?: string;
}

export interface SnapshotImpersonationRule {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly effect: 'ALLOW' | 'DENY';
  /** As the rule names them (IDs, names or addresses); absent: every user. */
  readonly targetUsers?: readonly string[];
  readonly notTargetUsers?: readonly string[];
}

export interface SnapshotImpersonationRole {
  readonly id: string;
  readonly name: string;
  readonly type: 'FULL_ACCESS' | 'READ_ONLY';
  readonly description?: string;
  /** Absent when they could not be read; with `rulesUnreadable`, only those that could be. */
  readonly rules?: readonly SnapshotImpersonationRule[];
  readonly rulesUnreadable?: string;
  readonly dateCreated?: string;
  readonly dateModified?: string;
}

/** An access rule as WorkMail listed it (routes/accessRules.ts declares its fields), dates as text. */
export type SnapshotAccessRule = AccessRuleRecord & {
  /** The rule with no condition at all, which allows everyone everything (every organization starts with it). */
  readonly default?: true;
};

/**
 * The other routes into the organization's mailboxes, as one read found them. A part that could
 * not be read is recorded as such (`…Unreadable`, with the reason): unknown, never empty.
 */
export interface SnapshotRoutes {
  /** One per resource of `entities`. */
  readonly resources: readonly SnapshotResourceRoutes[];
  /** Absent when the list could not be read (then `impersonationRolesUnreadable`). */
  readonly impersonationRoles?: readonly SnapshotImpersonationRole[];
  readonly impersonationRolesUnreadable?: string;
  /** In WorkMail's order, the order it evaluates them in. Absent when they could not be read; with `accessRulesUnreadable`, only those that could be. */
  readonly accessRules?: readonly SnapshotAccessRule[];
  readonly accessRulesUnreadable?: string;
}

/** The whole file. Field order in the written JSON follows this declaration. */
export interface Snapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  /** What this product writes is SNAPSHOT_VERSION; an older file keeps its own. */
  readonly version: SnapshotVersion;
  /** ISO 8601 times: when the scan started and when its last mailbox was read. */
  readonly startedAt: string;
  readonly readAt: string;
  /** Present when the scan was resumed from a checkpoint: it was read in parts, at different times. */
  readonly resumed?: SnapshotResumed;
  /** The tool and version that wrote it, for whoever reads the record later. */
  readonly writtenBy: string;
  readonly organization: SnapshotOrganization;
  /** Every user, group and resource the directory listed, whatever its state. */
  readonly entities: readonly SnapshotEntity[];
  /** One entry per (mailbox, grantee) as ListMailboxPermissions reported it. */
  readonly grants: readonly SnapshotGrant[];
  /** Every mailbox whose permissions could not be read: its grants are unknown, not absent. */
  readonly unreadMailboxes: readonly SnapshotUnreadMailbox[];
  /** When each mailbox read was read (absent in files written before it was recorded). */
  readonly mailboxesRead?: readonly SnapshotMailboxRead[];
  /**
   * Version 2 on, always present there: booking delegates and options, impersonation roles and
   * access rules. A version 1 file has none (it did not record them): read them through
   * `recordedRoutes`, which says so.
   */
  readonly routes?: SnapshotRoutes;
}

/**
 * The address mapping: WorkMail address or entity ID → destination address. Loaded from a CSV the
 * administrator edits. Look-ups are by entity: `destinationOf` answers for an entity of the
 * snapshot, or undefined when no row maps it (never guessed).
 */
export interface AddressMapping {
  destinationOf(entity: SnapshotEntity): string | undefined;
  /**
   * The rows that map the entity's aliases (`alias` as the snapshot records it), those with a
   * destination only. Optional: a mapping made in code (the unchanged addresses) maps none.
   */
  aliasesOf?(entity: SnapshotEntity): readonly { readonly alias: string; readonly destination: string }[];
  /** Rows that name nobody in the snapshot, with their line numbers, for the report. */
  readonly unmatchedRows: readonly { readonly line: number; readonly source: string; readonly destination: string }[];
}
