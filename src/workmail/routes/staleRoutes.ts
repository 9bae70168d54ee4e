// Stale routes besides stale grants: booking delegates that are disabled, deleted or unknown to the
// directory (or on a disabled or deleted resource), users named in an impersonation role's rules
// (TargetUsers or NotTargetUsers) who are disabled, deleted or unknown, and roles whose rules name
// nobody: no ALLOW rule at all, or every user their ALLOW rules name deleted or unknown. Found, not
// changed: removing a delegate is Remove Booking Delegate's (through the delegate write path), and
// roles are shown, never changed, by this product (a wrong rule locks applications out).
// A disabled user is reported but does not make a role name nobody: enabled again, the role acts
// as them again, as the administrator guide's rules say.
import type { DirectoryEntity } from '../types';
import type { BookingDelegate } from './booking';
import type { ImpersonationRole, ImpersonationRule } from './impersonation';
import type { OrganizationRoutes } from './load';
import { userFinder } from './targets';

export type StaleDelegateReason = 'delegate-unknown' | 'delegate-deleted' | 'delegate-disabled' | 'resource-deleted' | 'resource-disabled';
export type StaleTargetReason = 'target-unknown' | 'target-deleted' | 'target-disabled';
export type StaleRoleReason = 'role-no-allow-rule' | 'role-targets-gone';

export const STALE_ROUTE_REASON_TEXT: Readonly<Record<StaleDelegateReason | StaleTargetReason | StaleRoleReason, string>> = {
  'delegate-unknown': 'the delegate is no longer in the directory',
  'delegate-deleted': 'the delegate is deleted',
  'delegate-disabled': 'the delegate is disabled',
  'resource-deleted': 'the resource is deleted',
  'resource-disabled': 'the resource is disabled',
  'target-unknown': 'no longer in the directory',
  'target-deleted': 'deleted',
  'target-disabled': 'disabled',
  'role-no-allow-rule': 'no rule allows impersonation, so it may act as no one',
  'role-targets-gone': 'every user its ALLOW rules name is deleted or no longer in the directory, so it may act as no one',
};

export interface StaleDelegate {
  readonly resourceId: string;
  readonly resource: DirectoryEntity | undefined;
  readonly delegate: BookingDelegate;
  /** Undefined: the directory does not know the ID. */
  readonly entity: DirectoryEntity | undefined;
  readonly reasons: readonly StaleDelegateReason[];
}

export interface StaleTarget {
  readonly rule: ImpersonationRule;
  /** As the rule gives it: an ID, a user name or an email address. */
  readonly identifier: string;
  /** TargetUsers ('target') or NotTargetUsers ('exception'). */
  readonly list: 'target' | 'exception';
  readonly user: DirectoryEntity | undefined;
  readonly reason: StaleTargetReason;
}

export interface StaleRole {
  readonly role: ImpersonationRole;
  readonly reasons: readonly StaleRoleReason[];
  readonly targets: readonly StaleTarget[];
}

export interface StaleRoutes {
  readonly delegates: readonly StaleDelegate[];
  readonly roles: readonly StaleRole[];
}

function stateReason<R extends string>(entity: DirectoryEntity | undefined, reasons: { unknown: R; deleted: R; disabled: R }): R | undefined {
  if (!entity) return reasons.unknown;
  return entity.state === 'DELETED' ? reasons.deleted : entity.state === 'DISABLED' ? reasons.disabled : undefined;
}

function staleDelegates(routes: Pick<OrganizationRoutes, 'delegates'>, directory: ReadonlyMap<string, DirectoryEntity>): StaleDelegate[] {
  const found: StaleDelegate[] = [];
  for (const [resourceId, delegates] of routes.delegates) {
    const resource = directory.get(resourceId);
    const onResource = resource?.state === 'DELETED' ? 'resource-deleted' : resource?.state === 'DISABLED' ? 'resource-disabled' : undefined;
    for (const delegate of delegates) {
      const entity = directory.get(delegate.id);
      const reasons = [stateReason(entity, { unknown: 'delegate-unknown', deleted: 'delegate-deleted', disabled: 'delegate-disabled' } as const), onResource].filter(
        (reason): reason is StaleDelegateReason => reason !== undefined,
      );
      if (reasons.length > 0) found.push({ resourceId, resource, delegate, entity, reasons });
    }
  }
  return found;
}

function staleRole(role: ImpersonationRole, findUser: (identifier: string) => DirectoryEntity | undefined): StaleRole | undefined {
  const targets: StaleTarget[] = [];
  for (const rule of role.rules) {
    for (const [list, identifiers] of [['target', rule.targetUsers ?? []], ['exception', rule.notTargetUsers ?? []]] as const) {
      for (const identifier of identifiers) {
        const user = findUser(identifier);
        const reason = stateReason(user, { unknown: 'target-unknown', deleted: 'target-deleted', disabled: 'target-disabled' } as const);
        if (reason) targets.push({ rule, identifier, list, user, reason });
      }
    }
  }
  const allowing = role.rules.filter((rule) => rule.effect === 'ALLOW');
  const gone = (identifier: string): boolean => {
    const user = findUser(identifier);
    return !user || user.state === 'DELETED';
  };
  const reasons: StaleRoleReason[] = [];
  if (allowing.length === 0) reasons.push('role-no-allow-rule');
  // An ALLOW rule without TargetUsers allows everyone (but its exceptions): not gone.
  else if (allowing.every((rule) => rule.targetUsers && rule.targetUsers.length > 0 && rule.targetUsers.every(gone))) reasons.push('role-targets-gone');
  return reasons.length + targets.length > 0 ? { role, reasons, targets } : undefined;
}

/**
 * The stale booking delegates and roles of one read of the routes, against the scan's directory
 * (its users, groups and resources by ID). Linear: one look-up per delegate and per named target.
 */
export function findStaleRoutes(routes: Pick<OrganizationRoutes, 'delegates' | 'roles'>, directory: ReadonlyMap<string, DirectoryEntity>): StaleRoutes {
  const findUser = userFinder(directory.values());
  return {
    delegates: staleDelegates(routes, directory),
    roles: routes.roles.flatMap((role) => {
      const stale = staleRole(role, findUser);
      return stale ? [stale] : [];
    }),
  };
}

/** "Rule "Sales department" names william.chen, who is disabled" / "…in its exceptions, …". */
export function staleTargetInWords(target: StaleTarget): string {
  const rule = target.rule.name ?? target.rule.id;
  const who = target.user ? (target.user.name ?? target.user.email ?? target.user.id) : target.identifier;
  const where = target.list === 'exception' ? ' in its exceptions' : '';
  return `rule "${rule}" names ${who}${where}, ${target.reason === 'target-unknown' ? 'who is no longer in the directory' : `who is ${STALE_ROUTE_REASON_TEXT[target.reason]}`}`;
}

/** What to do about a stale delegate: removing it is Remove Booking Delegate's. */
export const REMOVE_DELEGATE_ADVICE = 'remove with Remove Booking Delegate';

/** What to do about a stale role: this product shows roles, never changes them. */
export const ROLE_ADVICE = "change the role's rules in the WorkMail console (or aws workmail update-impersonation-role)";
