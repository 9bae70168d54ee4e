// The booking delegates and options of every room and equipment in scope, planned the way grants
// are (common.ts): the wave filter, the states, the address mapping and SAFE_EMAIL on both ends, and
// every delegate that cannot be carried listed with the reason, never dropped. A part the snapshot
// could not read (delegates or options unreadable, a group's members unreadable) is listed as
// unread: unknown, not none.
//
// A group delegate is expanded to its members (nested groups followed, each member once), because
// no destination documents a group as a booking delegate (Exchange's -ResourceDelegates names users;
// Gmail resource ACLs and grommunio folder grants were written here for users). Only when the person
// says the groups exist at the destination (`keepGroups`, from groupGrantees at Exchange) is the
// group named itself. An expanded line carries the group it came from in its trace.
import type { AddressMapping, Snapshot, SnapshotBookingDelegate, SnapshotEntity, SnapshotResourceRoutes } from '../schema';
import { BOOKING_DELEGATE, BOOKING_OPTIONS, type BookingDelegation, type BookingResource } from './bookingPlan';
import { SAFE_EMAIL, commentText, describeEntity, inWave, label, stateProblem, type DestinationOptions, type NotCarried, type NotCarriedKind } from './common';

export { BOOKING_DELEGATE, BOOKING_OPTIONS, type BookingDelegation, type BookingResource } from './bookingPlan';

/** What a destination says about one delegate it is handed: its name for the right, or why it cannot hold it. */
export interface BookingCarry {
  /** The destination's name for a booking delegation (ResourceDelegate, calendarOwner, …). */
  readonly right: string;
  /** Name a group delegate as the group (it exists at the destination) instead of its members. */
  readonly keepGroups?: boolean;
  /** Why this destination cannot make `delegate` a delegate of `resource`, or undefined when it can. */
  refuse?(delegate: SnapshotEntity, delegateAddress: string, resourceAddress: string): string | undefined;
  /** Said above the command. */
  note?(delegate: SnapshotEntity, via: readonly SnapshotEntity[]): string | undefined;
}

interface Candidate {
  readonly entity: SnapshotEntity;
  readonly via: readonly SnapshotEntity[];
}

export function planBooking(
  snapshot: Snapshot,
  mapping: AddressMapping,
  options: DestinationOptions,
  carry: BookingCarry,
  unchanged: boolean,
): { booking: BookingResource[]; notCarried: NotCarried[] } {
  const entities = new Map(snapshot.entities.map((entity) => [entity.id, entity]));
  const includeDisabled = options.includeDisabled ?? false;
  const booking: BookingResource[] = [];
  const notCarried: NotCarried[] = [];
  const addressOf = (entity: SnapshotEntity): string | undefined => mapping.destinationOf(entity)?.trim() || undefined;

  if (!snapshot.routes) {
    // A version 1 file did not record booking delegates: every resource in scope is unknown, not without delegates.
    for (const resource of snapshot.entities.filter((e) => e.kind === 'resource' && inWave(options, e, e.id))) {
      notCarried.push({ kind: 'unread', mailboxId: resource.id, mailbox: resource, right: BOOKING_DELEGATE, reason: `the snapshot did not record booking delegates or options (snapshot version ${snapshot.version}); save a new snapshot to carry them` });
    }
    return { booking, notCarried };
  }

  const routes = [...snapshot.routes.resources]
    .filter((route) => inWave(options, entities.get(route.resourceId), route.resourceId))
    .sort((a, b) => compare(label(entities.get(a.resourceId), a.resourceId), label(entities.get(b.resourceId), b.resourceId)) || compare(a.resourceId, b.resourceId));

  for (const route of routes) {
    const resource = entities.get(route.resourceId);
    // Options with no flag given carry nothing.
    const bookingOptions = route.bookingOptions && Object.values(route.bookingOptions).some((value) => value !== undefined) ? route.bookingOptions : undefined;
    const listed = [...(route.delegates ?? [])].sort((a, b) => compare(label(entities.get(a.id), a.id), label(entities.get(b.id), b.id)) || compare(a.id, b.id));
    const skip = (kind: NotCarriedKind, reason: string, delegateId?: string, right: string = BOOKING_DELEGATE): void => {
      notCarried.push({ kind, mailboxId: route.resourceId, mailbox: resource, ...(delegateId ? { granteeId: delegateId, grantee: entities.get(delegateId) } : {}), right, reason });
    };
    const skipAll = (kind: NotCarriedKind, reason: string): void => {
      for (const delegate of listed) skip(kind, reason, delegate.id);
      if (bookingOptions) skip(kind, reason, undefined, BOOKING_OPTIONS);
    };
    unreadParts(route, skip);
    if (listed.length === 0 && !bookingOptions) {
      continue;
    }
    if (!resource) {
      skipAll('not-carried', 'the resource is not in the snapshot\'s directory');
      continue;
    }
    const state = stateProblem('resource', resource, includeDisabled);
    if (state) {
      skipAll('not-carried', state);
      continue;
    }
    const resourceAddress = addressOf(resource);
    if (!resourceAddress) {
      skipAll('not-mappable', unchanged ? 'the resource has no email address to name it by' : 'no destination address for the resource in the address mapping (add a row for it; nothing is guessed)');
      continue;
    }
    if (!SAFE_EMAIL.test(resourceAddress)) {
      skipAll('not-carried', 'the resource\'s address contains characters that are not safe in a script');
      continue;
    }
    const delegations: BookingDelegation[] = [];
    const byDelegate = new Map<string, BookingDelegation>();
    for (const delegate of listed) {
      for (const candidate of candidatesOf(delegate, entities, carry.keepGroups ?? false, includeDisabled, (reason, id) => skip(reason.kind, reason.text, id))) {
        const entity = candidate.entity;
        const through = candidate.via.length > 0 ? ` (a member of the group delegate ${describeEntity(candidate.via[0], candidate.via[0]!.id)})` : '';
        const delegateAddress = addressOf(entity);
        if (!delegateAddress) {
          skip('not-mappable', `${unchanged ? 'the delegate has no email address to name it by' : 'no destination address for the delegate in the address mapping (add a row for it; nothing is guessed)'}${through}`, entity.id);
          continue;
        }
        if (!SAFE_EMAIL.test(delegateAddress)) {
          skip('not-carried', `the delegate's address contains characters that are not safe in a script${through}`, entity.id);
          continue;
        }
        const refused = carry.refuse?.(entity, delegateAddress, resourceAddress);
        if (refused) {
          skip('not-carried', `${refused}${through}`, entity.id);
          continue;
        }
        const before = byDelegate.get(entity.id);
        if (before) {
          // The same person reached twice (directly and through a group, or through two groups): one line.
          byDelegate.set(entity.id, { ...before, alsoVia: [...before.alsoVia, delegate.id] });
          continue;
        }
        // As for a grant: a delegate outside the wave must exist at the destination before this line works.
        const outsideWave = options.mailboxIds !== undefined && !inWave(options, entity, entity.id) ? 'the delegate is not in this wave: this works once their mailbox exists at the destination' : undefined;
        const note = [carry.note?.(entity, candidate.via), outsideWave].filter(Boolean).join('; ') || undefined;
        byDelegate.set(entity.id, {
          resource,
          resourceAddress,
          listed: delegate,
          delegate: entity,
          delegateAddress,
          via: candidate.via,
          alsoVia: [],
          right: carry.right,
          ...(note ? { note } : {}),
        });
      }
    }
    delegations.push(...byDelegate.values());
    if (delegations.length > 0 || bookingOptions) {
      booking.push({ resource, resourceAddress, delegations, ...(bookingOptions ? { options: bookingOptions } : {}) });
    }
  }
  return { booking, notCarried };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The parts of a resource's routes the snapshot could not read: unread, with WorkMail's reason. */
function unreadParts(route: SnapshotResourceRoutes, skip: (kind: NotCarriedKind, reason: string, delegateId?: string, right?: string) => void): void {
  if (route.delegatesUnreadable) {
    skip('unread', `the resource's booking delegates could not be read (${route.delegatesUnreadable}); scan again`);
  }
  if (route.bookingOptionsUnreadable) {
    skip('unread', `the resource's booking options could not be read (${route.bookingOptionsUnreadable}); scan again`, undefined, BOOKING_OPTIONS);
  }
}

/**
 * Who a listed delegate stands for at the destination: the user; the group itself when groups are
 * kept; otherwise every member of the group and of the groups in it, each once, a member that cannot
 * be carried handed to `problem` with the reason.
 */
function candidatesOf(
  delegate: SnapshotBookingDelegate,
  entities: ReadonlyMap<string, SnapshotEntity>,
  keepGroups: boolean,
  includeDisabled: boolean,
  problem: (reason: { kind: NotCarriedKind; text: string }, id: string) => void,
): Candidate[] {
  const entity = entities.get(delegate.id);
  if (!entity) {
    problem({ kind: 'not-carried', text: 'the delegate is not in the WorkMail directory (deleted or unknown)' }, delegate.id);
    return [];
  }
  const state = stateProblem('delegate', entity, includeDisabled);
  if (state) {
    problem({ kind: 'not-carried', text: state }, delegate.id);
    return [];
  }
  if (entity.kind === 'user') {
    return [{ entity, via: [] }];
  }
  if (entity.kind !== 'group') {
    problem({ kind: 'not-carried', text: `a ${entity.kind} cannot be a booking delegate at the destination` }, delegate.id);
    return [];
  }
  if (keepGroups) {
    return [{ entity, via: [] }];
  }
  const found: Candidate[] = [];
  const seen = new Set<string>([entity.id]);
  // Whether the walk listed anything: a group that yields no one and said nothing would be a silent drop.
  let listed = 0;
  const listedProblem: typeof problem = (item, id) => {
    listed++;
    problem(item, id);
  };
  const walk = (group: SnapshotEntity, via: readonly SnapshotEntity[]): void => {
    const path = [...via, group];
    const where = `a member of the group delegate ${describeEntity(path[0], path[0]!.id)}${path.length > 1 ? ` through ${path.slice(1).map((g) => describeEntity(g, g.id)).join(' > ')}` : ''}`;
    if (!group.members) {
      listedProblem({ kind: 'unread', text: commentText(`the members of the group ${describeEntity(group, group.id)} could not be read (${group.membersUnreadable ?? 'not recorded'}), so its members cannot be named; scan again`) }, group.id);
      return;
    }
    // Direct users first, then the groups inside: a person in both is traced to the shorter path.
    const members = [...group.members].sort((a, b) => Number(entities.get(a)?.kind === 'group') - Number(entities.get(b)?.kind === 'group') || compare(a, b));
    for (const id of members) {
      if (seen.has(id)) continue;
      seen.add(id);
      const member = entities.get(id);
      if (!member) {
        listedProblem({ kind: 'not-carried', text: `${where}: not in the WorkMail directory (deleted or unknown)` }, id);
        continue;
      }
      const memberState = stateProblem('delegate', member, includeDisabled);
      if (memberState) {
        listedProblem({ kind: 'not-carried', text: `${where}: ${memberState}` }, id);
      } else if (member.kind === 'group') {
        walk(member, path);
      } else if (member.kind === 'user') {
        found.push({ entity: member, via: path });
      } else {
        listedProblem({ kind: 'not-carried', text: `${where}: a ${member.kind} cannot be a booking delegate` }, id);
      }
    }
  };
  walk(entity, []);
  if (found.length === 0 && listed === 0) {
    // No member at all, or only groups that hold nobody (empty, or each other in a loop).
    problem({ kind: 'not-carried', text: entity.members && entity.members.length === 0 ? 'the group delegate has no members to name at the destination' : 'the group delegate has no user among its members (its groups hold nobody, or only each other), so nobody can be named at the destination' }, entity.id);
  }
  return found;
}

/** The trace comment above a booking command: the WorkMail resource and delegate, the group it came through, the destination addresses. */
export function bookingTraceText(delegation: BookingDelegation): string {
  const { resource, delegate, listed, via } = delegation;
  const through = via.length > 0 ? ` via group=${via.map((g) => g.id).join('>')}` : '';
  const also = delegation.alsoVia.length > 0 ? ` also via=${delegation.alsoVia.join(',')}` : '';
  const base = `from WorkMail: resource=${resource.id} delegate=${listed.id}${listed.id !== delegate.id ? ` member=${delegate.id}` : ''}${through}${also} right=${BOOKING_DELEGATE} (${describeEntity(resource, resource.id)} <- ${describeEntity(delegate, delegate.id)})`;
  const mapped = resource.email?.toLowerCase() !== delegation.resourceAddress.toLowerCase() || delegate.email?.toLowerCase() !== delegation.delegateAddress.toLowerCase();
  return commentText(mapped ? `${base} as ${delegation.resourceAddress} <- ${delegation.delegateAddress}` : base);
}

/** The trace comment above a resource's booking options. */
export function bookingOptionsTraceText(resource: BookingResource): string {
  const o = resource.options ?? {};
  const flags = (['autoAcceptRequests', 'autoDeclineRecurringRequests', 'autoDeclineConflictingRequests'] as const).map((flag) => `${flag}=${o[flag] === undefined ? 'not given' : String(o[flag])}`);
  return commentText(`from WorkMail: resource=${resource.resource.id} ${BOOKING_OPTIONS} ${flags.join(' ')} (${describeEntity(resource.resource, resource.resource.id)}${resource.resource.email?.toLowerCase() !== resource.resourceAddress.toLowerCase() ? ` as ${resource.resourceAddress}` : ''})`);
}

/** A not-migrated item about one resource's booking options at a destination. */
export function optionsNotCarried(resource: BookingResource, reason: string): NotCarried {
  return { kind: 'not-carried', mailboxId: resource.resource.id, mailbox: resource.resource, right: BOOKING_OPTIONS, reason };
}

/** Every booking delegation of a plan, resource by resource. */
export function bookingDelegations(plan: { readonly booking: readonly BookingResource[] }): BookingDelegation[] {
  return plan.booking.flatMap((resource) => resource.delegations);
}
