// What the audit commands accept and return. Like the permission commands, each takes the tree's
// (node, selection) and a trailing options object naming what to do (organization, format, file),
// for scripts and tasks; each skips only its own dialog. Confirmations are never taken from here:
// questions go through the run's UI (../ui/commandUi.ts).
import type { DestinationTarget } from '../../workmail/migration/destinations';
import type { VerifyCounts } from '../../workmail/migration/verify';
import type { StaleDelegateReason, StaleRoleReason } from '../../workmail/routes/staleRoutes';
import type { StaleReason } from '../../workmail/stale';
import type { DirectoryEntity, EntityKind, Right } from '../../workmail/types';

export interface AuditCommandOptions {
  /** Organization ID or alias (palette flows, or to override the node's). */
  readonly organization?: string;
  /** Show Access of: the user or group, by name, email address or ID. */
  readonly entity?: string;
  /** Show Access of: read everything again instead of using a recent scan. */
  readonly rescan?: boolean;
  /** Export Permissions. */
  readonly format?: 'csv' | 'json';
  /** Export Permissions / Export Migration Script: the file to write (no save dialog). */
  readonly path?: string;
  /** Open what was written or found (default true). */
  readonly open?: boolean;
  /** Export Migration Script / Verify Migration: the destination (gam = google). */
  readonly target?: DestinationTarget | 'gam';
  /** Export Migration Script (instead of a scan) / Verify Migration: the snapshot file, absolute. */
  readonly snapshot?: string;
  /** The address mapping file, absolute; false keeps the WorkMail addresses (no question). */
  readonly mapping?: string | false;
  /** With `wave`: the waves file, absolute; only that wave's mailboxes. */
  readonly waves?: string;
  readonly wave?: number;
  /** Exchange only: the script runs with -WhatIf unless called with -WhatIf:$false. */
  readonly whatIf?: boolean;
  /** Google only: SEND_ON_BEHALF alone becomes a delegate ('delegate') or is not migrated ('skip'). */
  readonly sendOnBehalf?: 'delegate' | 'skip';
  /** Google only: the organization's domains, to check delegates belong to it. */
  readonly googleDomains?: readonly string[];
  /** Verify Migration: the exports the script's read-back wrote, absolute. */
  readonly exports?: readonly string[];
  /** Verify Migration: write the CSV report beside the markdown one given in `path` (default true). */
  readonly csv?: boolean;
  /** Exchange only: add FullAccess with -AutoMapping $true. */
  readonly autoMapping?: boolean;
  /** Exchange only: WorkMail groups were recreated as mail-enabled security groups (so group grants migrate). */
  readonly groupsAreSecurityGroups?: boolean;
  /** Migrate grants on or to disabled entities too (default: listed as not migrated). */
  readonly includeDisabled?: boolean;
}

export type AuditOutcome = 'done' | 'cancelled' | 'failed' | 'partial' | 'nothing-to-do' | 'missing';

/** A mailbox whose permissions could not be read: missing from the result, never silently. */
export interface UnreadMailbox {
  readonly mailboxId: string;
  readonly mailbox: string;
  readonly code: string;
  readonly message: string;
}

interface AuditResultBase {
  readonly outcome: AuditOutcome;
  /** Why the command stopped (a failed read, an invalid choice). */
  readonly reason?: string;
  readonly organizationId?: string;
  /** When the data shown or written was read (ISO 8601). */
  readonly readAt?: string;
  readonly unreadMailboxes?: readonly UnreadMailbox[];
}

export interface AccessResultEntry {
  readonly mailboxId: string;
  readonly mailbox: string;
  readonly mailboxKind: EntityKind;
  readonly rights: readonly Right[];
  /** Who holds the grant: the entity itself or one of its groups. */
  readonly granteeId: string;
  /** The group chain, outermost first; empty for a direct grant. */
  readonly via: readonly string[];
  /** "direct" or "via sales → sales-emea". */
  readonly path: string;
}

export interface ShowAccessResult extends AuditResultBase {
  readonly entity?: Pick<DirectoryEntity, 'id' | 'kind' | 'name' | 'email' | 'state'>;
  readonly entries?: readonly AccessResultEntry[];
  /** Answered from a scan made earlier (see readAt). */
  readonly fromCache?: boolean;
  /** The read-only document (`workmail-access:`) holding the report. */
  readonly uri?: string;
  readonly text?: string;
  /** Groups whose members could not be read: access through them may be missing. */
  readonly unreadGroups?: readonly string[];
  /** Rooms and equipment the entity is a booking delegate of, directly or through groups. */
  readonly bookingDelegateOf?: ReadonlyArray<{ readonly resourceId: string; readonly resource: string; readonly path: string }>;
  /** Applications whose impersonation role may act as the entity. */
  readonly applications?: ReadonlyArray<{ readonly roleId: string; readonly name: string; readonly type: string }>;
  /** Parts of the other routes that could not be read. */
  readonly unreadRoutes?: readonly string[];
}

export interface WhoCanOpenResult extends AuditResultBase {
  readonly mailbox?: Pick<DirectoryEntity, 'id' | 'kind' | 'name' | 'email' | 'state'>;
  /** Each way in, in words, with what access rules deny it. */
  readonly routes?: ReadonlyArray<{ readonly route: 'permission' | 'bookingDelegate' | 'impersonation'; readonly text: string; readonly deniedBy: readonly string[] }>;
  readonly uri?: string;
  readonly text?: string;
}

export interface ExportResult extends AuditResultBase {
  readonly path?: string;
  /** CSV: the access rules' file written beside the export (none when they could not be read). */
  readonly accessRulesPath?: string;
  readonly format?: 'csv' | 'json';
  /** Mailbox permissions written. */
  readonly rows?: number;
  readonly mailboxes?: number;
  readonly bookingDelegates?: number;
  readonly applications?: number;
  /** Parts of the other routes that could not be read (missing from the export). */
  readonly unreadRoutes?: readonly string[];
}

export interface MigrationResult extends AuditResultBase {
  readonly path?: string;
  /** Zoho: the CSV checklist written beside the markdown one. */
  readonly csvPath?: string;
  readonly target?: DestinationTarget;
  /** Delegations the script creates. */
  readonly commands?: number;
  readonly notMigrated?: number;
  /** Of those, grants without a destination address in the mapping. */
  readonly notMappable?: number;
}

/** Verify Migration: 'done' everything arrived, 'missing' something did not, 'partial' not everything could be checked. */
export interface VerifyResult extends AuditResultBase {
  readonly target?: DestinationTarget;
  readonly counts?: VerifyCounts;
  /** The markdown report. */
  readonly text?: string;
  readonly path?: string;
  readonly uri?: string;
  readonly missing?: ReadonlyArray<{ readonly mailbox: string; readonly grantee: string; readonly right: string }>;
}

export interface StaleItemSummary {
  /** `mailboxId/granteeId`, as `select` takes it. */
  readonly id: string;
  readonly mailboxId: string;
  readonly mailbox: string;
  readonly granteeId: string;
  readonly grantee: string;
  readonly rights: readonly Right[];
  readonly reasons: readonly StaleReason[];
}

export interface StaleCleanupOutcome extends StaleItemSummary {
  /** not-stale: checked again just before revoking, it no longer was; nothing was written. */
  readonly status: 'revoked' | 'unchanged' | 'failed' | 'cancelled' | 'not-stale';
  readonly before: readonly Right[];
  readonly after?: readonly Right[];
  readonly verified?: boolean;
  /** Put back by Undo Last Change (false for grantees WorkMail no longer knows: it cannot grant to them). */
  readonly undoable?: boolean;
  readonly reason?: string;
  readonly errorCode?: string;
}

/** A booking delegate that serves no one: reported, never removed by the review (Remove Booking Delegate does). */
export interface StaleDelegateSummary {
  readonly resourceId: string;
  readonly resource: string;
  readonly delegateId: string;
  readonly delegate: string;
  readonly reasons: readonly StaleDelegateReason[];
}

/** An application whose rules name users who are gone, or nobody: reported, never changed. */
export interface StaleApplicationSummary {
  readonly roleId: string;
  readonly role: string;
  readonly type: 'FULL_ACCESS' | 'READ_ONLY';
  readonly reasons: readonly StaleRoleReason[];
  /** Each stale target in words: 'rule "Sales" names william.chen, who is disabled'. */
  readonly targets: readonly string[];
}

export interface StaleReviewResult extends AuditResultBase {
  /** Every stale grant the scan found. */
  readonly stale?: readonly StaleItemSummary[];
  readonly staleDelegates?: readonly StaleDelegateSummary[];
  readonly staleApplications?: readonly StaleApplicationSummary[];
  /** Parts of the other routes that could not be read: stale delegates or roles there are missing. */
  readonly unreadRoutes?: readonly string[];
  /** One per grant chosen for clean-up. */
  readonly items?: readonly StaleCleanupOutcome[];
  /** The rendered report (listing, then outcome), when one was opened. */
  readonly uri?: string;
}

// ---------------------------------------------------------------- nodes the commands accept

export {
  isGranteeNode,
  isGroupMemberNode,
  isMailboxNode,
  isOrganizationNode,
  organizationOfNode,
  type GranteeNodeLike,
  type GroupMemberNodeLike,
  type MailboxNodeLike,
  type OrganizationNodeLike,
} from '../nodes';
