// Booking delegates and options of a room or equipment: the shapes every other part reads them as.

/** A user or group that receives a resource's booking requests and has full access to its calendar. */
export interface BookingDelegate {
  readonly id: string;
  readonly type: 'USER' | 'GROUP';
}

export interface BookingOptions {
  readonly autoAcceptRequests?: boolean;
  readonly autoDeclineRecurringRequests?: boolean;
  readonly autoDeclineConflictingRequests?: boolean;
}
