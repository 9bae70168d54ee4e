// The other routes of one person, for "Show Access of": the rooms and equipment they are a booking
// delegate of (directly or through any group they belong to), and the applications whose
// impersonation role may act as them (and so reach everything they can open).
import type { Membership } from '../groups';
import { AccessIndex, type ViaGroup } from '../reverse';
import type { DirectoryEntity } from '../types';
import type { BookingDelegate } from './booking';
import { canBeImpersonated, impersonationEffect, type ImpersonationRole } from './impersonation';

export interface BookingDelegation {
  readonly resourceId: string;
  readonly resource: DirectoryEntity | undefined;
  /** The groups the delegation flows through, from the delegate group down; empty when direct. */
  readonly via: readonly ViaGroup[];
}

export interface PersonRoutes {
  readonly bookingDelegations: readonly BookingDelegation[];
  /** Roles that may act as the person (a user, enabled). */
  readonly applications: readonly ImpersonationRole[];
}

export function routesOfPerson(
  person: DirectoryEntity,
  facts: { readonly membership: Membership; readonly directory: ReadonlyMap<string, DirectoryEntity>; readonly delegates: ReadonlyMap<string, readonly BookingDelegate[]>; readonly roles: readonly ImpersonationRole[] },
): PersonRoutes {
  const principals = [{ id: person.id, via: [] as ViaGroup[] }, ...new AccessIndex([], facts.membership, facts.directory).groupsOf(person.id).map((group) => ({ id: group.groupId, via: group.via }))];
  const bookingDelegations: BookingDelegation[] = [];
  for (const [resourceId, delegates] of facts.delegates) {
    const through = principals.find((principal) => delegates.some((delegate) => delegate.id === principal.id));
    if (through) bookingDelegations.push({ resourceId, resource: facts.directory.get(resourceId), via: through.via });
  }
  const applications = canBeImpersonated(person) ? facts.roles.filter((role) => impersonationEffect(role, person).effect === 'ALLOW') : [];
  return { bookingDelegations, applications };
}
