// The shapes of a resource's booking delegations in a destination plan. Their own file, without
// code, so that the plan's shape (common.ts) and the planning of booking delegations (booking.ts,
// which uses common's helpers) both read them without importing each other.
import type { SnapshotBookingDelegate, SnapshotBookingOptions, SnapshotEntity } from '../schema';

/** The WorkMail "right" of a booking delegation, as the not-migrated list and the reports name it. */
export const BOOKING_DELEGATE = 'BOOKING_DELEGATE';
/** The booking options of a resource, as the not-migrated list names them. */
export const BOOKING_OPTIONS = 'BOOKING_OPTIONS';

/** One delegate the script gives a room or equipment at the destination, traced to the WorkMail delegate it carries. */
export interface BookingDelegation {
  readonly resource: SnapshotEntity;
  readonly resourceAddress: string;
  /** The delegate as ListResourceDelegates gave it on the resource (a user or a group). */
  readonly listed: SnapshotBookingDelegate;
  /** Who the destination names: the listed user, a member of the listed group, or the group itself. */
  readonly delegate: SnapshotEntity;
  readonly delegateAddress: string;
  /** The groups from the listed group down to this member, outermost first; empty when the listed delegate itself is named. */
  readonly via: readonly SnapshotEntity[];
  /** Other listed delegates (groups) that lead to the same person: one line carries them all. */
  readonly alsoVia: readonly string[];
  /** The destination's own name for it, e.g. ResourceDelegate, calendarOwner, calendarDelegate. */
  readonly right: string;
  /** Said in a comment above the command. */
  readonly note?: string;
}

/** A room or equipment with something to carry: its delegations and booking options. */
export interface BookingResource {
  readonly resource: SnapshotEntity;
  readonly resourceAddress: string;
  readonly delegations: readonly BookingDelegation[];
  /** As DescribeResource gave them; absent when WorkMail gave none or they could not be read (then listed as not migrated). */
  readonly options?: SnapshotBookingOptions;
}
