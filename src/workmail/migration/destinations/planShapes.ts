// The shapes of a destination plan: the destinations, the options a script is made with, each
// delegation it carries and each item it cannot, and the plan itself. Types (and the destinations'
// names) only, apart from common.ts (which re-exports them) so the planning code stays readable.
import type { Right } from '../../types';
import type { Snapshot, SnapshotEntity, SnapshotGrant } from '../schema';
import type { PlannedAlias } from './aliasesPlan';
import type { ApplicationsPlan } from './applicationsPlan';
import type { BookingResource } from './bookingPlan';

export const DESTINATION_TARGETS = ['exchange', 'google', 'grommunio', 'zoho'] as const;
export type DestinationTarget = (typeof DESTINATION_TARGETS)[number];

export const TARGET_NAMES: Record<DestinationTarget, string> = {
  exchange: 'Exchange Online',
  google: 'Google Workspace (GAM)',
  grommunio: 'grommunio',
  zoho: 'Zoho Mail',
};

export interface DestinationOptions {
  /** Stamped in the header; pass a fixed date for reproducible files. */
  readonly generatedAt: Date;
  /** One wave: the mailboxes (entity IDs or WorkMail addresses) whose grants this script carries. */
  readonly mailboxIds?: ReadonlySet<string>;
  /** The wave's number, for the header. */
  readonly wave?: number;
  /** Migrate grants where the mailbox or grantee is disabled (default: listed as not migrated). */
  readonly includeDisabled?: boolean;
  /** Where the mapping came from (a file name), for the header. Absent: addresses are kept as they are. */
  readonly mappingSource?: string;
  /** Where the snapshot came from (a file name, or "a scan of …"), for the header. */
  readonly snapshotSource?: string;
  /** Exchange: -AutoMapping for FullAccess (Outlook opens the mailbox by itself). Default false. */
  readonly autoMapping?: boolean;
  /**
   * Exchange: 'security-group' asserts the groups were recreated as mail-enabled security groups
   * (then a group booking delegate is named as the group too; otherwise it is expanded to its members).
   */
  readonly groupGrantees?: 'skip' | 'security-group';
  /** Exchange: the script runs every cmdlet with -WhatIf unless called with -WhatIf:$false. */
  readonly whatIf?: boolean;
  /** Google: SEND_ON_BEHALF without FULL_ACCESS becomes a delegate (which can also read) or is not migrated. */
  readonly sendOnBehalf?: 'delegate' | 'skip';
  /** Google: the organization's domains; delegates elsewhere are refused by Gmail and listed. */
  readonly googleDomains?: readonly string[];
}

/** One delegation the script creates at the destination, traced to the WorkMail grant it carries. */
export interface Delegation {
  readonly grant: SnapshotGrant;
  readonly mailbox: SnapshotEntity;
  readonly grantee: SnapshotEntity;
  /** Destination addresses (after the mapping). */
  readonly mailboxAddress: string;
  readonly granteeAddress: string;
  /** The destination's own name for the right, e.g. FullAccess, delegate, storeAccess. */
  readonly right: string;
  /** The WorkMail rights this one delegation carries (a Gmail delegate carries two). */
  readonly carries: readonly Right[];
  /** Said in a comment above the command, e.g. that the destination grants more than WorkMail did. */
  readonly note?: string;
}

export type NotCarriedKind = 'not-mappable' | 'not-carried' | 'unread';

export interface NotCarried {
  readonly kind: NotCarriedKind;
  readonly mailboxId: string;
  readonly mailbox?: SnapshotEntity;
  readonly granteeId?: string;
  readonly grantee?: SnapshotEntity;
  /** A WorkMail right, BOOKING_DELEGATE, BOOKING_OPTIONS or ALIAS; absent when the whole mailbox could not be read. */
  readonly right?: string;
  /** ALIAS: the alias as the snapshot recorded it; absent when the entity's aliases could not be read. */
  readonly alias?: string;
  readonly reason: string;
}

export interface DestinationPlan {
  readonly target: DestinationTarget;
  readonly snapshot: Snapshot;
  readonly options: DestinationOptions;
  readonly delegations: readonly Delegation[];
  /** The rooms and equipment whose booking delegates or options the script carries. */
  readonly booking: readonly BookingResource[];
  /** The aliases the script adds, entity by entity, before the grants (a grant may name a mailbox by one). */
  readonly aliases: readonly PlannedAlias[];
  /** The applications (impersonation roles) and access rules: listed with what to recreate, never carried by a command that runs unattended. */
  readonly applications: ApplicationsPlan;
  readonly notCarried: readonly NotCarried[];
  /** Said in the header: limits close to being reached, checks that could not be made. */
  readonly warnings: readonly string[];
}

/** A grant whose entities are known, in a usable state and mapped to safe addresses. */
export interface CarryInput {
  readonly grant: SnapshotGrant;
  readonly mailbox: SnapshotEntity;
  readonly grantee: SnapshotEntity;
  readonly mailboxAddress: string;
  readonly granteeAddress: string;
  readonly rights: readonly Right[];
  /** Wave scripts: the grantee is not among this wave's mailboxes. */
  readonly granteeOutsideWave: boolean;
}

export interface Carried {
  readonly delegations: Delegation[];
  readonly skipped: Array<{ right: Right; reason: string }>;
}
