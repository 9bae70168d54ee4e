// The safe write path. PutMailboxPermissions REPLACES a grantee's rights, so every change is
// read, compared with what the person saw, merged, written, and read back:
// one List (per page), one Put or Delete, one verifying List.
import { DeleteMailboxPermissionsCommand, PutMailboxPermissionsCommand, type PermissionType } from '@aws-sdk/client-workmail';
import { CancelledError, ConcurrentChangeError, WorkMailError } from './errors';
import { normalizeRights, rightsAllowedOn, rightsLabel, sameRights, unionRights } from './rights';
import type { WorkMailSession } from './session';
import type { EntityKind, OrgRef, Right } from './types';
import { validateIdentifier } from './validation';

export type PermissionChange =
  /** Adds to whatever the grantee has now. */
  | { kind: 'grant'; add: readonly Right[] }
  /** Exactly these rights; [] revokes (a Delete, never an empty Put). */
  | { kind: 'set'; rights: readonly Right[] }
  | { kind: 'revoke' };

export interface ChangeRequest {
  org: OrgRef;
  mailboxId: string;
  mailboxKind: EntityKind;
  /** The canonical entity ID, as ListMailboxPermissions reports it (see session.findEntity). */
  granteeId: string;
  change: PermissionChange;
  /** What the person saw when they opened the dialog; a difference stops the write. */
  expectedBefore?: readonly Right[];
  /** Honoured until the write starts; a write in progress is always finished and verified. */
  signal?: AbortSignal;
}

export interface ChangeResult {
  before: Right[];
  requested: Right[];
  /** As read back after the write (equal to `before` for a no-op). */
  after: Right[];
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
}

/** Failures after which the request may or may not have been carried out. */
const UNCERTAIN_WRITE_FAILURES = new Set(['NetworkError', 'InternalFailure', 'ServiceError', 'ServiceUnavailable', 'InternalServerError']);

function writeOutcomeIsUncertain(error: WorkMailError): boolean {
  if (error.code === 'ThrottlingException') {
    // A throttled request is refused before it is carried out.
    return false;
  }
  return UNCERTAIN_WRITE_FAILURES.has(error.code) || (error.retryable && !error.code.endsWith('Exception'));
}

/**
 * How long a write that WorkMail does not list yet is remembered. Its permission list can lag
 * behind Put and Delete; within this window a fresh read that does not show our own write is not
 * trusted as "before" for another change, because merging onto it would undo what was written.
 */
export const UNCONFIRMED_WRITE_WINDOW_MS = 10 * 60_000;

export class PermissionWriter {
  /** Writes that WorkMail did not list yet when read back, by mailbox and grantee. */
  private readonly unconfirmed = new Map<string, { rights: Right[]; at: number }>();

  constructor(
    private readonly session: WorkMailSession,
    private readonly now: () => number = Date.now,
  ) {}

  /** The grantee's rights on the mailbox right now (all pages), [] when it has none. */
  async readRights(org: OrgRef, mailboxId: string, granteeId: string, signal?: AbortSignal): Promise<Right[]> {
    const grants = await this.session.listAllGrants(org, mailboxId, signal);
    // Exact comparison: IDs are what the service reports, and a near match is a different entity.
    return normalizeRights(grants.filter((grant) => grant.granteeId === granteeId).flatMap((grant) => grant.rights));
  }

  async apply(request: ChangeRequest): Promise<ChangeResult> {
    const { org, mailboxId, granteeId, change, signal } = request;
    checkRequest(request);

    let grants;
    try {
      grants = await this.session.listAllGrants(org, mailboxId, signal);
    } catch (err) {
      // Nothing is written without this read; say so, so a failure is never taken for a half-done change.
      throw err instanceof WorkMailError && !(err instanceof ConcurrentChangeError) ? withSuffix(err, 'Nothing was changed.') : err;
    }
    const mine = grants.filter((grant) => grant.granteeId === granteeId);
    if (mine.length === 0 && grants.some((grant) => grant.granteeId.toLowerCase() === granteeId.toLowerCase())) {
      // A differently-spelled ID would make the grantee look rightless and the Put would replace
      // what it really has.
      throw new WorkMailError('GranteeNotCanonical', `"${granteeId}" does not match the grantee ID WorkMail reports; refresh and choose the grantee again.`);
    }
    const before = normalizeRights(mine.flatMap((grant) => grant.rights));
    this.refuseWhileOwnWriteIsUnlisted(org, mailboxId, granteeId, before);

    if (request.expectedBefore && !sameRights(request.expectedBefore, before)) {
      throw new ConcurrentChangeError(`${granteeId} on mailbox ${mailboxId}`, normalizeRights(request.expectedBefore), before);
    }

    const target =
      change.kind === 'grant' ? unionRights(before, change.add) : change.kind === 'set' ? normalizeRights(change.rights) : [];
    if (sameRights(target, before)) {
      return { before, requested: target, after: before, verified: true, noop: true };
    }
    if (signal?.aborted) {
      throw new CancelledError();
    }

    // From here on the signal is deliberately not passed: abandoning a write half-way would leave
    // the person not knowing whether it happened.
    const client = this.session.client(org.region);
    // Either side may be the one WorkMail objects to (a disabled grantee or mailbox).
    const subject = `The grantee ${granteeId} or the mailbox ${mailboxId}`;
    try {
      if (target.length === 0) {
        await client.send(new DeleteMailboxPermissionsCommand({ OrganizationId: org.organizationId, EntityId: mailboxId, GranteeId: granteeId }));
      } else {
        await client.send(
          new PutMailboxPermissionsCommand({
            OrganizationId: org.organizationId,
            EntityId: mailboxId,
            GranteeId: granteeId,
            PermissionValues: target as PermissionType[],
          }),
        );
      }
    } catch (err) {
      const problem = this.session.toError(err, { region: org.region, subject });
      // The SDK retries on its own: an earlier attempt may have landed before a later one was
      // refused, so only a refusal of the first and only attempt proves nothing was written.
      const attempts = (err as { $metadata?: { attempts?: number } } | null)?.$metadata?.attempts ?? 1;
      if (!writeOutcomeIsUncertain(problem) && attempts <= 1) {
        throw withSuffix(problem, 'Nothing was changed.');
      }
      return this.remember(org, mailboxId, granteeId, await this.settleUncertainWrite(org, mailboxId, granteeId, before, target, problem));
    }

    try {
      const after = await this.readRights(org, mailboxId, granteeId);
      return this.remember(org, mailboxId, granteeId, { before, requested: target, after, verified: sameRights(after, target), noop: false });
    } catch (err) {
      const verifyError = err instanceof WorkMailError ? err : this.session.toError(err, { region: org.region, subject });
      return this.remember(org, mailboxId, granteeId, { before, requested: target, after: target, verified: false, noop: false, verifyError });
    }
  }

  /**
   * Forgets writes not yet listed. Only for when the service's state was replaced wholesale (a test
   * emulator reset): a real lag must never be forgotten early, or the next change could undo a write.
   */
  forgetUnconfirmedWrites(): void {
    this.unconfirmed.clear();
  }

  /** Keeps a written but not yet listed change in mind, so the next change does not undo it. */
  private remember(org: OrgRef, mailboxId: string, granteeId: string, result: ChangeResult): ChangeResult {
    const key = unconfirmedKey(org, mailboxId, granteeId);
    if (result.verified) {
      this.unconfirmed.delete(key);
    } else {
      this.unconfirmed.set(key, { rights: result.requested, at: this.now() });
    }
    return result;
  }

  private refuseWhileOwnWriteIsUnlisted(org: OrgRef, mailboxId: string, granteeId: string, listed: readonly Right[]): void {
    const key = unconfirmedKey(org, mailboxId, granteeId);
    const written = this.unconfirmed.get(key);
    if (!written) {
      return;
    }
    if (this.now() - written.at > UNCONFIRMED_WRITE_WINDOW_MS || sameRights(written.rights, listed)) {
      // WorkMail has caught up (or long enough has passed that the list is the truth again).
      this.unconfirmed.delete(key);
      return;
    }
    throw new WorkMailError(
      'ListLagging',
      `WorkMail does not list your last change to ${granteeId} on mailbox ${mailboxId} yet: it still shows ${rightsLabel(listed)}, and ${rightsLabel(written.rights)} was written. Its permission list can lag a few minutes; try again shortly, so that this change does not undo the last one. Nothing was changed.`,
      { retryable: true },
    );
  }

  /**
   * The write failed without saying whether it happened, and a grant must never be left in doubt:
   * the current rights decide. The target means it landed (success, the person is told it did); the
   * previous rights mean it did not (a failure that says nothing changed); anything else, or a
   * read that fails too, is reported as exactly that.
   */
  private async settleUncertainWrite(org: OrgRef, mailboxId: string, granteeId: string, before: Right[], target: Right[], problem: WorkMailError): Promise<ChangeResult> {
    let after: Right[];
    try {
      after = await this.readRights(org, mailboxId, granteeId);
    } catch {
      throw withSuffix(
        problem,
        `It is not known whether the change was written: reading the permissions back failed too. Refresh the mailbox to see what ${granteeId} has before trying again.`,
      );
    }
    if (sameRights(after, target)) {
      return { before, requested: target, after, verified: true, noop: false, writeError: problem };
    }
    if (sameRights(after, before)) {
      throw withSuffix(
        problem,
        `Nothing was changed as far as WorkMail lists: it still shows ${rightsLabel(before)} for ${granteeId} (its list can lag a few minutes, so refresh later to be sure before trying again).`,
      );
    }
    throw withSuffix(
      problem,
      `WorkMail now lists ${rightsLabel(after)} for ${granteeId} (it had ${rightsLabel(before)}; you asked for ${rightsLabel(target)}); someone else may be changing it. Refresh and check before trying again.`,
    );
  }
}

function unconfirmedKey(org: OrgRef, mailboxId: string, granteeId: string): string {
  return JSON.stringify([org.region, org.organizationId, mailboxId, granteeId]);
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
