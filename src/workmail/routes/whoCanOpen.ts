// "Who can open this mailbox?" over every route WorkMail has: the people holding mailbox
// permissions (directly or through nested groups), the booking delegates of a room or equipment
// (they receive its requests and have full access to its calendar), and the applications holding an
// impersonation role, which act as the users the role targets and so reach those users' own
// mailboxes and, transitively, every mailbox those users can open (administrator guide,
// "managing-impersonation-roles"). Pure: it reads what a scan and the route reads already hold.
import { expandFromMembership, type Membership } from '../groups';
import type { ViaGroup } from '../reverse';
import { normalizeRights } from '../rights';
import type { GrantRecord } from '../scan';
import type { DirectoryEntity, Right } from '../types';
import type { BookingDelegate } from './booking';
import { canBeImpersonated, impersonationEffect, type ImpersonationRole } from './impersonation';

export type { BookingDelegate } from './booking';

/** A person's way in: the grant or delegation, and the groups it flows through (outermost first). */
export interface PersonRoute {
  readonly route: 'permission' | 'bookingDelegate';
  readonly personId: string;
  /** null: WorkMail does not know the ID any more; undefined: not in the directory read. */
  readonly person: DirectoryEntity | null | undefined;
  /** The mailbox rights (a booking delegate's are none of the three: full access to the calendar). */
  readonly rights: readonly Right[];
  /** From the group holding the grant or delegation down to the group the person is directly in. */
  readonly via: readonly ViaGroup[];
}

/** An application's way in: acting as the owner, or as a person with a route of their own. */
export interface ApplicationRoute {
  readonly route: 'impersonation';
  readonly role: ImpersonationRole;
  /** Undefined: the role impersonates the mailbox's owner. */
  readonly through?: PersonRoute;
}

export type OpenRoute = PersonRoute | ApplicationRoute;

export interface RouteFacts {
  /** Every grant of the organization (a scan's grant records). */
  readonly grants: readonly GrantRecord[];
  readonly membership: Membership;
  /** Directory entities by ID, for names. */
  readonly directory: ReadonlyMap<string, DirectoryEntity>;
  /** Booking delegates by resource ID. */
  readonly delegates: ReadonlyMap<string, readonly BookingDelegate[]>;
  readonly roles: readonly ImpersonationRole[];
}

/** Who the principal (a user, or a group expanded to its users) is, as person routes. */
function peopleOf(route: PersonRoute['route'], principalId: string, principalType: 'USER' | 'GROUP', rights: readonly Right[], facts: RouteFacts, known: DirectoryEntity | null | undefined): PersonRoute[] {
  if (principalType === 'USER') {
    return [{ route, personId: principalId, person: known ?? facts.directory.get(principalId), rights, via: [] }];
  }
  const name = (id: string): string | undefined => facts.directory.get(id)?.name;
  return expandFromMembership(facts.membership, principalId)
    .members.filter((member) => member.kind === 'user')
    .map((member) => ({
      route,
      personId: member.id,
      person: facts.directory.get(member.id),
      rights,
      via: member.path.map((id) => ({ id, name: name(id) })),
    }));
}

/** The people with a route of their own into `mailbox`: permission holders and booking delegates. */
export function peopleWhoCanOpen(mailbox: Pick<DirectoryEntity, 'id' | 'kind'>, facts: RouteFacts): PersonRoute[] {
  const routes: PersonRoute[] = [];
  for (const grant of facts.grants) {
    if (grant.mailbox.id === mailbox.id && grant.rights.length > 0) {
      routes.push(...peopleOf('permission', grant.granteeId, grant.granteeType, normalizeRights(grant.rights), facts, grant.grantee));
    }
  }
  for (const delegate of facts.delegates.get(mailbox.id) ?? []) {
    routes.push(...peopleOf('bookingDelegate', delegate.id, delegate.type, [], facts, undefined));
  }
  return routes;
}

/** Whether a person's route lets them open the mailbox (what an impersonating application inherits). */
export function opensMailbox(route: PersonRoute): boolean {
  return route.route === 'bookingDelegate' || route.rights.includes('FULL_ACCESS');
}

/** Whether the role acts as `user`: an enabled user its rules allow. */
function actsAs(role: ImpersonationRole, user: DirectoryEntity): boolean {
  return canBeImpersonated(user) && impersonationEffect(role, user).effect === 'ALLOW';
}

/**
 * Every route into `mailbox`: the people, then each role that acts as its owner or as one of the
 * people who can open it.
 */
export function whoCanOpen(mailbox: DirectoryEntity, facts: RouteFacts): OpenRoute[] {
  const people = peopleWhoCanOpen(mailbox, facts);
  const applications: ApplicationRoute[] = [];
  for (const role of facts.roles) {
    if (actsAs(role, mailbox)) {
      applications.push({ route: 'impersonation', role });
    }
    for (const person of people) {
      const user = person.person;
      if (user && opensMailbox(person) && actsAs(role, user)) {
        applications.push({ route: 'impersonation', role, through: person });
      }
    }
  }
  return [...people, ...applications];
}

/**
 * The mailboxes a role reaches: those of the users it impersonates, and every mailbox those users
 * can open ("reaches 1,204 mailboxes").
 */
export function roleReach(role: ImpersonationRole, mailboxes: readonly DirectoryEntity[], facts: RouteFacts): DirectoryEntity[] {
  return mailboxes.filter((mailbox) => whoCanOpen(mailbox, { ...facts, roles: [role] }).some((route) => route.route === 'impersonation'));
}

/**
 * The mailboxes a role reaches as their owner: those of the users it acts as. The part of
 * roleReach the directory alone answers (the users' permissions and delegations add the rest), the
 * same mailboxes for which whoCanOpen lists the role without a `through`.
 */
export function ownersReached(role: ImpersonationRole, users: readonly DirectoryEntity[]): DirectoryEntity[] {
  return users.filter((user) => actsAs(role, user));
}
