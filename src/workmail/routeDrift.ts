// Drift of the other routes between two snapshots of one organization: booking delegates added or
// removed, booking options changed, impersonation roles (applications) added, removed or changed
// (name, type, rules), access rules added, removed or changed, and their order, which is the order
// WorkMail evaluates them in. drift.ts puts it beside the grants and entities.
//
// What one side could not read is not compared (listed in `notCompared` instead): calling it added
// or removed would be a guess. A snapshot that did not record routes at all (version 1) makes the
// whole comparison "not recorded", rather than every route of the other side "added".
import type { Snapshot, SnapshotAccessRule, SnapshotBookingOptions, SnapshotImpersonationRole, SnapshotImpersonationRule, SnapshotRoutes } from './migration/schema';
import { fieldChange, markdownNotCompared, markdownTable, unreadIn } from './driftWords';
import { recordedRoutes } from './migration/snapshotRoutes';
import { entityName } from './names';
import { ACCESS_RULE_CONDITIONS } from './routes/accessRules';
import { accessRuleInWords, bookingOptionsInWords, impersonationRuleInWords, type NameOf } from './routes/words';

export interface DelegateDrift {
  readonly resourceId: string;
  readonly resource: string;
  readonly delegateId: string;
  readonly delegate: string;
  readonly type: 'USER' | 'GROUP';
}

export interface BookingOptionsDrift {
  readonly resourceId: string;
  readonly resource: string;
  /** In words, as the tree shows them: "Accepts automatically", "Delegates approve every request". */
  readonly before: string;
  readonly after: string;
  /** Each flag that changed: "autoAcceptRequests true → false". */
  readonly changes: readonly string[];
}

export interface RoleDrift {
  readonly id: string;
  readonly name: string;
  readonly type: 'FULL_ACCESS' | 'READ_ONLY';
  /** Added or removed: its rules in words. Changed: what changed, in words. */
  readonly changes: readonly string[];
}

export interface AccessRuleDrift {
  readonly name: string;
  /** The rule in words (after the change, or as it was for a removed rule). */
  readonly rule: string;
  /** Its place in WorkMail's order, from 1 (the side it is on; the later side when on both). */
  readonly position: number;
  /** Changed: each field that changed, in words. Empty for added and removed rules. */
  readonly changes: readonly string[];
}

export interface RouteDrift {
  /** Set when either snapshot did not record routes: nothing below was compared. */
  readonly notRecorded?: string;
  readonly delegatesAdded: readonly DelegateDrift[];
  readonly delegatesRemoved: readonly DelegateDrift[];
  readonly bookingOptionsChanged: readonly BookingOptionsDrift[];
  readonly rolesAdded: readonly RoleDrift[];
  readonly rolesRemoved: readonly RoleDrift[];
  readonly rolesChanged: readonly RoleDrift[];
  readonly accessRulesAdded: readonly AccessRuleDrift[];
  readonly accessRulesRemoved: readonly AccessRuleDrift[];
  readonly accessRulesChanged: readonly AccessRuleDrift[];
  /** The rules on both sides, in WorkMail's order, when that order changed. */
  readonly accessRuleOrder?: { readonly before: readonly string[]; readonly after: readonly string[] };
  /** Parts unread on either side: "the booking delegates of room-atlas", and why. */
  readonly notCompared: readonly { readonly subject: string; readonly why: string }[];
}

export function hasRouteDrift(drift: RouteDrift): boolean {
  const lists = [
    drift.delegatesAdded,
    drift.delegatesRemoved,
    drift.bookingOptionsChanged,
    drift.rolesAdded,
    drift.rolesRemoved,
    drift.rolesChanged,
    drift.accessRulesAdded,
    drift.accessRulesRemoved,
    drift.accessRulesChanged,
  ];
  return lists.some((list) => list.length > 0) || drift.accessRuleOrder !== undefined;
}

/** Whether something about the routes could not be compared. */
export function routesIncomplete(drift: RouteDrift): boolean {
  return drift.notRecorded !== undefined || drift.notCompared.length > 0;
}

const NOTHING: Omit<RouteDrift, 'notRecorded' | 'notCompared'> = {
  delegatesAdded: [],
  delegatesRemoved: [],
  bookingOptionsChanged: [],
  rolesAdded: [],
  rolesRemoved: [],
  rolesChanged: [],
  accessRulesAdded: [],
  accessRulesRemoved: [],
  accessRulesChanged: [],
};

/** "ThrottlingException" from "ThrottlingException: Rate exceeded". */
function codeOf(reason: string): string {
  const colon = reason.indexOf(':');
  return colon > 0 ? reason.slice(0, colon) : reason;
}

/** Names for identifiers as the routes give them: entity IDs, user names or addresses, role IDs. */
function namesOf(from: Snapshot, to: Snapshot): NameOf {
  const names = new Map<string, string>();
  for (const snapshot of [from, to]) {
    for (const role of snapshot.routes?.impersonationRoles ?? []) names.set(role.id, role.name);
    for (const entity of snapshot.entities) {
      const name = entityName(entity);
      names.set(entity.id, name);
      if (entity.name) names.set(entity.name.toLowerCase(), name);
      if (entity.email) names.set(entity.email.toLowerCase(), name);
    }
  }
  return (identifier) => names.get(identifier) ?? names.get(identifier.toLowerCase());
}

const flagWords = (value: boolean | undefined): string => (value === undefined ? '(not given)' : String(value));
const listWords = (items: readonly string[] | undefined, nameOf?: NameOf): string =>
  items && items.length > 0 ? items.map((item) => (nameOf ? (nameOf(item) ?? `${item} (unknown)`) : item)).join(', ') : '(none)';

function optionChanges(before: SnapshotBookingOptions | undefined, after: SnapshotBookingOptions | undefined): string[] {
  const changes: string[] = [];
  for (const flag of ['autoAcceptRequests', 'autoDeclineRecurringRequests', 'autoDeclineConflictingRequests'] as const) {
    if (before?.[flag] !== after?.[flag]) changes.push(fieldChange(flag, flagWords(before?.[flag]), flagWords(after?.[flag])));
  }
  return changes;
}

const ruleWords = (rule: SnapshotImpersonationRule, nameOf: NameOf): string => `${rule.name || rule.id}: ${impersonationRuleInWords(rule, nameOf)}`;
const typeWords = (type: SnapshotImpersonationRole['type']): string => (type === 'FULL_ACCESS' ? 'full access' : 'read only');

function accessChanges(before: SnapshotAccessRule, after: SnapshotAccessRule, nameOf: NameOf): string[] {
  const changes: string[] = [];
  if (before.effect !== after.effect) changes.push(fieldChange('effect', before.effect, after.effect));
  if ((before.description ?? '') !== (after.description ?? '')) changes.push(fieldChange('description', before.description, after.description));
  for (const field of ACCESS_RULE_CONDITIONS) {
    const a = before[field] ?? [];
    const b = after[field] ?? [];
    if (a.join('\u0000') !== b.join('\u0000')) {
      const named = field.toLowerCase().includes('ids') ? nameOf : undefined;
      changes.push(fieldChange(field, listWords(a, named), listWords(b, named)));
    }
  }
  return changes;
}

function roleChanges(before: SnapshotImpersonationRole, after: SnapshotImpersonationRole, nameOf: NameOf): string[] {
  const changes: string[] = [];
  if (before.name !== after.name) changes.push(fieldChange('name', before.name, after.name));
  if (before.type !== after.type) changes.push(fieldChange('type', before.type, after.type));
  if ((before.description ?? '') !== (after.description ?? '')) changes.push(fieldChange('description', before.description, after.description));
  const rulesBefore = new Map((before.rules ?? []).map((rule) => [rule.id, rule]));
  const rulesAfter = new Map((after.rules ?? []).map((rule) => [rule.id, rule]));
  for (const [id, rule] of rulesAfter) {
    const earlier = rulesBefore.get(id);
    if (!earlier) changes.push(`rule added: ${ruleWords(rule, nameOf)}`);
    else if (ruleWords(earlier, nameOf) !== ruleWords(rule, nameOf) || (earlier.description ?? '') !== (rule.description ?? '')) {
      changes.push(`rule changed: ${ruleWords(earlier, nameOf)} → ${ruleWords(rule, nameOf)}`);
    }
  }
  for (const [id, rule] of rulesBefore) {
    if (!rulesAfter.has(id)) changes.push(`rule removed: ${ruleWords(rule, nameOf)}`);
  }
  return changes;
}

interface Labels {
  readonly from: string;
  readonly to: string;
}

function compareRecorded(before: SnapshotRoutes, after: SnapshotRoutes, labels: Labels, nameOf: NameOf, resourceName: (id: string) => string): RouteDrift {
  const notCompared: { subject: string; why: string }[] = [];
  const unread = (subject: string, reasons: ReadonlyArray<readonly [string | undefined, string]>): boolean => {
    const found = reasons.find(([reason]) => reason !== undefined);
    if (found) notCompared.push({ subject, why: unreadIn(found[1], codeOf(found[0]!)) });
    return found !== undefined;
  };

  // Booking delegates and options, per resource (a resource on one side only: its delegates came or went with it).
  const delegatesAdded: DelegateDrift[] = [];
  const delegatesRemoved: DelegateDrift[] = [];
  const bookingOptionsChanged: BookingOptionsDrift[] = [];
  const resourcesBefore = new Map(before.resources.map((r) => [r.resourceId, r]));
  const resourcesAfter = new Map(after.resources.map((r) => [r.resourceId, r]));
  for (const resourceId of new Set([...resourcesBefore.keys(), ...resourcesAfter.keys()])) {
    const a = resourcesBefore.get(resourceId);
    const b = resourcesAfter.get(resourceId);
    const resource = resourceName(resourceId);
    const delegate = (d: { id: string; type: 'USER' | 'GROUP' }): DelegateDrift => ({ resourceId, resource, delegateId: d.id, delegate: nameOf(d.id) ?? `${d.id} (unknown)`, type: d.type });
    if (!unread(`the booking delegates of ${resource}`, [[a?.delegatesUnreadable, labels.from], [b?.delegatesUnreadable, labels.to]])) {
      const idsBefore = new Set((a?.delegates ?? []).map((d) => d.id));
      const idsAfter = new Set((b?.delegates ?? []).map((d) => d.id));
      delegatesAdded.push(...(b?.delegates ?? []).filter((d) => !idsBefore.has(d.id)).map(delegate));
      delegatesRemoved.push(...(a?.delegates ?? []).filter((d) => !idsAfter.has(d.id)).map(delegate));
    }
    if (a && b && !unread(`the booking options of ${resource}`, [[a.bookingOptionsUnreadable, labels.from], [b.bookingOptionsUnreadable, labels.to]])) {
      const changes = optionChanges(a.bookingOptions, b.bookingOptions);
      if (changes.length > 0) bookingOptionsChanged.push({ resourceId, resource, before: bookingOptionsInWords(a.bookingOptions), after: bookingOptionsInWords(b.bookingOptions), changes });
    }
  }

  // Impersonation roles, by ID.
  const rolesAdded: RoleDrift[] = [];
  const rolesRemoved: RoleDrift[] = [];
  const rolesChanged: RoleDrift[] = [];
  if (!unread('the impersonation roles', [[before.impersonationRolesUnreadable, labels.from], [after.impersonationRolesUnreadable, labels.to]])) {
    const rolesBefore = new Map((before.impersonationRoles ?? []).map((role) => [role.id, role]));
    const rolesAfter = new Map((after.impersonationRoles ?? []).map((role) => [role.id, role]));
    const described = (role: SnapshotImpersonationRole, changes: string[]): RoleDrift => ({ id: role.id, name: role.name, type: role.type, changes });
    const rulesOf = (role: SnapshotImpersonationRole): string[] =>
      role.rules === undefined ? ['rules not read'] : role.rules.length === 0 ? ['no rule: reaches nobody'] : role.rules.map((rule) => ruleWords(rule, nameOf));
    for (const [id, role] of rolesAfter) {
      const earlier = rolesBefore.get(id);
      if (!earlier) {
        rolesAdded.push(described(role, [typeWords(role.type), ...rulesOf(role)]));
        continue;
      }
      const rulesUnread = unread(`the rules of the impersonation role ${role.name}`, [[earlier.rulesUnreadable, labels.from], [role.rulesUnreadable, labels.to]]);
      const changes = roleChanges(rulesUnread ? { ...earlier, rules: [] } : earlier, rulesUnread ? { ...role, rules: [] } : role, nameOf);
      if (changes.length > 0) rolesChanged.push(described(role, changes));
    }
    for (const [id, role] of rolesBefore) {
      if (!rolesAfter.has(id)) rolesRemoved.push(described(role, [typeWords(role.type), ...rulesOf(role)]));
    }
  }

  // Access rules, by name (a rule of the same name replaces the older one), and their order.
  const accessRulesAdded: AccessRuleDrift[] = [];
  const accessRulesRemoved: AccessRuleDrift[] = [];
  const accessRulesChanged: AccessRuleDrift[] = [];
  let accessRuleOrder: RouteDrift['accessRuleOrder'];
  if (!unread('the access rules', [[before.accessRulesUnreadable, labels.from], [after.accessRulesUnreadable, labels.to]])) {
    const listBefore = before.accessRules ?? [];
    const listAfter = after.accessRules ?? [];
    const namesBefore = new Map(listBefore.map((rule, i) => [rule.name, { rule, position: i + 1 }]));
    const namesAfter = new Map(listAfter.map((rule, i) => [rule.name, { rule, position: i + 1 }]));
    for (const [name, { rule, position }] of namesAfter) {
      const earlier = namesBefore.get(name);
      if (!earlier) {
        accessRulesAdded.push({ name, rule: accessRuleInWords(rule, nameOf), position, changes: [] });
        continue;
      }
      const changes = accessChanges(earlier.rule, rule, nameOf);
      if (changes.length > 0) accessRulesChanged.push({ name, rule: accessRuleInWords(rule, nameOf), position, changes });
    }
    for (const [name, { rule, position }] of namesBefore) {
      if (!namesAfter.has(name)) accessRulesRemoved.push({ name, rule: accessRuleInWords(rule, nameOf), position, changes: [] });
    }
    // Order among the rules on both sides: an added or removed rule alone does not reorder the others.
    const orderBefore = listBefore.map((rule) => rule.name).filter((name) => namesAfter.has(name));
    const orderAfter = listAfter.map((rule) => rule.name).filter((name) => namesBefore.has(name));
    if (orderBefore.join('\u0000') !== orderAfter.join('\u0000')) accessRuleOrder = { before: orderBefore, after: orderAfter };
  }

  const byResource = (a: DelegateDrift, b: DelegateDrift): number => `${a.resource}\u0000${a.delegate}`.localeCompare(`${b.resource}\u0000${b.delegate}`);
  const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);
  return {
    delegatesAdded: delegatesAdded.sort(byResource),
    delegatesRemoved: delegatesRemoved.sort(byResource),
    bookingOptionsChanged: bookingOptionsChanged.sort((a, b) => a.resource.localeCompare(b.resource)),
    rolesAdded: rolesAdded.sort(byName),
    rolesRemoved: rolesRemoved.sort(byName),
    rolesChanged: rolesChanged.sort(byName),
    accessRulesAdded: accessRulesAdded.sort((a, b) => a.position - b.position),
    accessRulesRemoved: accessRulesRemoved.sort((a, b) => a.position - b.position),
    accessRulesChanged: accessRulesChanged.sort((a, b) => a.position - b.position),
    ...(accessRuleOrder ? { accessRuleOrder } : {}),
    notCompared,
  };
}

/** The routes' drift from `from` to `to` (two snapshots of one organization; drift.ts checks that). */
export function diffRoutes(from: Snapshot, to: Snapshot, labels: Labels): RouteDrift {
  const before = recordedRoutes(from);
  const after = recordedRoutes(to);
  if (!before.recorded || !after.recorded) {
    const missing = (snapshot: Snapshot, label: string): string => (snapshot.version < 2 ? `not recorded in ${label} (snapshot version ${snapshot.version})` : `not read for ${label}`);
    const notRecorded = [!before.recorded ? missing(from, labels.from) : '', !after.recorded ? missing(to, labels.to) : ''].filter(Boolean).join('; ');
    return { ...NOTHING, notRecorded, notCompared: [] };
  }
  const nameOf = namesOf(from, to);
  const resources = new Map([...from.entities, ...to.entities].map((entity) => [entity.id, entityName(entity)]));
  return compareRecorded(before.routes, after.routes, labels, nameOf, (id) => resources.get(id) ?? id);
}

// ------------------------------------------------------------------------------------- in words

/** The routes' lines of `diff`'s text output, in the grants' style. */
export function routeDriftLines(drift: RouteDrift): string[] {
  const lines: string[] = [];
  if (drift.notRecorded) {
    lines.push(`  ? routes  booking delegates, applications and access rules not compared: ${drift.notRecorded}`);
    return lines;
  }
  for (const d of drift.delegatesAdded) lines.push(`  + delegate ${d.delegate} (${d.type.toLowerCase()}) on ${d.resource}`);
  for (const d of drift.delegatesRemoved) lines.push(`  - delegate ${d.delegate} (${d.type.toLowerCase()}) on ${d.resource}`);
  for (const o of drift.bookingOptionsChanged) lines.push(`  ~ booking ${o.resource}: ${o.before} -> ${o.after} (${o.changes.join('; ')})`);
  for (const r of drift.rolesAdded) lines.push(`  + role    ${r.name}: ${r.changes.join('; ')}`);
  for (const r of drift.rolesRemoved) lines.push(`  - role    ${r.name}: had ${r.changes.join('; ')}`);
  for (const r of drift.rolesChanged) lines.push(`  ~ role    ${r.name}: ${r.changes.join('; ')}`);
  for (const a of drift.accessRulesAdded) lines.push(`  + rule    ${a.name} (${ordinal(a.position)}): ${a.rule}`);
  for (const a of drift.accessRulesRemoved) lines.push(`  - rule    ${a.name} (was ${ordinal(a.position)}): ${a.rule}`);
  for (const a of drift.accessRulesChanged) lines.push(`  ~ rule    ${a.name}: ${a.changes.join('; ')}`);
  if (drift.accessRuleOrder) lines.push(`  ~ rule order: ${drift.accessRuleOrder.before.join(', ')} -> ${drift.accessRuleOrder.after.join(', ')}`);
  for (const n of drift.notCompared) lines.push(`  ? routes  ${n.subject}: not compared, ${n.why}`);
  return lines;
}

function ordinal(position: number): string {
  const tens = position % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][position % 10] ?? 'th');
  return `${position}${suffix}`;
}

/** The routes' sections of the markdown report; `escape` makes values from WorkMail inert. */
export function routeDriftMarkdown(drift: RouteDrift, escape: (value: string) => string): string[] {
  const out: string[] = [];
  if (drift.notRecorded) {
    out.push('## Booking delegates, applications and access rules', '', escape(`Not compared: ${drift.notRecorded}.`), '');
    return out;
  }
  const table = (title: string, header: readonly string[], rows: ReadonlyArray<readonly string[]>): void => {
    out.push(...markdownTable(title, header, rows.map((row) => row.map(escape))));
  };
  const delegates = (list: readonly DelegateDrift[]) => list.map((d) => [d.resource, d.delegate, d.type.toLowerCase()]);
  table('Booking delegates added', ['resource', 'delegate', 'kind'], delegates(drift.delegatesAdded));
  table('Booking delegates removed', ['resource', 'delegate', 'kind'], delegates(drift.delegatesRemoved));
  table('Booking options changed', ['resource', 'before', 'after', 'change'], drift.bookingOptionsChanged.map((o) => [o.resource, o.before, o.after, o.changes.join('; ')]));
  const roles = (list: readonly RoleDrift[]) => list.map((r) => [r.name, typeWords(r.type), r.changes.join('; ')]);
  table('Applications added', ['impersonation role', 'type', 'rules'], roles(drift.rolesAdded));
  table('Applications removed', ['impersonation role', 'type', 'rules'], roles(drift.rolesRemoved));
  table('Applications changed', ['impersonation role', 'type', 'change'], roles(drift.rolesChanged));
  const rules = (list: readonly AccessRuleDrift[]) => list.map((a) => [a.name, String(a.position), a.rule]);
  table('Access rules added', ['rule', 'position', 'rule in words'], rules(drift.accessRulesAdded));
  table('Access rules removed', ['rule', 'was at', 'rule in words'], rules(drift.accessRulesRemoved));
  table('Access rules changed', ['rule', 'position', 'change'], drift.accessRulesChanged.map((a) => [a.name, String(a.position), a.changes.join('; ')]));
  if (drift.accessRuleOrder) {
    out.push('## Access rule order changed', '', `Before: ${escape(drift.accessRuleOrder.before.join(', '))}`, '', `After: ${escape(drift.accessRuleOrder.after.join(', '))}`, '');
  }
  out.push(...markdownNotCompared('Routes not compared', drift.notCompared.map((n) => ({ subject: escape(n.subject), why: escape(n.why) }))));
  return out;
}
