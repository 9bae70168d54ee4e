// Resource booking: each resource's booking options and its delegates (users and groups who
// receive its booking requests and hold its calendar), and the calls on them. A delegate is not a
// mailbox permission: ListMailboxPermissions never shows one. docs/EMULATOR.md, "Booking".
import { ApiError } from './errors';
import { compareKeys } from './pagination';
import type { DirectoryEntity, Params, RouteContext } from './routeContext';
import type { SeedBookingOptions, SeedResourceBooking } from './seedDocument';
import type { Variants } from './variants';

export interface BookingOptions {
  readonly AutoAcceptRequests: boolean;
  readonly AutoDeclineRecurringRequests: boolean;
  readonly AutoDeclineConflictingRequests: boolean;
}

/** What DescribeResource reports for a resource nobody has changed (WorkMail's new resource). */
export const DEFAULT_BOOKING_OPTIONS: BookingOptions = {
  AutoAcceptRequests: true,
  AutoDeclineRecurringRequests: false,
  AutoDeclineConflictingRequests: true,
};

export type DelegateType = 'USER' | 'GROUP';

/** Ground truth for one resource (emu.booking, GET /__emulator/organizations/{org}/booking). */
export interface BookingInfo {
  readonly resourceId: string;
  /** As DescribeResource reports them (auto-decline-without-auto-accept applied). */
  readonly bookingOptions: BookingOptions;
  readonly delegates: Array<{ id: string; type: DelegateType }>;
  /**
   * The enabled users who receive the resource's booking requests: user delegates, and under
   * group-delegate-members=every-member the members of group delegates, nested groups expanded.
   */
  readonly recipients: string[];
}

export function bookingOptionsFromSeed(seed: SeedBookingOptions): BookingOptions {
  return {
    AutoAcceptRequests: seed.autoAcceptRequests ?? DEFAULT_BOOKING_OPTIONS.AutoAcceptRequests,
    AutoDeclineRecurringRequests: seed.autoDeclineRecurringRequests ?? DEFAULT_BOOKING_OPTIONS.AutoDeclineRecurringRequests,
    AutoDeclineConflictingRequests: seed.autoDeclineConflictingRequests ?? DEFAULT_BOOKING_OPTIONS.AutoDeclineConflictingRequests,
  };
}

function delegateTypeOf(entity: DirectoryEntity): DelegateType {
  return entity.kind === 'group' ? 'GROUP' : 'USER';
}

export class ResourceBooking {
  /** Only resources whose options differ from a new resource's, or were set. */
  private readonly options = new Map<string, BookingOptions>();
  private readonly delegates = new Map<string, Map<string, DelegateType>>();
  /** Changes younger than the consistency delay, per resource, oldest first: ListResourceDelegates does not show them yet. */
  private readonly recentChanges = new Map<string, Array<{ at: number; delegateId: string; before: DelegateType | undefined }>>();

  /**
   * `kindOf` names each seeded delegate's type (the seed check has made sure each is a user or
   * group). With a consistency delay (faults `consistencyDelayMs`) the delegate list lags behind
   * the writes as the permission list does: undocumented for either, the same model for both.
   */
  constructor(
    seed: readonly SeedResourceBooking[],
    kindOf: (id: string) => DelegateType,
    private readonly consistencyDelayMs: () => number = () => 0,
    private readonly clock: () => number = Date.now,
  ) {
    for (const entry of seed) {
      this.options.set(entry.resource, bookingOptionsFromSeed(entry));
      if (entry.delegates?.length) this.delegates.set(entry.resource, new Map(entry.delegates.map((id) => [id, kindOf(id)])));
    }
  }

  /** What is stored, before any variant is applied. */
  storedOptions(resourceId: string): BookingOptions {
    return this.options.get(resourceId) ?? DEFAULT_BOOKING_OPTIONS;
  }

  /** What DescribeResource reports. */
  reportedOptions(resourceId: string, variants: Variants): BookingOptions {
    const stored = this.storedOptions(resourceId);
    if (stored.AutoAcceptRequests || variants['auto-decline-without-auto-accept'] === 'kept') return { ...stored };
    return { AutoAcceptRequests: false, AutoDeclineRecurringRequests: false, AutoDeclineConflictingRequests: false };
  }

  delegateCount(resourceId: string): number {
    return this.delegates.get(resourceId)?.size ?? 0;
  }

  /**
   * Refuses options a resource cannot have (documented: "A resource must either be able to
   * auto-respond to requests or have at least one delegate associated that can do so on its
   * behalf"), except under delegate-with-auto-accept=refused, where a delegate can only be added
   * once automatic acceptance is off, so turning it off cannot need one.
   */
  checkOptions(resourceId: string, next: BookingOptions, variants: Variants): void {
    if (next.AutoAcceptRequests || this.delegateCount(resourceId) > 0 || variants['delegate-with-auto-accept'] === 'refused') return;
    throw new ApiError(
      'InvalidConfigurationException',
      `Resource ${resourceId} has no delegate: it must accept booking requests automatically until a delegate is associated (AssociateDelegateToResource).`,
    );
  }

  setOptions(resourceId: string, next: BookingOptions): void {
    this.options.set(resourceId, { ...next });
  }

  listDelegates(params: Params, ctx: RouteContext): unknown {
    const resource = this.resource(ctx, params['ResourceId'] as string);
    if (resource.state === 'DELETED') throw new ApiError('EntityStateException', `Resource ${resource.id} is deleted.`);
    const sorted = [...this.visibleDelegates(resource.id).entries()].sort(([a], [b]) => compareKeys(a, b));
    const { items, nextToken } = ctx.page(params, { operation: 'ListResourceDelegates', scope: `${ctx.orgId}/${resource.id}` }, sorted, ([id]) => id);
    const out: Record<string, unknown> = { Delegates: items.map(([id, type]) => ({ Id: id, Type: type })) };
    if (nextToken !== undefined) out['NextToken'] = nextToken;
    return out;
  }

  /** The resource's delegates as a reader sees them: changes younger than the consistency delay are undone. */
  private visibleDelegates(resourceId: string): Map<string, DelegateType> {
    const current = new Map(this.delegates.get(resourceId) ?? []);
    const delay = this.consistencyDelayMs();
    const changes = this.recentChanges.get(resourceId);
    if (delay <= 0 || !changes) return current;
    const horizon = this.clock() - delay;
    for (let i = changes.length - 1; i >= 0 && changes[i]!.at > horizon; i--) {
      const change = changes[i]!;
      if (change.before) current.set(change.delegateId, change.before);
      else current.delete(change.delegateId);
    }
    return current;
  }

  private noteChange(resourceId: string, delegateId: string): void {
    const delay = this.consistencyDelayMs();
    if (delay <= 0) {
      this.recentChanges.clear();
      return;
    }
    const now = this.clock();
    const changes = (this.recentChanges.get(resourceId) ?? []).filter((c) => c.at > now - delay);
    changes.push({ at: now, delegateId, before: this.delegates.get(resourceId)?.get(delegateId) });
    this.recentChanges.set(resourceId, changes);
  }

  associate(params: Params, ctx: RouteContext): unknown {
    const resource = this.resource(ctx, params['ResourceId'] as string);
    const identifier = params['EntityId'] as string;
    const entity = ctx.resolve(identifier);
    if (!entity) throw new ApiError('EntityNotFoundException', `Entity ${identifier} was not found in organization ${ctx.orgId}.`);
    if (entity.kind === 'resource') throw new ApiError('InvalidParameterException', `EntityId ${entity.id} is a resource; delegates must be users or groups.`);
    for (const [role, e] of [['resource', resource], ['delegate', entity]] as const) {
      if (e.state !== 'ENABLED') throw new ApiError('EntityStateException', `The ${role} ${e.id} in organization ${ctx.orgId} is ${e.state}; it must be ENABLED.`);
    }
    let perResource = this.delegates.get(resource.id);
    // Idempotent: associating a delegate again changes nothing and succeeds.
    if (perResource?.has(entity.id)) return {};
    if (this.storedOptions(resource.id).AutoAcceptRequests && ctx.variants()['delegate-with-auto-accept'] === 'refused') {
      throw new ApiError(
        'EntityStateException',
        `Resource ${resource.id} accepts booking requests automatically; turn AutoAcceptRequests off (UpdateResource) before associating a delegate.`,
      );
    }
    this.noteChange(resource.id, entity.id);
    if (!perResource) this.delegates.set(resource.id, (perResource = new Map()));
    perResource.set(entity.id, delegateTypeOf(entity));
    return {};
  }

  disassociate(params: Params, ctx: RouteContext): unknown {
    const resource = this.resource(ctx, params['ResourceId'] as string);
    if (resource.state === 'DELETED') throw new ApiError('EntityStateException', `Resource ${resource.id} is deleted.`);
    const identifier = params['EntityId'] as string;
    const entity = ctx.resolve(identifier);
    if (!entity) throw new ApiError('EntityNotFoundException', `Entity ${identifier} was not found in organization ${ctx.orgId}.`);
    const delegateId = entity.id;
    const perResource = this.delegates.get(resource.id);
    // Idempotent: removing what is not a delegate succeeds, whatever the entity's state.
    if (!perResource?.has(delegateId)) return {};
    if (perResource.size === 1 && !this.storedOptions(resource.id).AutoAcceptRequests && ctx.variants()['last-delegate-removal'] === 'refused') {
      throw new ApiError(
        'InvalidConfigurationException',
        `${delegateId} is the last delegate of resource ${resource.id}, which does not accept booking requests automatically; turn AutoAcceptRequests on (UpdateResource) or associate another delegate first.`,
      );
    }
    this.noteChange(resource.id, delegateId);
    perResource.delete(delegateId);
    if (perResource.size === 0) this.delegates.delete(resource.id);
    return {};
  }

  /** Ground truth for each of `resourceIds` (the organization's resources, as they are). */
  info(resourceIds: readonly string[], ctx: RouteContext): BookingInfo[] {
    return [...resourceIds].sort(compareKeys).map((resourceId) => {
      const delegates = [...(this.delegates.get(resourceId) ?? new Map<string, DelegateType>()).entries()]
        .sort(([a], [b]) => compareKeys(a, b))
        .map(([id, type]) => ({ id, type }));
      return { resourceId, bookingOptions: this.reportedOptions(resourceId, ctx.variants()), delegates, recipients: this.recipients(delegates, ctx) };
    });
  }

  private recipients(delegates: ReadonlyArray<{ id: string; type: DelegateType }>, ctx: RouteContext): string[] {
    const users = new Set<string>();
    const seenGroups = new Set<string>();
    const visit = (id: string, viaGroup: boolean): void => {
      const entity = ctx.entity(id);
      if (!entity) return;
      if (entity.kind === 'user') {
        if (entity.state === 'ENABLED') users.add(entity.id);
        return;
      }
      if (entity.kind !== 'group' || seenGroups.has(entity.id)) return;
      if (!viaGroup && ctx.variants()['group-delegate-members'] === 'no-member') return;
      seenGroups.add(entity.id);
      if (entity.state === 'DELETED') return;
      for (const member of entity.members ?? []) visit(member, true);
    };
    for (const delegate of delegates) visit(delegate.id, false);
    return [...users].sort(compareKeys);
  }

  private resource(ctx: RouteContext, identifier: string): DirectoryEntity {
    const resource = ctx.resolve(identifier);
    if (!resource || resource.kind !== 'resource') throw new ApiError('EntityNotFoundException', `No resource ${identifier} in organization ${ctx.orgId}.`);
    return resource;
  }
}
