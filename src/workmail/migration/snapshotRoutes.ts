// The routes part of a snapshot (version 2 on): booking delegates and options, impersonation roles
// and access rules as loadRoutes read them, turned into the file's plain data; the checks on them
// that need the whole file; and the one way to read them back, which says when a file (version 1)
// did not record them rather than handing out empty lists.
import { accessRuleRecord, isAllowEverything } from '../routes/accessRules';
import type { OrganizationRoutes, RouteFailure, RoutePart } from '../routes/load';
import type { DirectoryEntity } from '../types';
import type { Snapshot, SnapshotAccessRule, SnapshotBookingOptions, SnapshotImpersonationRole, SnapshotResourceRoutes, SnapshotRoutes } from './schema';

export type RecordedRoutes = { readonly recorded: true; readonly routes: SnapshotRoutes } | { readonly recorded: false; readonly why: string };

/** The snapshot's routes, or why it has none: "not recorded (snapshot version 1)". */
export function recordedRoutes(snapshot: Pick<Snapshot, 'version' | 'routes'>): RecordedRoutes {
  if (snapshot.routes) return { recorded: true, routes: snapshot.routes };
  return { recorded: false, why: snapshot.version < 2 ? `not recorded (snapshot version ${snapshot.version})` : 'not read with this snapshot' };
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function reasonOf(failure: RouteFailure): string {
  return `${failure.error.code}: ${failure.error.message}`;
}

function iso(date: Date | undefined): string | undefined {
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

/** Only the keys whose value is defined, so the written line carries no `null` and no empty list. */
function present<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined && !(Array.isArray(item) && item.length === 0))) as T;
}

/**
 * The routes of `resources` (the snapshot's resource entities) as the file records them. A resource
 * loadRoutes gave nothing for, and no failure either, is recorded as not read: never as none.
 */
export function snapshotRoutes(routes: OrganizationRoutes, resources: readonly DirectoryEntity[]): SnapshotRoutes {
  const failureOf = (matches: (part: RoutePart) => boolean): string | undefined => {
    const failure = routes.failures.find((f) => matches(f.part));
    return failure ? reasonOf(failure) : undefined;
  };
  const resourceRoutes = [...new Set(resources.map((r) => r.id))].sort(byId).map((resourceId): SnapshotResourceRoutes => {
    const listed = routes.delegates.get(resourceId);
    const delegatesFailure = failureOf((part) => part.kind === 'bookingDelegates' && part.resourceId === resourceId);
    const optionsFailure = failureOf((part) => part.kind === 'bookingOptions' && part.resourceId === resourceId);
    const delegates = listed && !delegatesFailure ? [...new Map(listed.map((d) => [d.id, { id: d.id, type: d.type }])).values()].sort((a, b) => byId(a.id, b.id)) : undefined;
    const options = routes.bookingOptions.get(resourceId);
    const bookingOptions: SnapshotBookingOptions | undefined = options && !optionsFailure ? present({ ...options }) : undefined;
    return {
      resourceId,
      ...(delegates ? { delegates } : { delegatesUnreadable: delegatesFailure ?? 'NotRead: the booking delegates were not read' }),
      ...(bookingOptions ? { bookingOptions } : {}),
      ...(optionsFailure ? { bookingOptionsUnreadable: optionsFailure } : !routes.bookingOptions.has(resourceId) ? { bookingOptionsUnreadable: 'NotRead: the booking options were not read' } : {}),
    };
  });
  const rolesFailure = failureOf((part) => part.kind === 'impersonationRoles');
  const roles = new Map<string, SnapshotImpersonationRole>();
  if (!rolesFailure) {
    for (const role of routes.roles) {
      // A role with no rule keeps its empty list: it reaches nobody, which is worth recording.
      const rules = role.rules.map((rule) => present({ ...rule, targetUsers: rule.targetUsers && [...rule.targetUsers], notTargetUsers: rule.notTargetUsers && [...rule.notTargetUsers] }));
      const dates = present({ dateCreated: iso(role.dateCreated), dateModified: iso(role.dateModified) });
      roles.set(role.id, { ...present({ id: role.id, name: role.name, type: role.type, description: role.description }), rules, ...dates });
    }
    for (const failure of routes.failures) {
      if (failure.part.kind !== 'impersonationRules') continue;
      const { id, name, type } = failure.part.role;
      const read = roles.get(id);
      roles.set(id, read ? { ...read, rulesUnreadable: reasonOf(failure) } : { id, name, type, rulesUnreadable: reasonOf(failure) });
    }
  }
  const rulesFailure = failureOf((part) => part.kind === 'accessRules');
  // The default mark goes after the effect, where the file has always had it.
  const accessRules = routes.accessRules.map((rule): SnapshotAccessRule => {
    const { name, effect, ...rest } = accessRuleRecord(rule);
    return { name, effect, ...(isAllowEverything(rule) ? { default: true as const } : {}), ...rest };
  });
  const unreadableRules =
    routes.unreadableRules > 0 ? `UnreadableRule: ${routes.unreadableRules} access rule${routes.unreadableRules === 1 ? '' : 's'} with no name, or an effect that is neither ALLOW nor DENY, could not be read` : undefined;
  return {
    resources: resourceRoutes,
    ...(rolesFailure ? { impersonationRolesUnreadable: rolesFailure } : { impersonationRoles: [...roles.values()].sort((a, b) => byId(a.id, b.id)) }),
    ...(rulesFailure ? { accessRulesUnreadable: rulesFailure } : { accessRules, ...(unreadableRules ? { accessRulesUnreadable: unreadableRules } : {}) }),
  };
}

/** What only the whole file shows about the routes, each naming its field. `entities`: kind by ID. */
export function routeProblems(routes: SnapshotRoutes, entities: ReadonlyMap<string, { readonly kind: string; readonly index: number }>): string[] {
  const problems: string[] = [];
  const once = <T>(items: readonly T[], keyOf: (item: T) => string, where: (i: number) => string, what: (j: number) => string): void => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const key = keyOf(item);
      const earlier = seen.get(key);
      if (earlier !== undefined) problems.push(`${where(i)}: ${JSON.stringify(key)} is also ${what(earlier)}`);
      else seen.set(key, i);
    });
  };
  const exclusive = (where: string, list: unknown, reason: unknown, listName: string, reasonName: string, partialAllowed: boolean): void => {
    if (list === undefined && reason === undefined) problems.push(`${where}.${listName}: missing (or ${reasonName}, saying why it could not be read)`);
    if (!partialAllowed && list !== undefined && reason !== undefined) problems.push(`${where}.${listName}: ${listName} that could not be read (${reasonName}) lists none`);
  };
  routes.resources.forEach((resource, i) => {
    const where = `routes.resources[${i}]`;
    const entity = entities.get(resource.resourceId);
    if (!entity) problems.push(`${where}.resourceId: ${JSON.stringify(resource.resourceId)} is not one of the entities`);
    else if (entity.kind !== 'resource') problems.push(`${where}.resourceId: ${JSON.stringify(resource.resourceId)} is a ${entity.kind}, not a resource`);
    exclusive(where, resource.delegates, resource.delegatesUnreadable, 'delegates', 'delegatesUnreadable', false);
    once(resource.delegates ?? [], (d) => d.id, (j) => `${where}.delegates[${j}].id`, (j) => `delegates[${j}]`);
    if (resource.bookingOptions !== undefined && resource.bookingOptionsUnreadable !== undefined) {
      problems.push(`${where}.bookingOptions: booking options that could not be read (bookingOptionsUnreadable) are none`);
    }
  });
  once(routes.resources, (r) => r.resourceId, (i) => `routes.resources[${i}].resourceId`, (j) => `routes.resources[${j}]`);
  const recorded = new Set(routes.resources.map((r) => r.resourceId));
  for (const [id, entity] of entities) {
    if (entity.kind === 'resource' && !recorded.has(id)) problems.push(`routes.resources: no entry for the resource entities[${entity.index}] (${JSON.stringify(id)})`);
  }
  exclusive('routes', routes.impersonationRoles, routes.impersonationRolesUnreadable, 'impersonationRoles', 'impersonationRolesUnreadable', false);
  const roles = routes.impersonationRoles ?? [];
  once(roles, (r) => r.id, (i) => `routes.impersonationRoles[${i}].id`, (j) => `routes.impersonationRoles[${j}]`);
  roles.forEach((role, i) => {
    const where = `routes.impersonationRoles[${i}]`;
    exclusive(where, role.rules, role.rulesUnreadable, 'rules', 'rulesUnreadable', true);
    once(role.rules ?? [], (rule) => rule.id, (j) => `${where}.rules[${j}].id`, (j) => `rules[${j}]`);
  });
  exclusive('routes', routes.accessRules, routes.accessRulesUnreadable, 'accessRules', 'accessRulesUnreadable', true);
  const rules = routes.accessRules ?? [];
  once(rules, (r) => r.name, (i) => `routes.accessRules[${i}].name`, (j) => `routes.accessRules[${j}]`);
  rules.forEach((rule, i) => {
    if (rule.default && !isAllowEverything(rule)) problems.push(`routes.accessRules[${i}].default: only the rule that allows everything with no condition is the default rule`);
  });
  return problems;
}
