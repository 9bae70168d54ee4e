// The applications (WorkMail impersonation roles) and the access control rules of a snapshot,
// planned once for every destination: whom each role reaches, by the routes' own reading
// (routes/whoCanOpen.ts `ownersReached` on routes/impersonation.ts's rules, routes/targets.ts for
// the identifiers that name nobody), each user with the rules that decide it and its destination
// address (the address mapping and SAFE_EMAIL, as for grants). No destination has WorkMail's
// objects, so what each one can recreate is written by applicationSections.ts; this file only says
// what there is to recreate, so all four say it of the same users.
//
// An application is not a mailbox and moves with none: a wave script carries every role, whole (its
// scope names every mailbox it reaches, in every wave), because the application has to reach the
// destination from the first wave that moves one of its mailboxes.
import { canBeImpersonated, impersonationEffect, type ImpersonationRole } from '../../routes/impersonation';
import { namedTargets, userFinder } from '../../routes/targets';
import { ownersReached } from '../../routes/whoCanOpen';
import type { AddressMapping, Snapshot, SnapshotEntity, SnapshotImpersonationRule } from '../schema';
import type { ApplicationsPlan, PlannedAccessRule, PlannedRole, PlannedUser } from './applicationsPlan';
import { recordedRoutes } from '../snapshotRoutes';
import { SAFE_EMAIL, commentText, describeEntity } from './common';

export { ACCESS_RULE, IMPERSONATION_ROLE, type ApplicationsPlan, type PlannedAccessRule, type PlannedRole, type PlannedUser } from './applicationsPlan';

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function planApplications(snapshot: Snapshot, mapping: AddressMapping, unchanged: boolean): ApplicationsPlan {
  const recorded = recordedRoutes(snapshot);
  if (!recorded.recorded) {
    return { roles: [], rolesUnread: recorded.why, accessRules: [], accessRulesUnread: recorded.why };
  }
  const routes = recorded.routes;
  const users = snapshot.entities.filter((entity) => entity.kind === 'user');
  const find = userFinder(users);
  const planned = (user: SnapshotEntity, rules: readonly SnapshotImpersonationRule[]): PlannedUser => {
    const address = mapping.destinationOf(user)?.trim();
    if (!address) {
      return { user, rules, problem: unchanged ? 'the user has no email address to name it by' : 'no destination address for the user in the address mapping (add a row for it; nothing is guessed)' };
    }
    if (!SAFE_EMAIL.test(address)) return { user, rules, problem: 'the address contains characters that are not safe in a script' };
    return { user, rules, address };
  };
  const byAddress = (a: PlannedUser, b: PlannedUser): number => compare((a.address ?? a.user.email ?? a.user.id).toLowerCase(), (b.address ?? b.user.email ?? b.user.id).toLowerCase()) || compare(a.user.id, b.user.id);

  const roles = (routes.impersonationRoles ?? []).map((role): PlannedRole => {
    const rules = role.rules ?? [];
    const asRole: ImpersonationRole = { id: role.id, name: role.name, type: role.type, rules };
    const acted = new Set(ownersReached(asRole, users).map((user) => user.id));
    const reached: PlannedUser[] = [];
    const leftOut: PlannedUser[] = [];
    for (const user of users) {
      const effect = impersonationEffect(asRole, user);
      if (acted.has(user.id)) reached.push(planned(user, effect.matchedRules));
      else if (canBeImpersonated(user) && user.userRole !== 'SYSTEM_USER') leftOut.push(planned(user, effect.matchedRules));
    }
    return {
      role,
      rules,
      open: rules.some((rule) => rule.effect === 'ALLOW' && (rule.targetUsers ?? []).length === 0),
      reached: reached.sort(byAddress),
      leftOut: leftOut.sort(byAddress),
      unknownTargets: namedTargets({ rules }).filter((identifier) => !find(identifier)),
      ...(role.rulesUnreadable !== undefined ? { rulesUnreadable: role.rulesUnreadable } : {}),
    };
  });
  roles.sort((a, b) => compare(a.role.name.toLowerCase(), b.role.name.toLowerCase()) || compare(a.role.id, b.role.id));

  const roleName = (id: string): string => {
    const role = routes.impersonationRoles?.find((r) => r.id === id);
    return role ? `${role.name} (${id})` : id;
  };
  const unknownUsers: string[] = [];
  const look = (ids: readonly string[] | undefined): PlannedUser[] =>
    (ids ?? []).flatMap((id) => {
      const user = find(id);
      if (!user) {
        unknownUsers.push(id);
        return [];
      }
      return [planned(user as SnapshotEntity, [])];
    });
  const accessRules = (routes.accessRules ?? []).map((rule, index): PlannedAccessRule => {
    unknownUsers.length = 0;
    const users = look(rule.userIds);
    const notUsers = look(rule.notUserIds);
    return { rule, position: index + 1, users, notUsers, unknownUsers: [...unknownUsers], roles: (rule.impersonationRoleIds ?? []).map(roleName), notRoles: (rule.notImpersonationRoleIds ?? []).map(roleName) };
  });
  return {
    roles,
    ...(routes.impersonationRoles ? {} : { rolesUnread: routes.impersonationRolesUnreadable ?? 'not read' }),
    accessRules,
    ...(routes.accessRulesUnreadable !== undefined ? { accessRulesUnread: routes.accessRulesUnreadable } : routes.accessRules ? {} : { accessRulesUnread: 'not read' }),
  };
}

/** The trace of a role: the comment every line of its section is under. */
export function roleTraceText(planned: PlannedRole): string {
  return commentText(`from WorkMail: impersonationRole=${planned.role.id} type=${planned.role.type} name=${planned.role.name}${planned.role.description ? ` description=${planned.role.description}` : ''}`);
}

/** The trace of one user of a role: the role, the rules that decide and the user, with the destination address when mapped. */
export function roleUserTraceText(planned: PlannedRole, target: PlannedUser, reached: boolean): string {
  const rules = target.rules.length > 0 ? target.rules.map((rule) => `${rule.id}${rule.name ? ` "${rule.name}"` : ''} ${rule.effect}`).join(', ') : 'no rule names the user';
  const mapped = target.address && target.address.toLowerCase() !== target.user.email?.toLowerCase() ? ` as ${target.address}` : '';
  return commentText(`from WorkMail: impersonationRole=${planned.role.id} ${reached ? 'reaches' : 'leaves out'} user=${target.user.id} (${describeEntity(target.user, target.user.id)})${mapped} by rule ${rules}`);
}

/** The trace of an access rule: its place, name, effect and every condition as WorkMail lists it. */
export function accessRuleTraceText(planned: PlannedAccessRule): string {
  const r = planned.rule;
  const conditions = (['actions', 'notActions', 'ipRanges', 'notIpRanges', 'userIds', 'notUserIds', 'impersonationRoleIds', 'notImpersonationRoleIds'] as const)
    .filter((field) => (r[field]?.length ?? 0) > 0)
    .map((field) => `${field}=${r[field]!.join(',')}`);
  return commentText(`from WorkMail: accessRule #${planned.position} name=${r.name} effect=${r.effect}${conditions.length > 0 ? ` ${conditions.join(' ')}` : ' (no condition: everyone, everywhere)'}${r.description ? ` description=${r.description}` : ''}`);
}
