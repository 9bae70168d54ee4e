// The safe write path. PutMailboxPermissions REPLACES a grantee's rights, so every change is
// read, compared with what the person saw, merged, written once, and read back, holding the pair's
// lock (PendingWriteStore) so that no other write to the same mailbox and grantee, from this
// process or another on the machine, overlaps it. Invariants and their tests: docs/CONTRACTS.md.
//
// Over 400 lines on purpose, as one thing: the steps of one write (resolve the IDs, read, settle
// what an earlier write left on the pair, send once, read back or settle an uncertain outcome)
// share the pair's lease and one clock (the request timeout, the settle and list-lag windows), and
// the invariants are checked by reading those steps in order; cut into files by step, each file
// would hold half of an invariant. What is not a step of the write lives elsewhere: the rights
// arithmetic (rights.ts), the pair's records and lock (pendingWrites.ts), a batch of writes over
// many pairs (batch.ts).
import {
  AssociateDelegateToResourceCommand,
  DeleteMailboxPermissionsCommand,
  DisassociateDelegateFromResourceCommand,
  PutMailboxPermissionsCommand,
  type PermissionType,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { CancelledError, ConcurrentChangeError, InDoubtError, WorkMailError } from './errors';
import { endpointKey, type PairKey, type PairLease, type PairRecord, type PendingWrite, type PendingWriteStore } from './pendingWrites';
import { absenceInWords, attendance, type Attendance } from './routes/attendance';
import { mergeOwnChange, normalizeRights, rightsAfter, rightsAllowedOn, rightsLabel, sameRights, type PermissionChange } from './rights';
import type { WorkMailSession } from './session';
import { ALL_RIGHTS, BOOKING_DELEGATE, type EntityKind, type Grant, type OrgRef, type Right } from './types';
import { looksLikeEntityId, validateIdentifier } from './validation';

// The change a person asks for is set arithmetic on rights, so its type lives beside that arithmetic.
export type { PermissionChange } from './rights';

/**
 * Which route into the mailbox a pair is: its mailbox permissions (PutMailboxPermissions), or a
 * booking delegation of a room or equipment (AssociateDelegateToResource), whose one value is
 * BOOKING_DELEGATE. The same protocol carries both: a delegation is added and removed one
 * delegate at a time, but a late copy of a lost request can still undo a later change.
 */
export type WriteRoute = 'permission' | 'booking-delegate';

export interface ChangeRequest {
  org: OrgRef;
  /** Default 'permission'. */
  route?: WriteRoute;
  mailboxId: string;
  mailboxKind: EntityKind;
  /**
   * The grantee's entity ID, as ListMailboxPermissions reports it. A name is resolved to the ID
   * before anything is read (one Describe call); one that names nobody is refused.
   */
  granteeId: string;
  change: PermissionChange;
  /** What the person saw when they opened the dialog; a difference stops the write. */
  expectedBefore?: readonly Right[];
  /** Honoured until the write starts; a write in progress is always finished and verified. */
  signal?: AbortSignal;
  /**
   * The person chose to take what WorkMail lists now over their own earlier write that it does not
   * list yet (it may never: someone else may have changed the pair since). Never set by default.
   */
  acceptListed?: boolean;
  /**
   * The grantee ID was read from WorkMail's own directory (a ListUsers/ListGroups page, a Describe,
   * or a permission listing), so it is an ID and not a name that looks like one: a grant to a
   * grantee the mailbox does not list needs no Describe to prove it. The commands set it; any
   * other caller leaves it unset and pays one call.
   */
  granteeFromDirectory?: boolean;
  /**
   * The person confirmed removing the last booking delegate of a resource that does not accept
   * requests automatically (its requests then wait for nobody). Never set by default.
   */
  allowUnattended?: boolean;
}

export interface ChangeResult {
  before: Right[];
  requested: Right[];
  /** As read back after the write (equal to `before` for a no-op). */
  after: Right[];
  /** The IDs the write went to (names given in the request resolved). */
  mailboxId: string;
  granteeId: string;
  /** The read-back matches the request. False can mean WorkMail has not caught up yet. */
  verified: boolean;
  noop: boolean;
  /** Set when the write succeeded but reading it back failed. */
  verifyError?: WorkMailError;
  /**
   * Set when the write call itself failed without a definite answer (connection lost, timeout,
   * server error) and the read-back showed the change had landed all the same.
   */
  writeError?: WorkMailError;
  /**
   * With `writeError`: until when no other change to the pair is made, in case a late copy of the
   * request still arrives (what it would write is what WorkMail lists now).
   */
  settleAt?: number;
}

export interface WriterOptions {
  /** Where pending and in-doubt writes are kept, shared by every writer on the machine. */
  readonly store: PendingWriteStore;
  /**
   * How long after a write whose outcome is unknown the service may still carry it out
   * (default 5 minutes).
   */
  readonly settleMs?: number;
  /**
   * How long WorkMail's permission list may lag behind a write (default 5 minutes). A write carried
   * out at the very end of the settle window shows only this much later, so a read is decisive only
   * after both.
   */
  readonly listLagMs?: number;
  /** Re-sends of a write refused with ThrottlingException (refused unread, so safe to send again). */
  readonly throttleRetries?: number;
  readonly throttleBackoffMs?: number;
  readonly now?: () => number;
}

export const DEFAULT_SETTLE_MS = 5 * 60_000;
export const DEFAULT_LIST_LAG_MS = 5 * 60_000;

/**
 * WorkMail's directory shows a new, enabled or registered entity only after a while (the
 * Terraform provider waits up to two minutes for it; emulator variant directory-lag).
 */
const NOT_YET_VISIBLE = 'If it was created or enabled in the last few minutes, WorkMail may not show it yet: wait a few minutes, refresh, and try again; otherwise choose the grantee from the directory.';

/** Errors that prove the service did not carry the write out. */
function writeWasRefused(err: unknown, problem: WorkMailError): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // The service read the request and answered no (ThrottlingException included). A 408 says the
    // request timed out on the way, which a proxy may send after forwarding it: not a refusal.
    return status !== 408 && problem.code !== 'RequestTimeoutException' && problem.code !== 'NetworkError';
  }
  // Refused before anything was sent: no credentials, no signature.
  return ['NoCredentials', 'SsoLoginRequired', 'ExpiredCredentials', 'InvalidCredentials', 'InvalidInput', 'Disposed'].includes(problem.code);
}

function timeOf(ms: number): string {
  return new Date(ms).toLocaleTimeString();
}

export class PermissionWriter {
  private readonly store: PendingWriteStore;
  private readonly settleMs: number;
  private readonly listLagMs: number;
  private readonly throttleRetries: number;
  private readonly throttleBackoffMs: number;
  private readonly now: () => number;

  constructor(
    private readonly session: WorkMailSession,
    options: WriterOptions,
  ) {
    this.store = options.store;
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.listLagMs = options.listLagMs ?? DEFAULT_LIST_LAG_MS;
    this.throttleRetries = options.throttleRetries ?? 4;
    this.throttleBackoffMs = options.throttleBackoffMs ?? 250;
    this.now = options.now ?? Date.now;
  }

  /** The grantee's rights on the mailbox right now (all pages), [] when it has none. */
  async readRights(org: OrgRef, mailboxId: string, granteeId: string, signal?: AbortSignal, route: WriteRoute = 'permission'): Promise<Right[]> {
    const grants = await this.listPairs(org, route, mailboxId, signal);
    return normalizeRights((await this.rowsOf(org, grants, granteeId, signal)).flatMap((grant) => grant.rights));
  }

  /**
   * Every grantee of the mailbox on `route`, as rows of the same shape: a booking delegate is a row
   * whose one right is BOOKING_DELEGATE, so reading, comparing and settling are the same code.
   */
  private async listPairs(org: OrgRef, route: WriteRoute, mailboxId: string, signal: AbortSignal | undefined): Promise<Grant[]> {
    if (route === 'permission') {
      return this.session.listAllGrants(org, mailboxId, signal);
    }
    const delegates = await this.session.routes.listAllResourceDelegates(org, mailboxId, signal);
    return delegates.map((delegate) => ({ granteeId: delegate.id, granteeType: delegate.type, rights: [BOOKING_DELEGATE] }));
  }

  /**
   * The listed rows that are this grantee. IDs are compared exactly: a near match is a different
   * entity. A row listed under a name or an email address (WorkMail may list the form a Put was
   * given: variant grantee-id-form=as-given) is looked up, and is the grantee's when it names the
   * same entity: a Put by ID replaces that row's rights too, so missing it would drop them. Rows
   * listed by ID cost no call, so a service that lists IDs only is read as before.
   */
  private async rowsOf(org: OrgRef, grants: readonly Grant[], granteeId: string, signal: AbortSignal | undefined): Promise<Grant[]> {
    const rows = grants.filter((grant) => grant.granteeId === granteeId);
    const otherForms = grants.filter((grant) => grant.granteeId !== granteeId && !looksLikeEntityId(grant.granteeId));
    const seen = new Map<string, string | undefined>();
    for (const row of otherForms) {
      let id = seen.get(row.granteeId);
      if (!seen.has(row.granteeId)) {
        id = (await this.session.findEntity(org, row.granteeId, signal, [row.granteeType === 'GROUP' ? 'group' : 'user']))?.id;
        seen.set(row.granteeId, id);
      }
      if (id === granteeId) {
        rows.push(row);
      }
    }
    return rows;
  }

  /** Pairs with a write that is in doubt or not listed yet (for marking them where people look). */
  pendingWrites(): Promise<PendingWrite[]> {
    return this.store.list();
  }

  async apply(request: ChangeRequest): Promise<ChangeResult> {
    checkRequest(request);
    if (request.signal?.aborted) {
      throw new CancelledError();
    }
    const release = this.session.retain();
    try {
      return await this.applyRetained(request);
    } finally {
      release();
    }
  }

  /** From a write's send until a read is decisive: it may still be carried out, then still be unlisted. */
  private doubtWindowMs(): number {
    return this.settleMs + this.listLagMs;
  }

  private async applyRetained(request: ChangeRequest): Promise<ChangeResult> {
    const { org, change, signal } = request;
    const route = request.route ?? 'permission';
    const mailbox = await this.resolve(org, request.mailboxId, request.mailboxKind === 'group' ? ['group'] : request.mailboxKind === 'resource' ? ['resource'] : ['user', 'resource', 'group'], signal);
    if (!mailbox.found) {
      throw new WorkMailError('MailboxNotFound', `No mailbox "${request.mailboxId}" was found in organization ${org.organizationId}; choose the mailbox from the tree. Nothing was changed.`);
    }
    const grantee = await this.resolve(org, request.granteeId, ['user', 'group'], signal);
    const mailboxId = mailbox.id;
    const granteeId = grantee.id;
    const key: PairKey = {
      endpoint: endpointKey(this.session.endpoint, org.region),
      region: org.region,
      organizationId: org.organizationId,
      mailboxId,
      granteeId,
      ...(route === 'booking-delegate' ? { route } : {}),
    };
    const pair = route === 'booking-delegate' ? `${granteeId} as booking delegate of resource ${mailboxId}` : `${granteeId} on mailbox ${mailboxId}`;
    // Taken now: a batch keeps the session it started with, even if the profile is switched (and
    // this session closed) while it waits for the pair's lock.
    const writeClient = this.session.writeClient(org.region);

    const underPairLock = (resourceLease?: PairLease): Promise<ChangeResult> => this.store.withPair(key, pair, async (lease) => {
      const readStartedAt = this.now();
      let grants;
      let mine;
      try {
        grants = await this.listPairs(org, route, mailboxId, signal);
        mine = await this.rowsOf(org, grants, granteeId, signal);
      } catch (err) {
        // Nothing is written without this read; say so, so a failure is never taken for a half-done change.
        throw err instanceof WorkMailError && !(err instanceof ConcurrentChangeError) ? withSuffix(err, 'Nothing was changed.') : err;
      }
      if (mine.length === 0 && grants.some((grant) => grant.granteeId.toLowerCase() === granteeId.toLowerCase())) {
        // A differently-spelled ID would make the grantee look rightless and the Put would replace
        // what it really has.
        throw new WorkMailError('GranteeNotCanonical', `"${granteeId}" does not match the grantee ID WorkMail reports; refresh and choose the grantee again.`);
      }
      if (mine.length === 0 && change.kind !== 'revoke') {
        await this.checkUnlistedGrantee(org, request.granteeId, granteeId, grantee.found, request.granteeFromDirectory === true, signal);
      }
      const before = normalizeRights(mine.flatMap((grant) => grant.rights));
      await this.settlePending(lease, before, readStartedAt, request.acceptListed === true, pair, route);

      if (request.expectedBefore && !sameRights(request.expectedBefore, before)) {
        const seen = normalizeRights(request.expectedBefore);
        throw new ConcurrentChangeError(pair, seen, before, { mine: mergeOwnChange(change, seen, before), exact: rightsAfter(change, before) });
      }

      const target = rightsAfter(change, before);
      if (sameRights(target, before)) {
        return { before, requested: target, after: before, verified: true, noop: true, mailboxId, granteeId };
      }
      if (route === 'booking-delegate' && target.length === 0 && !request.allowUnattended) {
        await this.refuseUnattended(org, key, grants, readStartedAt, signal);
      }
      if (signal?.aborted) {
        throw new CancelledError();
      }

      // From here on the signal is deliberately not passed: abandoning a write half-way would leave
      // the person not knowing whether it happened.
      const outcome = await this.send(writeClient, org, route, key, before, target, lease, resourceLease);
      if (outcome.refused) {
        await this.saveAfterSend(lease, undefined);
        const refusal = route === 'booking-delegate' && outcome.refused.code === 'EntityStateException' ? await this.delegateStateRefusal(org, key, target, outcome.refused) : outcome.refused;
        throw withSuffix(refusal, 'Nothing was changed.');
      }
      if (outcome.uncertain) {
        return this.settleUncertainWrite(key, org, route, before, target, outcome.uncertain, lease);
      }

      try {
        const after = await this.readRights(org, mailboxId, granteeId, undefined, route);
        const verified = sameRights(after, target);
        await this.saveAfterSend(lease, verified ? undefined : { key, state: 'unlisted', before, requested: target, at: this.now() });
        return { before, requested: target, after, verified, noop: false, mailboxId, granteeId };
      } catch (err) {
        const verifyError = err instanceof WorkMailError ? err : this.session.toError(err, { region: org.region, subject: pair });
        await this.saveAfterSend(lease, { key, state: 'unlisted', before, requested: target, at: this.now() });
        return { before, requested: target, after: target, verified: false, noop: false, verifyError, mailboxId, granteeId };
      }
    });
    if (route !== 'booking-delegate' || rightsAfter(change, [BOOKING_DELEGATE]).length > 0) {
      return underPairLock();
    }
    // A removal decides from the resource's other delegates whether it leaves the resource
    // unattended, so two removals of different delegates of one resource (two windows, two items
    // of a batch run at once) must not both see the other still there: removals of one resource's
    // delegates take its lock first, then the pair's (always in that order, so no two wait on each
    // other). WorkMail has no conditional write, so a removal made outside this product at that
    // moment can still empty the resource.
    const resourceKey: PairKey = { ...key, granteeId: '*', route: 'booking-delegate' };
    return this.store.withPair(resourceKey, `the booking delegates of resource ${mailboxId}`, async (resourceLease) => {
      if (resourceLease.record.kind !== 'none' && resourceLease.record.kind !== 'pending') {
        // The last holder never gave the resource back (its window died or stalled). Claiming it
        // now is what makes a stalled holder see, just before it sends, that it lost the resource.
        // The resource's own record never holds a write, so nothing of it is lost.
        await resourceLease.save(undefined);
      }
      return underPairLock(resourceLease);
    });
  }

  /**
   * The delegates among `delegateIds` whose removal from the resource by this product (any window
   * on the machine) may still land or is not listed yet, as the writer itself counts them when it
   * decides whether a removal leaves the resource unattended: for a plan to say what apply will.
   */
  delegatesBeingRemoved(org: OrgRef, resourceId: string, delegateIds: readonly string[]): Promise<Set<string>> {
    const key: PairKey = { endpoint: endpointKey(this.session.endpoint, org.region), region: org.region, organizationId: org.organizationId, mailboxId: resourceId, granteeId: '*', route: 'booking-delegate' };
    return this.delegatesLeaving(key, delegateIds, this.now());
  }

  /**
   * Other delegates of the resource whose removal by this product (any window on the machine) may
   * still be carried out, or was carried out and is not listed yet: listed now, gone soon, so they
   * do not count as someone left to answer requests. Decided from each pair's record the way the
   * pair's own next writer would: a removal in doubt counts until its time has passed (then the
   * list read after it is decisive), one not listed yet counts until a write to that pair settles
   * it, and a record that cannot be read counts for as long as a write behind it could land.
   */
  private async delegatesLeaving(key: PairKey, others: readonly string[], readStartedAt: number): Promise<Set<string>> {
    const leaving = new Set<string>();
    const windowMs = this.session.requestTimeoutMs + this.doubtWindowMs();
    for (const id of others) {
      const record: PairRecord = await this.store.peek({ ...key, granteeId: id }).catch(() => ({ kind: 'unreadable', modifiedAt: this.now() }));
      const write = record.kind === 'pending' || record.kind === 'unreleased' ? record.write : undefined;
      const removal = write !== undefined && write.requested.length === 0;
      const mayStillLand =
        record.kind === 'unreadable'
          ? readStartedAt < record.modifiedAt + windowMs
          : removal && (write.state === 'unlisted' || readStartedAt < Math.max(write.settleAt ?? 0, record.kind === 'unreleased' ? record.modifiedAt + windowMs : 0));
      if (mayStillLand) {
        leaving.add(id);
      }
    }
    return leaving;
  }

  /**
   * A delegate is about to go: fine while another delegate still answers the resource's requests
   * (attendance.ts: an enabled user, never a group, whose own removal is not on its way), or when
   * the resource accepts requests automatically. Otherwise its requests would
   * wait for nobody, so that takes the person's explicit confirmation (LeavesResourceUnattended;
   * the batch asks). Booking options that cannot be read count as not accepting: the question is
   * asked rather than a room left unattended.
   */
  private async refuseUnattended(org: OrgRef, key: PairKey, listed: readonly Grant[], readStartedAt: number, signal: AbortSignal | undefined): Promise<void> {
    const { mailboxId: resourceId, granteeId: delegateId } = key;
    const others = listed.filter((row) => row.granteeId !== delegateId).map((row) => ({ id: row.granteeId, type: row.granteeType === 'GROUP' ? ('GROUP' as const) : ('USER' as const) }));
    let absent: Attendance['absent'];
    let options;
    try {
      const leaving = await this.delegatesLeaving(key, others.map((other) => other.id), readStartedAt);
      const found = await attendance(this.session, org, others, leaving, signal);
      if (found.attending.length > 0) {
        return;
      }
      absent = found.absent;
      options = await this.session.routes.bookingOptions(org, resourceId, signal).catch(() => undefined);
    } catch (err) {
      throw err instanceof WorkMailError && !(err instanceof CancelledError) ? withSuffix(err, 'Nothing was changed.') : err;
    }
    if (options?.autoAcceptRequests === true) {
      return;
    }
    const whoElse = absent.length > 0 ? ` who can answer its requests (the other${absent.length === 1 ? ' is' : 's are'} ${absenceInWords(absent)})` : '';
    throw new WorkMailError(
      'LeavesResourceUnattended',
      `${delegateId} is the last booking delegate of resource ${resourceId}${whoElse}, and the resource ${options ? 'does not accept booking requests automatically' : 'may not accept booking requests automatically (its booking options could not be read)'}: without a delegate its booking requests wait for nobody. Add another delegate first, or turn on automatic acceptance. Nothing was changed.`,
    );
  }

  /**
   * EntityStateException on a delegation names neither side, and WorkMail may give it for the
   * resource's booking options too (emulator variant delegate-with-auto-accept: a delegate can be
   * added only once automatic acceptance is off). One read of the options tells the two apart.
   */
  private async delegateStateRefusal(org: OrgRef, key: PairKey, target: readonly Right[], refused: WorkMailError): Promise<WorkMailError> {
    const { mailboxId: resourceId, granteeId: delegateId } = key;
    const options = target.length > 0 ? await this.session.routes.bookingOptions(org, resourceId).catch(() => undefined) : undefined;
    const message =
      options?.autoAcceptRequests === true
        ? `WorkMail refused to make ${delegateId} a booking delegate of resource ${resourceId}, which accepts booking requests automatically: WorkMail may take delegates only once automatic acceptance is off. Turn it off for the resource (WorkMail console, or Update Resource), or check that ${delegateId} and the resource are enabled, then try again.`
        : `WorkMail refused to ${target.length > 0 ? `make ${delegateId} a booking delegate of` : `remove ${delegateId} from the booking delegates of`} resource ${resourceId}: the delegate or the resource is disabled or deleted. Enable it first (WorkMail console), then try again. If it was enabled in the last few minutes, WorkMail may not show it yet: try again shortly.`;
    return new WorkMailError(refused.code, message, { retryable: refused.retryable, detail: refused.detail, cause: refused.cause });
  }

  /** A name, email or alias to the entity ID; IDs pass through without a call. */
  private async resolve(org: OrgRef, identifier: string, kinds: readonly EntityKind[], signal: AbortSignal | undefined): Promise<{ id: string; found: boolean }> {
    if (looksLikeEntityId(identifier)) {
      return { id: identifier, found: true };
    }
    const entity = await this.session.findEntity(org, identifier, signal, kinds);
    // Not found: it may still be an orphaned ID that ListMailboxPermissions reports (a revoke of it
    // is allowed when it is listed); a grant to it is refused once the list has been read.
    return entity ? { id: entity.id, found: true } : { id: identifier, found: false };
  }

  /**
   * A grant or set to a grantee the mailbox does not list: the identifier must be the entity's own
   * ID, or the Put (which WorkMail resolves by name too) could reach someone other than the read.
   * A name shaped like an ID (a user called "S-1-5-21-42") is caught here.
   */
  private async checkUnlistedGrantee(org: OrgRef, given: string, granteeId: string, found: boolean, fromDirectory: boolean, signal: AbortSignal | undefined): Promise<void> {
    if (!found) {
      throw new WorkMailError('GranteeNotFound', `No user or group "${given}" was found in organization ${org.organizationId}. ${NOT_YET_VISIBLE} Nothing was changed.`);
    }
    if (!looksLikeEntityId(given) || fromDirectory) {
      // Resolved by a Describe already, or read from the directory: an ID WorkMail gave.
      return;
    }
    const entity = await this.session.findEntity(org, granteeId, signal, ['user', 'group']).catch((err: unknown) => {
      throw err instanceof WorkMailError ? withSuffix(err, 'Nothing was changed.') : err;
    });
    if (!entity) {
      throw new WorkMailError('GranteeNotFound', `No user or group with the ID ${granteeId} was found in organization ${org.organizationId}. ${NOT_YET_VISIBLE} Nothing was changed.`);
    }
    if (entity.id !== granteeId) {
      throw new WorkMailError(
        'GranteeNotCanonical',
        `"${granteeId}" is the name of the ${entity.kind} ${entity.id}, not an ID; choose the grantee from the directory so the change reaches the right person. Nothing was changed.`,
      );
    }
  }

  /**
   * Sends the write once, again only after a ThrottlingException (the service refused it unread).
   * Before each attempt the pair's record says a write is on its way, with the time until which it
   * may still land, and the lease is checked to be still ours.
   */
  private async send(
    client: WorkMailClient,
    org: OrgRef,
    route: WriteRoute,
    key: PairKey,
    before: Right[],
    target: Right[],
    lease: PairLease,
    resourceLease: PairLease | undefined,
  ): Promise<{ refused?: WorkMailError; uncertain?: WorkMailError }> {
    const { mailboxId, granteeId } = key;
    // Either side may be the one WorkMail objects to (a disabled grantee or mailbox).
    const subject = route === 'booking-delegate' ? `The delegate ${granteeId} or the resource ${mailboxId}` : `The grantee ${granteeId} or the mailbox ${mailboxId}`;
    for (let attempt = 0; ; attempt++) {
      const sentAt = this.now();
      // Should this process die before it knows the outcome, the next writer of the pair (any
      // window) treats the pair as in doubt until then. Refuses (nothing sent) if the lease is lost.
      try {
        await lease.save({ key, state: 'writing', before, requested: target, at: sentAt, settleAt: sentAt + this.session.requestTimeoutMs + this.doubtWindowMs() });
      } catch (err) {
        // Nothing was sent: without this record a dying window could leave a write nobody knows of.
        throw err instanceof WorkMailError
          ? err
          : new WorkMailError('PendingStoreUnavailable', `Could not record the change to ${granteeId} on mailbox ${mailboxId} before sending it (${(err as Error)?.message ?? String(err)}). Check that the disk has room and the folder is writable. Nothing was changed.`);
      }
      if (!(await lease.stillHeld())) {
        throw new WorkMailError('PairTakenOver', `Another VS Code window took over the change to ${granteeId} on mailbox ${mailboxId} while this one was stalled. Refresh and check before trying again. Nothing was changed.`);
      }
      if (resourceLease && !(await resourceLease.stillHeld())) {
        // The removal decided from the resource's other delegates, which another writer may be
        // removing now that it holds the resource: the decision is no longer safe to act on.
        await this.saveAfterSend(lease, undefined);
        throw new WorkMailError('PairTakenOver', `Another VS Code window took over the booking delegates of resource ${mailboxId} while this one was stalled. Refresh and check before trying again. Nothing was changed.`);
      }
      try {
        if (route === 'booking-delegate') {
          const ids = { OrganizationId: org.organizationId, ResourceId: mailboxId, EntityId: granteeId };
          await client.send(target.length === 0 ? new DisassociateDelegateFromResourceCommand(ids) : new AssociateDelegateToResourceCommand(ids));
        } else if (target.length === 0) {
          await client.send(new DeleteMailboxPermissionsCommand({ OrganizationId: org.organizationId, EntityId: mailboxId, GranteeId: granteeId }));
        } else {
          await client.send(
            new PutMailboxPermissionsCommand({ OrganizationId: org.organizationId, EntityId: mailboxId, GranteeId: granteeId, PermissionValues: target as PermissionType[] }),
          );
        }
        return {};
      } catch (err) {
        const problem = this.session.toError(err, { region: org.region, subject });
        if (!writeWasRefused(err, problem)) {
          return { uncertain: problem };
        }
        if (problem.code !== 'ThrottlingException' || attempt >= this.throttleRetries) {
          return { refused: problem };
        }
        const backoff = Math.min(5_000, this.throttleBackoffMs * 2 ** attempt);
        await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * (backoff / 2)));
      }
    }
  }

  /**
   * Records the outcome once the write was sent. If the record cannot be updated (disk full, file
   * held by another program), the 'writing' record saved before the send stays, which keeps the pair
   * in doubt until its time: safe, and the outcome the person is told stays true.
   */
  private async saveAfterSend(lease: PairLease, next: PendingWrite | undefined): Promise<void> {
    await lease.save(next).catch(() => undefined);
  }

  /** Settles what an earlier write left on the pair before a new one, or refuses the new one. */
  private async settlePending(lease: PairLease, listed: readonly Right[], readStartedAt: number, acceptListed: boolean, pair: string, route: WriteRoute): Promise<void> {
    const { record } = lease;
    if (record.kind === 'none') {
      return;
    }
    if (record.kind === 'unreadable') {
      // Cut short, emptied, or written by a newer version: in doubt from the time it was written.
      const settleAt = record.modifiedAt + this.session.requestTimeoutMs + this.doubtWindowMs();
      if (readStartedAt < settleAt) {
        throw new InDoubtError(
          `The record of an earlier change to ${pair} cannot be read, so it may still be carried out by WorkMail until ${timeOf(settleAt)}. ${listedNow(route, listed)}. Refresh after ${timeOf(settleAt)}, then try again. Nothing was changed.`,
          { settleAt, before: [], requested: [] },
        );
      }
      await lease.save(undefined);
      return;
    }
    if (record.kind === 'unreleased') {
      // The last writer never gave the pair back: its window died mid-change, or stalled past the
      // stale-lock time and may still send. In doubt from when it last wrote.
      const settleAt = Math.max(record.write?.settleAt ?? 0, record.modifiedAt + this.session.requestTimeoutMs + this.doubtWindowMs());
      if (readStartedAt < settleAt) {
        throw new InDoubtError(
          `An earlier change to ${pair} was interrupted before it finished (its window stopped or stalled), so it may still be carried out by WorkMail until ${timeOf(settleAt)}. ${listedNow(route, listed)}. Refresh after ${timeOf(settleAt)}, then try again. Nothing was changed.`,
          { settleAt, before: record.write?.before ?? [], requested: record.write?.requested ?? [] },
        );
      }
      if (record.write?.state === 'unlisted' && !sameRights(record.write.requested, listed) && !acceptListed) {
        throw new WorkMailError(
          'ListLagging',
          `WorkMail does not list the last change to ${pair} yet: ${stillShows(route, listed, record.write.requested)}. Try again shortly, so that this change does not undo the last one. Nothing was changed.`,
          { retryable: true },
        );
      }
      await lease.save(undefined);
      return;
    }
    const pending = record.write;
    if (pending.state !== 'unlisted') {
      const settleAt = pending.settleAt ?? 0;
      // Only time settles it: a list that shows the requested rights may show someone else's
      // identical change while the request is still held (a late Delete after that would remove
      // what the next change grants).
      if (readStartedAt >= settleAt) {
        await lease.save(undefined);
        return;
      }
      throw new InDoubtError(
        `An earlier change to ${pair} (${changeWords(route, pending.before, pending.requested)}) may still be carried out by WorkMail until ${timeOf(settleAt)}: it is not known whether it was. ${listedNow(route, listed)}. Refresh after ${timeOf(settleAt)} to see where it ended, then try again. Nothing was changed.`,
        { settleAt, before: pending.before, requested: pending.requested },
      );
    }
    if (sameRights(pending.requested, listed) || acceptListed) {
      await lease.save(undefined);
      return;
    }
    throw new WorkMailError(
      'ListLagging',
      `WorkMail does not list your last change to ${pair} yet: ${stillShows(route, listed, pending.requested)}. Its permission list can lag a few minutes; try again shortly, so that this change does not undo the last one. Nothing was changed.`,
      { retryable: true },
    );
  }

  /**
   * The write failed without saying whether it happened. One read decides only if it shows the
   * target (the single attempt landed). Otherwise the pair is in doubt until the service can no
   * longer carry it out and its list has caught up: the person is told neither "done" nor "nothing
   * changed".
   */
  private async settleUncertainWrite(key: PairKey, org: OrgRef, route: WriteRoute, before: Right[], target: Right[], problem: WorkMailError, lease: PairLease): Promise<ChangeResult> {
    const { mailboxId, granteeId } = key;
    let after: Right[] | undefined;
    try {
      after = await this.readRights(org, mailboxId, granteeId, undefined, route);
    } catch {
      after = undefined;
    }
    const settleAt = this.now() + this.doubtWindowMs();
    if (after && sameRights(after, target)) {
      // WorkMail lists what was asked for, and that stays true should the request still arrive
      // late. But the list may show someone else's identical change while ours is held, so no other
      // change to the pair is made before `settleAt` (the person is told so).
      await this.saveAfterSend(lease, { key, state: 'in-doubt', before, requested: target, at: this.now(), settleAt });
      return { before, requested: target, after, verified: true, noop: false, writeError: problem, mailboxId, granteeId, settleAt };
    }
    await this.saveAfterSend(lease, { key, state: 'in-doubt', before, requested: target, at: this.now(), settleAt });
    const delegation = route === 'booking-delegate';
    const listed = !after
      ? `reading the ${delegation ? 'booking delegates' : 'permissions'} back failed too`
      : delegation
        ? `WorkMail ${after.length > 0 ? 'lists' : 'does not list'} ${granteeId} as a delegate now`
        : `WorkMail lists ${rightsLabel(after)} for ${granteeId} now`;
    const change = delegation ? (target.length > 0 ? `adding ${granteeId} as a booking delegate of resource ${mailboxId}` : `removing ${granteeId} from the booking delegates of resource ${mailboxId}`) : `${rightsLabel(before)} → ${rightsLabel(target)}`;
    const pair = delegation ? `${granteeId} as booking delegate of resource ${mailboxId}` : `${granteeId} on mailbox ${mailboxId}`;
    throw new InDoubtError(
      `${problem.message} It is not known whether WorkMail carried out the change (${change}): ${listed}, and the request may still be carried out until ${timeOf(settleAt)}. Refresh after ${timeOf(settleAt)} to see where it ended; until then no other change to ${pair} is made.`,
      { settleAt, before, requested: target, cause: problem },
    );
  }
}

// A delegation's one value said as a delegation, everything else as rights.
function listedNow(route: WriteRoute, listed: readonly Right[]): string {
  return route === 'booking-delegate' ? `WorkMail ${listed.length > 0 ? 'lists' : 'does not list'} the delegate now` : `WorkMail lists ${rightsLabel(listed)} now`;
}

function changeWords(route: WriteRoute, before: readonly Right[], requested: readonly Right[]): string {
  return route === 'booking-delegate' ? (requested.length > 0 ? 'adding the delegate' : 'removing the delegate') : `${rightsLabel(before)} → ${rightsLabel(requested)}`;
}

function stillShows(route: WriteRoute, listed: readonly Right[], written: readonly Right[]): string {
  return route === 'booking-delegate'
    ? `it still ${listed.length > 0 ? 'lists' : 'does not list'} the delegate, and ${written.length > 0 ? 'an add' : 'a removal'} was written`
    : `it still shows ${rightsLabel(listed)}, and ${rightsLabel(written)} was written`;
}

function withSuffix(error: WorkMailError, suffix: string): WorkMailError {
  return new WorkMailError(error.code, `${error.message} ${suffix}`, { retryable: error.retryable, detail: error.detail, cause: error.cause });
}

/** Everything that can be refused without a call: bad IDs and rights the mailbox cannot hold. */
function checkRequest(request: ChangeRequest): void {
  const problems = [
    validateIdentifier('OrganizationId', request.org.organizationId),
    validateIdentifier('EntityIdentifier', request.mailboxId),
    validateIdentifier('EntityIdentifier', request.granteeId),
  ].filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) {
    throw new WorkMailError('InvalidInput', problems[0]);
  }
  if (request.granteeId.includes('@')) {
    throw new WorkMailError('GranteeNotCanonical', `Choose the grantee from the directory instead of typing the address ${request.granteeId}; permissions are changed by ID.`);
  }
  const { change } = request;
  const asked = change.kind === 'grant' ? change.add : change.kind === 'set' ? change.rights : [];
  if (request.route === 'booking-delegate') {
    if (request.mailboxKind !== 'resource') {
      throw new WorkMailError('InvalidInput', `Booking delegates belong to rooms and equipment; ${request.mailboxId} is a ${request.mailboxKind}. Choose a resource. Nothing was changed.`);
    }
    if (asked.some((right) => right !== BOOKING_DELEGATE)) {
      throw new WorkMailError('InvalidInput', 'A booking delegation carries no mailbox rights; change those as mailbox permissions. Nothing was changed.');
    }
  } else if (asked.includes(BOOKING_DELEGATE) || request.expectedBefore?.includes(BOOKING_DELEGATE)) {
    // Also what the person saw: a delegation that reached here without its route (an undo, a
    // plan) would otherwise be compared with, and a revoke replace, the same two IDs' mailbox
    // permissions.
    // A right this version does not know (listed by WorkMail, carried by a merge or an undo) is
    // written back as it is; only the booking-delegate word has no place in a Put.
    throw new WorkMailError('InvalidInput', `A booking delegation is not a mailbox right (${ALL_RIGHTS.join(', ')}); add or remove booking delegates on the resource. Nothing was changed.`);
  }
  const allowed = rightsAllowedOn(request.mailboxKind);
  if (asked.includes('FULL_ACCESS') && !allowed.includes('FULL_ACCESS')) {
    throw new WorkMailError(
      'FullAccessOnGroup',
      'Full access cannot be given on a group: groups have no mailbox to open. Give Send as or Send on behalf instead, or give full access on each member\'s mailbox.',
    );
  }
  if (change.kind === 'grant' && change.add.length === 0) {
    throw new WorkMailError('NothingToGrant', 'Choose at least one right to grant.');
  }
}
