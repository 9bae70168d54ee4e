// The other routes of one person, for "Show Access of": the rooms and equipment they are a booking
// delegate of (directly or through any group they belong to), and the applications whose
// impersonation role may act as them (and so reach everything they can open). Answered by the
// reverse index (../reverse.ts), which carries both, so Show Access of builds one index per scan.
import type { Membership } from '../groups';
import { AccessIndex, type BookingDelegation } from '../reverse';
import type { DirectoryEntity } from '../types';
import type { BookingDelegate } from './booking';
import type { ImpersonationRole } from './impersonation';

export type { BookingDelegation } from '../reverse';

export interface PersonRoutes {
  readonly bookingDelegations: readonly BookingDelegation[];
  /** Roles that may act as the person (a user, enabled). */
  readonly applications: readonly ImpersonationRole[];
}

export interface PersonRouteFacts {
  readonly membership: Membership;
  readonly directory: ReadonlyMap<string, DirectoryEntity>;
  readonly delegates: ReadonlyMap<string, readonly BookingDelegate[]>;
  readonly roles: readonly ImpersonationRole[];
}

/** From an index built with the routes, or from the facts (an index is built for this one question). */
export function routesOfPerson(person: DirectoryEntity, from: AccessIndex | PersonRouteFacts): PersonRoutes {
  const index = from instanceof AccessIndex ? from : new AccessIndex([], from.membership, from.directory, from);
  return { bookingDelegations: index.bookingDelegationsOf(person.id), applications: index.applicationsActingAs(person) };
}
