// What the route reads (src/workmail/routes/load.ts) cost a full scan, from the emulator's call
// log: calls per resource, per impersonation role, and per mailbox for roles and rules, against
// issue 27's target (at most one call per resource and one per role beyond today's scan, none per
// mailbox for roles or rules). Arithmetic only, so test/bench can check it; bench/routes.ts measures.

/** The reads made once per resource: its booking delegates, and its booking options. */
export const RESOURCE_OPERATIONS = ['ListResourceDelegates', 'DescribeResource'] as const;
/** The read made once per impersonation role: its rules. */
export const ROLE_OPERATIONS = ['GetImpersonationRole'] as const;
/** The reads made once per organization, whatever its size. */
export const ORGANIZATION_OPERATIONS = ['ListImpersonationRoles', 'ListAccessControlRules'] as const;
/** Every operation about roles or rules, including the per-principal questions that must not scale with mailboxes. */
export const ROLE_AND_RULE_OPERATIONS = ['ListImpersonationRoles', 'GetImpersonationRole', 'GetImpersonationRoleEffect', 'ListAccessControlRules', 'GetAccessControlEffect'] as const;
/** ListImpersonationRoles pages at most 20 roles (its MaxResults). */
export const ROLES_PAGE = 20;

export interface RouteWorkload {
  readonly resources: number;
  readonly roles: number;
  /** Every mailbox the scan reads: users, groups and resources. */
  readonly mailboxes: number;
}

export interface RouteReadCost {
  readonly perResource: number;
  /** Per resource, each of RESOURCE_OPERATIONS. */
  readonly perResourceByOperation: Readonly<Record<string, number>>;
  readonly perRole: number;
  /** Calls made once for the whole organization (the role list's pages and the access rules). */
  readonly organizationWide: number;
  /**
   * Calls of role and rule operations beyond one per role and the organization-wide lists (one
   * page of roles per 20 roles, one list of rules), per mailbox: what would grow with the mailboxes.
   */
  readonly roleAndRuleCallsPerMailbox: number;
  readonly roleAndRuleCallsBeyond: number;
  /** Calls of operations that are none of the above: the route reads should make none. */
  readonly otherCalls: Readonly<Record<string, number>>;
  readonly total: number;
}

const countOf = (byOperation: Readonly<Record<string, number>>, operations: readonly string[]): number => operations.reduce((sum, op) => sum + (byOperation[op] ?? 0), 0);
const per = (calls: number, items: number): number => (items > 0 ? calls / items : 0);

export function routeReadCost(byOperation: Readonly<Record<string, number>>, workload: RouteWorkload): RouteReadCost {
  const perResourceByOperation = Object.fromEntries(RESOURCE_OPERATIONS.map((op) => [op, per(byOperation[op] ?? 0, workload.resources)]));
  const roleReads = countOf(byOperation, ROLE_OPERATIONS);
  const organizationWide = countOf(byOperation, ORGANIZATION_OPERATIONS);
  const expectedFixed = Math.min(roleReads, workload.roles) + Math.max(1, Math.ceil(workload.roles / ROLES_PAGE)) + 1;
  const roleAndRuleCallsBeyond = Math.max(0, countOf(byOperation, ROLE_AND_RULE_OPERATIONS) - expectedFixed);
  const known = new Set<string>([...RESOURCE_OPERATIONS, ...ROLE_AND_RULE_OPERATIONS]);
  const otherCalls = Object.fromEntries(Object.entries(byOperation).filter(([op, n]) => !known.has(op) && n > 0));
  return {
    perResource: per(countOf(byOperation, RESOURCE_OPERATIONS), workload.resources),
    perResourceByOperation,
    perRole: per(roleReads, workload.roles),
    organizationWide,
    roleAndRuleCallsPerMailbox: per(roleAndRuleCallsBeyond, workload.mailboxes),
    roleAndRuleCallsBeyond,
    otherCalls,
    total: Object.values(byOperation).reduce((sum, n) => sum + n, 0),
  };
}

/** The parts of the API model (emulator/model/service-2.json) the verdict reads. */
export interface ServiceModelShapes {
  readonly shapes: Readonly<Record<string, { readonly members?: Readonly<Record<string, unknown>> }>>;
}

/**
 * Whether the scan's directory listing already carries what DescribeResource is called for:
 * ListResources returns `Resource` structures, and a `BookingOptions` member there would make the
 * per-resource DescribeResource unnecessary.
 */
export function listingHasBookingOptions(model: ServiceModelShapes): boolean {
  return Object.hasOwn(model.shapes.Resource?.members ?? {}, 'BookingOptions');
}

/** Why the per-resource figure is what it is, in words for the table's note. */
export function perResourceReason(cost: RouteReadCost, listingHasOptions: boolean, resources: number): string {
  const split = RESOURCE_OPERATIONS.map((op) => `${op} ${(cost.perResourceByOperation[op] ?? 0).toFixed(2)}`).join(' + ');
  const why = listingHasOptions
    ? 'ListResources already gives BookingOptions: DescribeResource could be dropped'
    : "ListResources' Resource has no BookingOptions (emulator/model/service-2.json) and no other read gives a resource's delegates, so two calls per resource is the least that keeps both";
  return `${split} per resource (${resources} resources); ${why}`;
}
