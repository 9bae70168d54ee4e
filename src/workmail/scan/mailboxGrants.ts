// One mailbox's part of a scan: every page of its grants, retried while the failure is transient,
// then turned into records that name each grantee. A mailbox that cannot be read becomes one
// failure record; the scan goes on.
import { CancelledError, WorkMailError, isCancellation } from '../errors';
import { isNoMailboxRefusal } from '../mailboxes';
import { retryTransient, type RetryOptions } from '../retry';
import { normalizeRights } from '../rights';
import type { WorkMailSession } from '../session';
import type { DirectoryEntity, Grant, OrgRef, Right } from '../types';
import type { GranteeResolver } from './granteeResolver';
import type { ScanRecord } from './records';

/** One mailbox's grants as listed, and when they were read (the last page's answer). */
export interface ReadGrants {
  readonly grants: Grant[];
  readonly readAt: Date;
}

/** Where and how a mailbox is read: the same for every mailbox of one scan. */
export interface MailboxReadContext {
  readonly session: WorkMailSession;
  readonly org: OrgRef;
  readonly pageSize: number;
  readonly signal: AbortSignal;
  readonly retry: RetryOptions | undefined;
  readonly now: () => Date;
}

/** Every page of one mailbox's grants, retried after a back-off while the failure is transient. */
export function readGrants(context: MailboxReadContext, mailbox: DirectoryEntity): Promise<ReadGrants> {
  const { session, org, pageSize, signal, now } = context;
  return retryTransient(
    async () => {
      const all: Grant[] = [];
      let nextToken: string | undefined;
      do {
        const page = await session.listGrantsPage(org, mailbox.id, { maxResults: pageSize, nextToken, paced: true }, signal);
        all.push(...page.items);
        nextToken = page.nextToken;
      } while (nextToken);
      return { grants: all, readAt: now() };
    },
    signal,
    context.retry,
  );
}

const rightSets = new Map<string, readonly Right[]>();

/** The normalized rights, as one frozen array shared by every record with the same set. */
function sharedRights(rights: Iterable<Right>): readonly Right[] {
  const normalized = normalizeRights(rights);
  const key = normalized.join(',');
  let shared = rightSets.get(key);
  if (!shared) {
    shared = Object.freeze(normalized);
    // Rights are a handful of names: the distinct sets are few, unless a service sends nonsense.
    if (rightSets.size < 256) rightSets.set(key, shared);
  }
  return shared;
}

/**
 * One mailbox's records and when its grants were read; never throws except CancelledError.
 * `early`: its grants, read while the directory was being listed (a failure there is handled as if
 * it happened now; a success keeps the time it was read).
 */
export async function scanMailbox(
  context: MailboxReadContext,
  mailbox: DirectoryEntity,
  resolver: GranteeResolver,
  early?: Promise<ReadGrants>,
): Promise<{ records: ScanRecord[]; readAt: Date }> {
  const { org, signal, now } = context;
  try {
    const { grants, readAt } = await (early ?? readGrants(context, mailbox));
    const records: ScanRecord[] = [];
    for (const grant of grants) {
      const { entity, lookupFailed } = await resolver.resolve(grant.granteeId, grant.granteeType, signal);
      records.push({
        type: 'grant',
        org,
        mailbox,
        // By the entity's own ID even where WorkMail lists the name or email a Put was given
        // (variant grantee-id-form=as-given), so reports, reverse look-ups and clean-ups see one person;
        // the directory's own ID string, so 500,000 grants do not each hold a copy of it.
        granteeId: entity?.id ?? grant.granteeId,
        granteeType: grant.granteeType,
        grantee: entity,
        ...(lookupFailed ? { granteeLookupFailed: true } : {}),
        rights: sharedRights(grant.rights),
        readAt,
      });
    }
    return { records, readAt };
  } catch (err) {
    if (signal.aborted || isCancellation(err)) {
      throw new CancelledError();
    }
    if (isNoMailboxRefusal(err, mailbox)) {
      // A user without a mailbox: no delegations to read, and nothing failed.
      return { records: [], readAt: now() };
    }
    const error =
      err instanceof WorkMailError
        ? err
        : new WorkMailError('UnexpectedError', `Could not read the permissions of ${mailbox.email ?? mailbox.name ?? mailbox.id}: ${String(err)}`, { cause: err });
    return { records: [{ type: 'failure', org, mailbox, error }], readAt: now() };
  }
}
