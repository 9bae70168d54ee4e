// What the migration commands accept and return. Like the audit commands, each takes the tree's
// (node, selection) and a trailing options object that names ahead of time what a dialog would ask
// (organization, target, file), for scripts and tasks; each skips only its own dialog.
import type { AuditCommandOptions, AuditOutcome, UnreadMailbox } from '../audit/types';

export interface MigrationCommandOptions extends AuditCommandOptions {
  /** Draft Address Mapping / Plan Migration Waves: the snapshot file to read (no open dialog). */
  readonly snapshot?: string;
  /** Plan Migration Waves: 'scan' the organization now, or read `snapshot`. */
  readonly source?: 'scan' | 'snapshot';
  /** Draft Address Mapping: the destination domain; null or '' keeps the WorkMail addresses. */
  readonly domain?: string | null;
  /** Plan Migration Waves: at most this many mailboxes a wave; null for no maximum. */
  readonly maxSize?: number | null;
}

interface MigrationResultBase {
  readonly outcome: AuditOutcome;
  readonly reason?: string;
  readonly organizationId?: string;
  /** When the data was read (ISO 8601): the scan, or the snapshot's readAt. */
  readonly readAt?: string;
}

export interface SnapshotResult extends MigrationResultBase {
  readonly path?: string;
  readonly entities?: number;
  readonly grants?: number;
  readonly unreadMailboxes?: readonly UnreadMailbox[];
  /** Groups whose members could not be read (IDs). */
  readonly unreadGroups?: readonly string[];
  /** Routes that could not be read, in words ("the booking delegates of room-atlas"). */
  readonly unreadRoutes?: readonly string[];
  /** Entities whose aliases could not be read (IDs). */
  readonly unreadAliases?: readonly string[];
}

export interface MappingDraftResult extends MigrationResultBase {
  readonly path?: string;
  readonly entities?: number;
  /** Rows the draft left without a destination (the comment column says why). */
  readonly withoutDestination?: number;
}

export interface WavesResult extends MigrationResultBase {
  readonly source?: 'scan' | 'snapshot';
  /** The waves CSV. */
  readonly path?: string;
  /** The markdown report, next to the CSV. */
  readonly reportPath?: string;
  readonly waves?: number;
  readonly mailboxes?: number;
  readonly delegations?: number;
  /** Of `delegations`, those of a room's or equipment's booking delegates. */
  readonly bookingDelegations?: number;
  readonly cut?: number;
  readonly maxSize?: number;
  /** Each impersonation role with the waves of the mailboxes it acts as (a note on the plan, not a delegation). */
  readonly applications?: readonly { readonly name: string; readonly waves: readonly number[] }[];
}
