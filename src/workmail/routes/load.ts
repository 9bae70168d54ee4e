// Everything an organization holds besides mailbox permissions, read once for a report or a
// snapshot: each resource's booking delegates and options, every impersonation role with its
// rules, and the access rules. A part that cannot be read is kept as a failure naming what is
// missing, never left out silently: an answer built without it says so.
import { CancelledError, isCancellation, toWorkMailError, type WorkMailError } from '../errors';
import { mapConcurrent } from '../concurrency';
import { counted } from '../plural';
import type { ImpersonationRoleSummary, RouteReads } from '../routeReads';
import type { DirectoryEntity, OrgRef } from '../types';
import type { AccessRule } from './accessRules';
import type { ImpersonationRole } from './impersonation';
import type { BookingDelegate, BookingOptions } from './booking';

/**
 * Which part a failure left unread, for a reader that records it (the snapshot marks that part
 * unread rather than empty). A role whose GetImpersonationRole failed is named with what the list
 * gave; one whose rules could only partly be read is in `roles` with the rules that could be.
 */
export type RoutePart =
  | { readonly kind: 'bookingDelegates' | 'bookingOptions'; readonly resourceId: string }
  | { readonly kind: 'impersonationRoles' }
  | { readonly kind: 'impersonationRules'; readonly role: Pick<ImpersonationRoleSummary, 'id' | 'name' | 'type'> }
  | { readonly kind: 'accessRules' };

export interface RouteFailure {
  /** What could not be read, in words: "the booking delegates of room-atlas". */
  readonly subject: string;
  readonly part: RoutePart;
  readonly error: WorkMailError;
}

export interface OrganizationRoutes {
  readonly delegates: ReadonlyMap<string, readonly BookingDelegate[]>;
  readonly bookingOptions: ReadonlyMap<string, BookingOptions | undefined>;
  readonly roles: readonly ImpersonationRole[];
  readonly accessRules: readonly AccessRule[];
  /** Rules WorkMail listed that could not be read (no name, or an effect that is neither ALLOW nor DENY). */
  readonly unreadableRules: number;
  readonly failures: readonly RouteFailure[];
}

/** The failure's subject when the access rules could not be listed (then `accessRules` is empty for want of an answer). */
export const ACCESS_RULES_SUBJECT = 'the access rules';

/**
 * Whether the access rules were read: an empty list read means every mailbox is blocked, an empty
 * list for want of an answer means nothing, and the two must never be shown alike.
 */
export function accessRulesRead(routes: Pick<OrganizationRoutes, 'failures'>): boolean {
  return !routes.failures.some((failure) => failure.subject === ACCESS_RULES_SUBJECT);
}

export interface LoadRoutesOptions {
  readonly signal?: AbortSignal;
  /** Calls in flight at once (resources and roles). */
  readonly concurrency?: number;
}

/**
 * Reads the routes of `org`: two calls per resource (its delegates, and DescribeResource for its
 * booking options), one to list the roles and one per role, one for the access rules.
 */
export async function loadRoutes(reads: RouteReads, org: OrgRef, resources: readonly DirectoryEntity[], options: LoadRoutesOptions = {}): Promise<OrganizationRoutes> {
  const { signal } = options;
  const concurrency = options.concurrency ?? 4;
  const failures: RouteFailure[] = [];
  const attempt = async <T>(subject: string, part: RoutePart, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (err) {
      if (signal?.aborted || isCancellation(err)) throw new CancelledError();
      failures.push({ subject, part, error: toWorkMailError(err) });
      return undefined;
    }
  };
  const label = (resource: DirectoryEntity): string => resource.name ?? resource.email ?? resource.id;
  const delegates = new Map<string, readonly BookingDelegate[]>();
  const bookingOptions = new Map<string, BookingOptions | undefined>();
  await mapConcurrent(resources, concurrency, async (resource) => {
    const [listed, described] = await Promise.all([
      attempt(`the booking delegates of ${label(resource)}`, { kind: 'bookingDelegates', resourceId: resource.id }, () => reads.listAllResourceDelegates(org, resource.id, signal)),
      attempt(`the booking options of ${label(resource)}`, { kind: 'bookingOptions', resourceId: resource.id }, () => reads.bookingOptions(org, resource.id, signal)),
    ]);
    if (listed) delegates.set(resource.id, listed);
    bookingOptions.set(resource.id, described);
  });
  const summaries = (await attempt('the impersonation roles', { kind: 'impersonationRoles' }, () => reads.listImpersonationRoles(org, signal))) ?? [];
  const roles = (
    await mapConcurrent(summaries, concurrency, (summary) =>
      attempt(`the rules of the impersonation role ${summary.name}`, { kind: 'impersonationRules', role: summary }, () => reads.getImpersonationRole(org, summary.id, signal)),
    )
  ).flatMap((role) => (role ? [role] : []));
  for (const role of roles) {
    if (role.unreadableRules > 0) {
      failures.push({
        subject: `the rules of the impersonation role ${role.name}`,
        part: { kind: 'impersonationRules', role },
        error: toWorkMailError(new Error(`${counted(role.unreadableRules, 'impersonation rule')} with an effect that is neither ALLOW nor DENY could not be read`)),
      });
    }
  }
  const listedRules = await attempt(ACCESS_RULES_SUBJECT, { kind: 'accessRules' }, () => reads.listAccessControlRules(org, signal));
  return {
    delegates,
    bookingOptions,
    roles: roles.map(({ unreadableRules: _unreadable, ...role }) => role),
    accessRules: listedRules?.rules ?? [],
    unreadableRules: listedRules?.unreadable ?? 0,
    failures,
  };
}
