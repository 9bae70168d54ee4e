// The emulator's state and the WorkMail operations on it. Inputs reaching `execute` have already
// passed model validation (model.ts); everything here is semantics. Choices where the real
// service's behaviour is unknown are listed in docs/EMULATOR.md.
import { AccessControlRules, type AccessControlRuleInfo } from './accessRules';
import type { KnownCredential } from './auth';
import { DEFAULT_BOOKING_OPTIONS, ResourceBooking, type BookingInfo, type BookingOptions } from './booking';
import { AdminError, ApiError } from './errors';
import { ImpersonationRoles, type ImpersonationRoleInfo } from './impersonation';
import { DEFAULT_PAGE_SIZE, InvalidTokenError, PageTokenCodec, compareKeys, pageAfter, type TokenScope } from './pagination';
import type { RouteContext } from './routeContext';
import { expandSeed, type SeedDocument, type SeedEntityState, type SeedRight, type SeedUser } from './seed';
import { DEFAULT_VARIANTS, DIRECTORY_LAG_MS, type Variants } from './variants';

export type Right = SeedRight;
export type EntityState = SeedEntityState;
export const RIGHTS_IN_ORDER: readonly Right[] = ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'];
const ENTITY_STATES: readonly EntityState[] = ['ENABLED', 'DISABLED', 'DELETED'];
/** Organization states in which directory and permission calls are served. */
const SERVING_ORG_STATES = new Set(['Active', 'Synchronizing']);

export { AdminError, ApiError };

type EntityKind = 'user' | 'group' | 'resource';

interface Entity {
  readonly kind: EntityKind;
  readonly id: string;
  /** Changed only by UpdateResource. */
  name: string;
  readonly email?: string;
  /** Its other addresses (ListAliases), as the seed gives them; never the primary one. */
  readonly aliases?: readonly string[];
  state: EntityState;
  readonly displayName?: string;
  readonly role?: string;
  resourceType?: 'ROOM' | 'EQUIPMENT';
  description?: string;
  /** HiddenFromGlobalAddressList; set only by UpdateResource. */
  hidden?: boolean;
  readonly members?: readonly string[];
  readonly firstName?: string;
  readonly lastName?: string;
  readonly jobTitle?: string;
  readonly department?: string;
  enabledDate?: number;
  disabledDate?: number;
}

interface StoredGrant {
  readonly granteeType: 'USER' | 'GROUP';
  readonly rights: readonly Right[];
  /** The GranteeId the last Put sent (an ID, a name or an email), listed under grantee-id-form=as-given. */
  readonly listedAs?: string;
}

/** An entity as it was before a directory change (undefined: it did not exist yet). */
interface DirectoryChange {
  readonly at: number;
  readonly before: Entity | undefined;
}

interface GrantChange {
  readonly at: number;
  readonly granteeId: string;
  readonly before: StoredGrant | undefined;
}

interface OrgState {
  readonly id: string;
  readonly alias: string;
  readonly region: string;
  state: string;
  readonly defaultMailDomain?: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly completedDate: number;
  readonly entities: Map<string, Entity>;
  readonly byName: Map<string, Entity>;
  readonly byEmail: Map<string, Entity>;
  readonly sorted: Record<EntityKind, Entity[]>;
  readonly grants: Map<string, Map<string, StoredGrant>>;
  /** Recent changes per mailbox, kept only while a consistency delay is configured. */
  readonly recentChanges: Map<string, GrantChange[]>;
  /** Recent directory changes per entity ID, for directory-lag=lagging (pruned after the lag). */
  readonly directoryChanges: Map<string, DirectoryChange[]>;
  /** Booking options and delegates of the resources. */
  readonly booking: ResourceBooking;
  readonly impersonation: ImpersonationRoles;
  readonly accessRules: AccessControlRules;
}

export interface CallerContext {
  readonly accountId: string;
  readonly region: string;
}

export interface OrganizationInfo {
  readonly id: string;
  readonly alias: string;
  readonly region: string;
  readonly state: string;
  /** The seed account's name. */
  readonly account: string;
  readonly accountId: string;
}

export interface GrantInfo {
  readonly mailboxId: string;
  readonly granteeId: string;
  readonly granteeType: 'USER' | 'GROUP';
  readonly rights: Right[];
}

type Params = Record<string, unknown>;

function toEpochMs(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** AWS JSON timestamps are epoch seconds. */
function toEpochSeconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

function canonicalRights(values: readonly string[]): Right[] {
  return RIGHTS_IN_ORDER.filter((r) => values.includes(r));
}

/** Drops undefined members so responses carry only what is known. */
function compact<T extends Record<string, unknown>>(record: T): T {
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record;
}

function startsWithIgnoringCase(value: string | undefined, prefix: unknown): boolean {
  if (typeof prefix !== 'string') return true;
  return value !== undefined && value.toLowerCase().startsWith(prefix.toLowerCase());
}

function startsWithExactly(value: string | undefined, prefix: unknown): boolean {
  if (typeof prefix !== 'string') return true;
  return value !== undefined && value.startsWith(prefix);
}

function userEntity(u: SeedUser): Entity {
  return {
    kind: 'user',
    id: u.id,
    name: u.name,
    email: u.email,
    aliases: u.aliases,
    state: u.state ?? 'ENABLED',
    displayName: u.displayName,
    role: u.role ?? 'USER',
    firstName: u.firstName,
    lastName: u.lastName,
    jobTitle: u.jobTitle,
    department: u.department,
    enabledDate: toEpochMs(u.enabledDate),
    disabledDate: toEpochMs(u.disabledDate),
  };
}

function granteeTypeOf(entity: Entity): 'USER' | 'GROUP' {
  return entity.kind === 'group' ? 'GROUP' : 'USER';
}

export class WorkMailStore {
  private readonly codec = new PageTokenCodec();
  private credentialsByKey = new Map<string, KnownCredential>();
  private orgs = new Map<string, OrgState>();

  constructor(
    seed: SeedDocument,
    private readonly consistencyDelayMs: () => number = () => 0,
    private readonly clock: () => number = Date.now,
    /** The behaviours chosen where the real service's is unknown (./variants). */
    private readonly variants: () => Variants = () => DEFAULT_VARIANTS,
  ) {
    this.load(seed);
  }

  /** Replaces all state with the seed's. Continuation tokens stay verifiable (same codec). */
  load(seed: SeedDocument): void {
    const expanded = expandSeed(seed);
    const credentials = new Map<string, KnownCredential>();
    const orgs = new Map<string, OrgState>();
    expanded.accounts.forEach((account, index) => {
      const accountId = account.id ?? String(100000000000 + index);
      for (const key of account.accessKeys) {
        credentials.set(key.accessKeyId, { ...key, accountId });
      }
      for (const org of account.organizations ?? []) {
        const entities = new Map<string, Entity>();
        const add = (entity: Entity): void => {
          entities.set(entity.id, entity);
        };
        for (const u of org.users ?? []) {
          add(userEntity(u));
        }
        for (const g of org.groups ?? []) {
          add({
            kind: 'group',
            id: g.id,
            name: g.name,
            email: g.email,
            aliases: g.aliases,
            state: g.state ?? 'ENABLED',
            members: g.members ?? [],
            enabledDate: toEpochMs(g.enabledDate),
            disabledDate: toEpochMs(g.disabledDate),
          });
        }
        for (const r of org.resources ?? []) {
          add({
            kind: 'resource',
            id: r.id,
            name: r.name,
            email: r.email,
            aliases: r.aliases,
            state: r.state ?? 'ENABLED',
            resourceType: r.type,
            description: r.description,
            enabledDate: toEpochMs(r.enabledDate),
            disabledDate: toEpochMs(r.disabledDate),
          });
        }
        const byName = new Map<string, Entity>();
        const byEmail = new Map<string, Entity>();
        const sorted: Record<EntityKind, Entity[]> = { user: [], group: [], resource: [] };
        for (const entity of entities.values()) {
          if (!byName.has(entity.name.toLowerCase())) byName.set(entity.name.toLowerCase(), entity);
          if (entity.email && !byEmail.has(entity.email.toLowerCase())) byEmail.set(entity.email.toLowerCase(), entity);
          sorted[entity.kind].push(entity);
        }
        for (const list of Object.values(sorted)) list.sort((a, b) => compareKeys(a.id, b.id));
        const grants = new Map<string, Map<string, StoredGrant>>();
        for (const grant of org.grants ?? []) {
          const rights = canonicalRights(grant.rights);
          if (rights.length === 0) continue;
          const grantee = entities.get(grant.grantee);
          const granteeType = grantee ? granteeTypeOf(grantee) : (grant.granteeType ?? 'USER');
          let perMailbox = grants.get(grant.mailbox);
          if (!perMailbox) grants.set(grant.mailbox, (perMailbox = new Map()));
          perMailbox.set(grant.grantee, { granteeType, rights });
        }
        const completedDate = Date.UTC(2022, 2, 1);
        orgs.set(org.id, {
          id: org.id,
          alias: org.alias,
          region: org.region,
          state: org.state ?? 'Active',
          defaultMailDomain: org.defaultMailDomain,
          accountId,
          accountName: account.name,
          completedDate,
          entities,
          byName,
          byEmail,
          sorted,
          grants,
          recentChanges: new Map(),
          directoryChanges: new Map(),
          booking: new ResourceBooking(org.booking ?? [], (id) => (entities.get(id)?.kind === 'group' ? 'GROUP' : 'USER'), this.consistencyDelayMs, this.clock),
          impersonation: new ImpersonationRoles(org.impersonationRoles ?? [], completedDate),
          accessRules: new AccessControlRules(org.accessControlRules, completedDate),
        });
      }
    });
    this.credentialsByKey = credentials;
    this.orgs = orgs;
  }

  credential(accessKeyId: string): KnownCredential | undefined {
    return this.credentialsByKey.get(accessKeyId);
  }

  // ---- programmatic / admin API -------------------------------------------------------------

  organizations(): OrganizationInfo[] {
    return [...this.orgs.values()].map((o) => ({
      id: o.id,
      alias: o.alias,
      region: o.region,
      state: o.state,
      account: o.accountName,
      accountId: o.accountId,
    }));
  }

  /** Ground truth (never delayed by the consistency fault). */
  grants(orgId: string): GrantInfo[] {
    const org = this.adminOrg(orgId);
    const out: GrantInfo[] = [];
    for (const mailboxId of [...org.grants.keys()].sort(compareKeys)) {
      const perMailbox = org.grants.get(mailboxId)!;
      for (const granteeId of [...perMailbox.keys()].sort(compareKeys)) {
        const g = perMailbox.get(granteeId)!;
        out.push({ mailboxId, granteeId, granteeType: g.granteeType, rights: [...g.rights] });
      }
    }
    return out;
  }

  /** Out-of-band change, as if another administrator made it. `[]` removes the grant. */
  putGrantDirect(orgId: string, mailboxId: string, granteeId: string, rights: readonly string[]): void {
    const org = this.adminOrg(orgId);
    const unknownRight = rights.find((r) => !(RIGHTS_IN_ORDER as readonly string[]).includes(r));
    if (unknownRight !== undefined) throw new AdminError(`Unknown right ${unknownRight}`);
    const mailbox = this.resolveTruth(org, mailboxId);
    const grantee = this.resolveTruth(org, granteeId);
    this.writeGrant(org, mailbox?.id ?? mailboxId, grantee?.id ?? granteeId, grantee ? granteeTypeOf(grantee) : 'USER', canonicalRights(rights), granteeId);
  }

  /**
   * A new user, as if created (and, with an email, registered) by another administrator. Under
   * directory-lag=lagging WorkMail's calls do not see it for DIRECTORY_LAG_MS.
   */
  addUser(orgId: string, user: SeedUser): void {
    const org = this.adminOrg(orgId);
    if (typeof user?.id !== 'string' || user.id === '' || typeof user.name !== 'string' || user.name === '') {
      throw new AdminError('A user needs an id and a name');
    }
    if (org.entities.has(user.id) || org.byName.has(user.name.toLowerCase()) || (user.email && org.byEmail.has(user.email.toLowerCase()))) {
      throw new AdminError(`Organization ${orgId} already has an entity with the id, name or email of ${user.name}`);
    }
    if (user.state !== undefined && !(ENTITY_STATES as readonly string[]).includes(user.state)) throw new AdminError(`State must be one of ${ENTITY_STATES.join(', ')}`);
    const entity = userEntity({ ...user, enabledDate: user.enabledDate ?? (user.email ? new Date(this.clock()).toISOString() : undefined) });
    this.recordDirectoryChange(org, entity.id, undefined);
    org.entities.set(entity.id, entity);
    org.byName.set(entity.name.toLowerCase(), entity);
    if (entity.email) org.byEmail.set(entity.email.toLowerCase(), entity);
    org.sorted.user.push(entity);
    org.sorted.user.sort((a, b) => compareKeys(a.id, b.id));
  }

  setEntityState(orgId: string, entityId: string, state: string): void {
    const org = this.adminOrg(orgId);
    if (!(ENTITY_STATES as readonly string[]).includes(state)) throw new AdminError(`State must be one of ${ENTITY_STATES.join(', ')}`);
    const entity = this.resolveTruth(org, entityId);
    if (!entity) throw new AdminError(`No entity ${entityId} in organization ${orgId}`);
    this.recordDirectoryChange(org, entity.id, { ...entity });
    entity.state = state as EntityState;
    if (state === 'ENABLED') {
      entity.disabledDate = undefined;
      entity.enabledDate ??= this.clock();
    } else {
      entity.disabledDate ??= this.clock();
    }
  }

  /** Ground truth: every resource's booking options, delegates and who receives its requests. */
  booking(orgId: string): BookingInfo[] {
    const org = this.adminOrg(orgId);
    return org.booking.info(org.sorted.resource.map((r) => r.id), this.context(org, 'truth'));
  }

  /** Ground truth: every impersonation role with its rules, by ID. */
  impersonationRoles(orgId: string): ImpersonationRoleInfo[] {
    return this.adminOrg(orgId).impersonation.info();
  }

  /** Ground truth: every access control rule, in evaluation order (also those past the ten ListAccessControlRules shows). */
  accessControlRules(orgId: string): AccessControlRuleInfo[] {
    return this.adminOrg(orgId).accessRules.info();
  }

  setOrganizationState(orgId: string, state: string): void {
    this.adminOrg(orgId).state = state;
  }

  /** Kept whatever the variant, so choosing directory-lag=lagging later still hides recent changes. */
  private recordDirectoryChange(org: OrgState, entityId: string, before: Entity | undefined): void {
    const now = this.clock();
    const changes = (org.directoryChanges.get(entityId) ?? []).filter((c) => c.at > now - DIRECTORY_LAG_MS);
    changes.push({ at: now, before });
    org.directoryChanges.set(entityId, changes);
  }

  /**
   * The entity as WorkMail's calls see it: itself, or under directory-lag=lagging as it was before
   * its oldest change that is not visible yet (undefined when it did not exist then).
   */
  private seen(org: OrgState, entity: Entity | undefined): Entity | undefined {
    if (!entity || this.variants()['directory-lag'] !== 'lagging') return entity;
    const horizon = this.clock() - DIRECTORY_LAG_MS;
    const pending = org.directoryChanges.get(entity.id)?.find((c) => c.at > horizon);
    return pending ? pending.before : entity;
  }

  private adminOrg(orgId: string): OrgState {
    const org = this.orgs.get(orgId);
    if (!org) throw new AdminError(`No organization ${orgId}`);
    return org;
  }

  // ---- WorkMail operations ------------------------------------------------------------------

  execute(operation: string, params: Params, caller: CallerContext): unknown {
    switch (operation) {
      case 'ListOrganizations':
        return this.listOrganizations(params, caller);
      case 'DescribeOrganization':
        return this.describeOrganization(params, caller);
      case 'ListUsers':
        return this.listDirectory(params, caller, 'ListUsers', 'user');
      case 'ListGroups':
        return this.listDirectory(params, caller, 'ListGroups', 'group');
      case 'ListResources':
        return this.listDirectory(params, caller, 'ListResources', 'resource');
      case 'DescribeUser':
        return this.describeUser(this.entityOfKind(params, caller, 'UserId', 'user'));
      case 'DescribeGroup':
        return this.describeGroup(this.entityOfKind(params, caller, 'GroupId', 'group'));
      case 'DescribeResource':
        return this.describeResource(this.servingOrg(params, caller), this.entityOfKind(params, caller, 'ResourceId', 'resource'));
      case 'UpdateResource':
        return this.updateResource(params, caller);
      case 'ListResourceDelegates':
        return this.withRoutes(params, caller, (org, ctx) => org.booking.listDelegates(params, ctx));
      case 'AssociateDelegateToResource':
        return this.withRoutes(params, caller, (org, ctx) => org.booking.associate(params, ctx));
      case 'DisassociateDelegateFromResource':
        return this.withRoutes(params, caller, (org, ctx) => org.booking.disassociate(params, ctx));
      case 'ListImpersonationRoles':
        return this.withRoutes(params, caller, (org, ctx) => org.impersonation.list(params, ctx));
      case 'GetImpersonationRole':
        return this.withRoutes(params, caller, (org, ctx) => org.impersonation.get(params, ctx));
      case 'GetImpersonationRoleEffect':
        return this.withRoutes(params, caller, (org, ctx) => org.impersonation.effect(params, ctx));
      case 'CreateImpersonationRole':
        return this.withRoutes(params, caller, (org, ctx) => org.impersonation.create(params, ctx));
      case 'UpdateImpersonationRole':
        return this.withRoutes(params, caller, (org, ctx) => org.impersonation.update(params, ctx));
      case 'DeleteImpersonationRole':
        return this.withRoutes(params, caller, (org) => org.impersonation.delete(params));
      case 'ListAccessControlRules':
        return this.withRoutes(params, caller, (org) => org.accessRules.list());
      case 'GetAccessControlEffect':
        return this.withRoutes(params, caller, (org, ctx) => org.accessRules.effect(params, ctx, (id) => org.impersonation.has(id)));
      case 'PutAccessControlRule':
        return this.withRoutes(params, caller, (org, ctx) => org.accessRules.put(params, ctx, (id) => org.impersonation.has(id)));
      case 'DeleteAccessControlRule':
        return this.withRoutes(params, caller, (org) => org.accessRules.delete(params));
      case 'DescribeEntity':
        return this.describeEntity(params, caller);
      case 'ListGroupMembers':
        return this.listGroupMembers(params, caller);
      case 'ListAliases':
        return this.listAliases(params, caller);
      case 'ListMailboxPermissions':
        return this.listMailboxPermissions(params, caller);
      case 'PutMailboxPermissions':
        return this.putMailboxPermissions(params, caller);
      case 'DeleteMailboxPermissions':
        return this.deleteMailboxPermissions(params, caller);
      default:
        throw new ApiError('UnknownOperationException', `Operation ${operation} is not supported by the emulator.`);
    }
  }

  private findOrg(params: Params, caller: CallerContext): OrgState {
    const id = params['OrganizationId'] as string;
    const org = this.orgs.get(id);
    // Another account's or another region's organization is indistinguishable from a missing one.
    if (!org || org.accountId !== caller.accountId || org.region !== caller.region) {
      throw new ApiError('OrganizationNotFoundException', `Organization ${id} was not found in ${caller.region}.`);
    }
    return org;
  }

  private servingOrg(params: Params, caller: CallerContext): OrgState {
    const org = this.findOrg(params, caller);
    if (!SERVING_ORG_STATES.has(org.state)) {
      throw new ApiError('OrganizationStateException', `Organization ${org.id} is in state ${org.state}; it must be Active.`);
    }
    return org;
  }

  /** By ID, then email, then name; names and emails ignore case. As WorkMail's calls see it (directory-lag). */
  private resolve(org: OrgState, identifier: string): Entity | undefined {
    return this.seen(org, this.resolveTruth(org, identifier));
  }

  /** The directory as it is now, for the admin API. */
  private resolveTruth(org: OrgState, identifier: string): Entity | undefined {
    return org.entities.get(identifier) ?? org.byEmail.get(identifier.toLowerCase()) ?? org.byName.get(identifier.toLowerCase());
  }

  private requireEntity(org: OrgState, identifier: string, member: string): Entity {
    const entity = this.resolve(org, identifier);
    if (!entity) throw new ApiError('EntityNotFoundException', `${member} ${identifier} was not found in organization ${org.id}.`);
    return entity;
  }

  private entityOfKind(params: Params, caller: CallerContext, member: string, kind: EntityKind): Entity {
    const org = this.servingOrg(params, caller);
    const identifier = params[member] as string;
    const entity = this.resolve(org, identifier);
    if (entity && entity.kind !== kind && kind === 'user' && entity.kind === 'group' && this.variants()['describe-user-of-group'] === 'invalid-parameter') {
      throw new ApiError('InvalidParameterException', `${identifier} is a group, not a user.`);
    }
    if (!entity || entity.kind !== kind) {
      throw new ApiError('EntityNotFoundException', `No ${kind} ${identifier} in organization ${org.id}.`);
    }
    return entity;
  }

  /** The request's MaxResults, or the default; `cap` bounds both (an operation whose pages hold fewer). */
  private pageSize(params: Params, cap?: number): number {
    const asked = (params['MaxResults'] as number | undefined) ?? cap ?? DEFAULT_PAGE_SIZE;
    return cap === undefined ? asked : Math.min(asked, cap);
  }

  private startAfter(params: Params, scope: TokenScope): string | undefined {
    const token = params['NextToken'] as string | undefined;
    if (token === undefined) return undefined;
    try {
      return this.codec.decode(token, scope);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new ApiError('InvalidParameterException', `Invalid NextToken: ${error.message}`);
      throw error;
    }
  }

  private page<T>(params: Params, scope: TokenScope, sorted: readonly T[], keyOf: (item: T) => string, cap?: number): { items: T[]; nextToken?: string } {
    const result = pageAfter(sorted, keyOf, this.startAfter(params, scope), this.pageSize(params, cap));
    return result.lastKey === undefined ? { items: result.items } : { items: result.items, nextToken: this.codec.encode(scope, result.lastKey) };
  }

  /** What the route modules see of an organization: as WorkMail's calls see it, or (admin) as it is. */
  private context(org: OrgState, view: 'calls' | 'truth' = 'calls'): RouteContext {
    return {
      orgId: org.id,
      resolve: (identifier) => (view === 'truth' ? this.resolveTruth(org, identifier) : this.resolve(org, identifier)),
      entity: (id) => (view === 'truth' ? org.entities.get(id) : this.seen(org, org.entities.get(id))),
      page: (params, scope, sorted, keyOf, cap) => this.page(params, scope, sorted, keyOf, cap),
      now: () => this.clock(),
      variants: () => this.variants(),
    };
  }

  /** An operation of a route module on a served organization. */
  private withRoutes(params: Params, caller: CallerContext, run: (org: OrgState, ctx: RouteContext) => unknown): unknown {
    const org = this.servingOrg(params, caller);
    return run(org, this.context(org));
  }

  private listOrganizations(params: Params, caller: CallerContext): unknown {
    const visible = [...this.orgs.values()]
      .filter((o) => o.accountId === caller.accountId && o.region === caller.region)
      .sort((a, b) => compareKeys(a.id, b.id));
    const { items, nextToken } = this.page(params, { operation: 'ListOrganizations', scope: `${caller.accountId}/${caller.region}` }, visible, (o) => o.id);
    return compact({
      OrganizationSummaries: items.map((o) =>
        compact({ OrganizationId: o.id, Alias: o.alias, DefaultMailDomain: o.defaultMailDomain, State: o.state }),
      ),
      NextToken: nextToken,
    });
  }

  private describeOrganization(params: Params, caller: CallerContext): unknown {
    const org = this.findOrg(params, caller);
    return compact({
      OrganizationId: org.id,
      Alias: org.alias,
      State: org.state,
      DirectoryId: `d-${org.id.slice(2, 12)}`,
      DirectoryType: 'WorkMailDirectory',
      DefaultMailDomain: org.defaultMailDomain,
      CompletedDate: toEpochSeconds(org.completedDate),
      ARN: `arn:aws:workmail:${org.region}:${org.accountId}:organization/${org.id}`,
      InteroperabilityEnabled: false,
    });
  }

  private listDirectory(params: Params, caller: CallerContext, operation: string, kind: EntityKind): unknown {
    const org = this.servingOrg(params, caller);
    const filters = (params['Filters'] ?? {}) as Params;
    // Documented for ListUsers, ListGroups and ListResources: "Only one filter per request is supported."
    const given = Object.keys(filters).filter((field) => filters[field] !== undefined && filters[field] !== null);
    if (given.length > 1) {
      throw new ApiError('InvalidParameterException', `Only one filter per request is supported; got ${given.join(', ')}.`);
    }
    // The one filter given is a prefix, in any case or exactly (variant list-filter-case), or the state.
    const startsWith = this.variants()['list-filter-case'] === 'sensitive' ? startsWithExactly : startsWithIgnoringCase;
    const accept = (e: Entity): boolean =>
      startsWith(e.name, filters['UsernamePrefix']) &&
      startsWith(e.name, filters['NamePrefix']) &&
      startsWith(e.displayName, filters['DisplayNamePrefix']) &&
      startsWith(e.email, filters['PrimaryEmailPrefix']) &&
      // No emulated user has an identity-provider ID, so this filter matches nobody.
      (filters['IdentityProviderUserIdPrefix'] === undefined) &&
      (filters['State'] === undefined || e.state === filters['State']);
    // Copied only while a directory change may be hidden (directory-lag), so big lists stay cheap.
    const lagging = this.variants()['directory-lag'] === 'lagging' && org.directoryChanges.size > 0;
    const all = lagging ? org.sorted[kind].map((e) => this.seen(org, e)).filter((e): e is Entity => e !== undefined) : org.sorted[kind];
    const hasFilters = Object.keys(filters).length > 0;
    const candidates = hasFilters ? all.filter(accept) : all;
    const { items, nextToken } = this.page(params, { operation, scope: org.id, filters: params['Filters'] }, candidates, (e) => e.id);
    const listKey = kind === 'user' ? 'Users' : kind === 'group' ? 'Groups' : 'Resources';
    return compact({ [listKey]: items.map((e) => this.summary(e)), NextToken: nextToken });
  }

  private summary(e: Entity): Record<string, unknown> {
    const common = {
      Id: e.id,
      Email: e.email,
      Name: e.name,
      State: e.state,
      EnabledDate: toEpochSeconds(e.enabledDate),
      DisabledDate: toEpochSeconds(e.disabledDate),
    };
    if (e.kind === 'user') return compact({ ...common, DisplayName: e.displayName, UserRole: e.role });
    if (e.kind === 'resource') return compact({ ...common, Type: e.resourceType, Description: e.description });
    return compact(common);
  }

  private describeUser(e: Entity): unknown {
    return compact({
      UserId: e.id,
      Name: e.name,
      Email: e.email,
      DisplayName: e.displayName,
      State: e.state,
      UserRole: e.role,
      EnabledDate: toEpochSeconds(e.enabledDate),
      DisabledDate: toEpochSeconds(e.disabledDate),
      FirstName: e.firstName,
      LastName: e.lastName,
      JobTitle: e.jobTitle,
      Department: e.department,
      HiddenFromGlobalAddressList: false,
    });
  }

  private describeGroup(e: Entity): unknown {
    return compact({
      GroupId: e.id,
      Name: e.name,
      Email: e.email,
      State: e.state,
      EnabledDate: toEpochSeconds(e.enabledDate),
      DisabledDate: toEpochSeconds(e.disabledDate),
      HiddenFromGlobalAddressList: false,
    });
  }

  private describeResource(org: OrgState, e: Entity): unknown {
    return compact({
      ResourceId: e.id,
      Email: e.email,
      Name: e.name,
      Type: e.resourceType,
      State: e.state,
      Description: e.description,
      EnabledDate: toEpochSeconds(e.enabledDate),
      DisabledDate: toEpochSeconds(e.disabledDate),
      BookingOptions: org.booking.reportedOptions(e.id, this.variants()),
      HiddenFromGlobalAddressList: e.hidden ?? false,
    });
  }

  /**
   * Replaces the resource's data set with the request's ("it must be preceded by a
   * DescribeResource call"): a member left out is reset, or kept under update-resource-omitted=kept.
   * Name and Type, which every resource has, are kept when left out. Nothing changes on a refusal.
   */
  private updateResource(params: Params, caller: CallerContext): unknown {
    const org = this.servingOrg(params, caller);
    const resource = org.entities.get(this.entityOfKind(params, caller, 'ResourceId', 'resource').id)!;
    if (resource.state === 'DELETED') throw new ApiError('EntityStateException', `Resource ${resource.id} in organization ${org.id} is deleted.`);
    const keep = this.variants()['update-resource-omitted'] === 'kept';
    const name = (params['Name'] as string | undefined) ?? resource.name;
    const holder = org.byName.get(name.toLowerCase());
    if (holder && holder.id !== resource.id) {
      throw new ApiError('NameAvailabilityException', `The name ${name} is already used by ${holder.id} in organization ${org.id}.`);
    }
    const given = params['BookingOptions'] as Partial<BookingOptions> | undefined;
    const base = keep ? org.booking.storedOptions(resource.id) : DEFAULT_BOOKING_OPTIONS;
    const options: BookingOptions = {
      AutoAcceptRequests: given?.AutoAcceptRequests ?? base.AutoAcceptRequests,
      AutoDeclineRecurringRequests: given?.AutoDeclineRecurringRequests ?? base.AutoDeclineRecurringRequests,
      AutoDeclineConflictingRequests: given?.AutoDeclineConflictingRequests ?? base.AutoDeclineConflictingRequests,
    };
    org.booking.checkOptions(resource.id, options, this.variants());

    if (name !== resource.name) {
      if (org.byName.get(resource.name.toLowerCase()) === resource) org.byName.delete(resource.name.toLowerCase());
      resource.name = name;
      org.byName.set(name.toLowerCase(), resource);
    }
    resource.resourceType = (params['Type'] as 'ROOM' | 'EQUIPMENT' | undefined) ?? resource.resourceType;
    const description = params['Description'] as string | undefined;
    resource.description = description !== undefined ? description || undefined : keep ? resource.description : undefined;
    resource.hidden = (params['HiddenFromGlobalAddressList'] as boolean | undefined) ?? (keep ? resource.hidden : false);
    org.booking.setOptions(resource.id, options);
    return {};
  }

  private describeEntity(params: Params, caller: CallerContext): unknown {
    const org = this.servingOrg(params, caller);
    const email = params['Email'] as string;
    const entity = this.seen(org, org.byEmail.get(email.toLowerCase()));
    if (!entity) throw new ApiError('EntityNotFoundException', `No entity with email ${email} in organization ${org.id}.`);
    return { EntityId: entity.id, Name: entity.name, Type: entity.kind.toUpperCase() };
  }

  private listGroupMembers(params: Params, caller: CallerContext): unknown {
    const org = this.servingOrg(params, caller);
    const identifier = params['GroupId'] as string;
    const group = this.resolve(org, identifier);
    if (!group || group.kind !== 'group') throw new ApiError('EntityNotFoundException', `No group ${identifier} in organization ${org.id}.`);
    if (group.state === 'DELETED') throw new ApiError('EntityStateException', `Group ${group.id} is deleted.`);
    const members = (group.members ?? [])
      .map((id) => this.seen(org, org.entities.get(id)))
      .filter((m): m is Entity => m !== undefined && m.kind !== 'resource')
      .sort((a, b) => compareKeys(a.id, b.id));
    const { items, nextToken } = this.page(params, { operation: 'ListGroupMembers', scope: `${org.id}/${group.id}` }, members, (m) => m.id);
    return compact({
      Members: items.map((m) =>
        compact({
          Id: m.id,
          Name: m.name,
          Type: m.kind === 'group' ? 'GROUP' : 'USER',
          State: m.state,
          EnabledDate: toEpochSeconds(m.enabledDate),
          DisabledDate: toEpochSeconds(m.disabledDate),
        }),
      ),
      NextToken: nextToken,
    });
  }

  /**
   * The entity's aliases, in code-unit order, never its primary address (whether WorkMail lists the
   * primary one too is not documented: docs/EMULATOR.md). A deleted entity is refused, as the other
   * calls about what it holds are; an entity without an address has none.
   */
  private listAliases(params: Params, caller: CallerContext): unknown {
    const org = this.servingOrg(params, caller);
    const entity = this.requireEntity(org, params['EntityId'] as string, 'Entity');
    if (entity.state === 'DELETED') throw new ApiError('EntityStateException', `Entity ${entity.id} in organization ${org.id} is deleted.`);
    const sorted = [...(entity.aliases ?? [])].sort(compareKeys);
    const { items, nextToken } = this.page(params, { operation: 'ListAliases', scope: `${org.id}/${entity.id}` }, sorted, (alias) => alias);
    return compact({ Aliases: items, NextToken: nextToken });
  }

  private listMailboxPermissions(params: Params, caller: CallerContext): unknown {
    const org = this.servingOrg(params, caller);
    const mailbox = this.requireEntity(org, params['EntityId'] as string, 'Entity');
    if (mailbox.kind === 'user' && !mailbox.email && this.variants()['mailboxless-list'] === 'entity-state-error') {
      throw new ApiError('EntityStateException', `The user ${mailbox.id} in organization ${org.id} has no mailbox.`);
    }
    const view = this.visibleGrants(org, mailbox.id);
    const asGiven = this.variants()['grantee-id-form'] === 'as-given';
    const sorted = [...view.entries()].sort(([a], [b]) => compareKeys(a, b));
    const { items, nextToken } = this.page(params, { operation: 'ListMailboxPermissions', scope: `${org.id}/${mailbox.id}` }, sorted, ([id]) => id);
    return compact({
      Permissions: items.map(([granteeId, g]) => ({ GranteeId: asGiven ? (g.listedAs ?? granteeId) : granteeId, GranteeType: g.granteeType, PermissionValues: [...g.rights] })),
      NextToken: nextToken,
    });
  }

  /** The mailbox's grants as a reader sees them: changes younger than the consistency delay are undone. */
  private visibleGrants(org: OrgState, mailboxId: string): Map<string, StoredGrant> {
    const current = new Map(org.grants.get(mailboxId) ?? []);
    const delay = this.consistencyDelayMs();
    const changes = org.recentChanges.get(mailboxId);
    if (delay <= 0 || !changes) return current;
    const horizon = this.clock() - delay;
    for (let i = changes.length - 1; i >= 0 && changes[i]!.at > horizon; i--) {
      const change = changes[i]!;
      if (change.before) current.set(change.granteeId, change.before);
      else current.delete(change.granteeId);
    }
    return current;
  }

  private writeGrant(org: OrgState, mailboxId: string, granteeId: string, granteeType: 'USER' | 'GROUP', rights: readonly Right[], listedAs?: string): void {
    let perMailbox = org.grants.get(mailboxId);
    const before = perMailbox?.get(granteeId);
    const delay = this.consistencyDelayMs();
    if (delay > 0) {
      const now = this.clock();
      const changes = (org.recentChanges.get(mailboxId) ?? []).filter((c) => c.at > now - delay);
      changes.push({ at: now, granteeId, before });
      org.recentChanges.set(mailboxId, changes);
    } else if (org.recentChanges.size > 0) {
      org.recentChanges.clear();
    }
    if (rights.length === 0) {
      perMailbox?.delete(granteeId);
      if (perMailbox && perMailbox.size === 0) org.grants.delete(mailboxId);
      return;
    }
    if (!perMailbox) org.grants.set(mailboxId, (perMailbox = new Map()));
    // One grant per entity, whatever form the Put named it by: Put replaces the entity's rights.
    perMailbox.set(granteeId, listedAs !== undefined && listedAs !== granteeId ? { granteeType, rights: [...rights], listedAs } : { granteeType, rights: [...rights] });
  }

  private refuseUnusableGrant(org: OrgState, mailbox: Entity, grantee: Entity): void {
    if (grantee.kind === 'resource') {
      throw new ApiError('InvalidParameterException', `GranteeId ${grantee.id} is a resource; grantees must be users or groups.`);
    }
    if (grantee.id === mailbox.id) {
      throw new ApiError('InvalidParameterException', `GranteeId ${grantee.id} is the mailbox itself; a mailbox cannot be granted to itself.`);
    }
    for (const [role, entity] of [['mailbox', mailbox], ['grantee', grantee]] as const) {
      if (entity.state !== 'ENABLED') {
        throw new ApiError('EntityStateException', `The ${role} ${entity.id} in organization ${org.id} is ${entity.state}; it must be ENABLED.`);
      }
    }
  }

  private putMailboxPermissions(params: Params, caller: CallerContext): unknown {
    const org = this.servingOrg(params, caller);
    const values = params['PermissionValues'] as string[];
    if (values.length === 0) {
      throw new ApiError(
        'InvalidParameterException',
        'PermissionValues must name at least one of FULL_ACCESS, SEND_AS, SEND_ON_BEHALF; use DeleteMailboxPermissions to remove all permissions.',
      );
    }
    const mailbox = this.requireEntity(org, params['EntityId'] as string, 'Entity');
    const grantee = this.requireEntity(org, params['GranteeId'] as string, 'Grantee');
    this.refuseUnusableGrant(org, mailbox, grantee);
    const rights = canonicalRights(values);
    if (mailbox.kind === 'group' && rights.includes('FULL_ACCESS')) {
      throw new ApiError('InvalidParameterException', `FULL_ACCESS cannot be granted on group ${mailbox.id}: groups have no mailbox.`);
    }
    if (grantee.kind === 'group' && rights.includes('FULL_ACCESS') && this.variants()['group-grantee-full-access'] === 'refused') {
      throw new ApiError('InvalidParameterException', `FULL_ACCESS cannot be granted to group ${grantee.id}; give it to the members instead.`);
    }
    // Replaces whatever this grantee had on this mailbox, exactly like the real service.
    this.writeGrant(org, mailbox.id, grantee.id, granteeTypeOf(grantee), rights, params['GranteeId'] as string);
    return {};
  }

  private deleteMailboxPermissions(params: Params, caller: CallerContext): unknown {
    const org = this.servingOrg(params, caller);
    const mailbox = this.requireEntity(org, params['EntityId'] as string, 'Entity');
    const granteeIdentifier = params['GranteeId'] as string;
    const grantee = this.resolve(org, granteeIdentifier);
    if (!grantee) {
      // A grant to someone no longer in the directory can still be cleaned up by its exact ID
      // (variant orphan-delete=succeeds), or WorkMail does not find the grantee (not-found).
      if (org.grants.get(mailbox.id)?.has(granteeIdentifier) && this.variants()['orphan-delete'] === 'succeeds') {
        if (mailbox.state !== 'ENABLED') {
          throw new ApiError('EntityStateException', `The mailbox ${mailbox.id} in organization ${org.id} is ${mailbox.state}; it must be ENABLED.`);
        }
        this.writeGrant(org, mailbox.id, granteeIdentifier, 'USER', []);
        return {};
      }
      throw new ApiError('EntityNotFoundException', `Grantee ${granteeIdentifier} was not found in organization ${org.id}.`);
    }
    this.refuseUnusableGrant(org, mailbox, grantee);
    // Deleting what is not there succeeds: the caller's intent (no access) already holds.
    if (org.grants.get(mailbox.id)?.has(grantee.id)) this.writeGrant(org, mailbox.id, grantee.id, granteeTypeOf(grantee), []);
    return {};
  }
}
