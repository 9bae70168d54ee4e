// The two kinds of failure the emulator's state raises: a WorkMail API error answered to the
// client, and a mistake in a programmatic or admin request. Kept apart from store.ts so the
// modules of the other routes into a mailbox (booking.ts, impersonation.ts, accessRules.ts) throw
// them without importing the store that owns them.

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Misuse of the programmatic/admin API (unknown org, bad state...). */
export class AdminError extends Error {}
