// Who a grant's grantee ID is: the scan's directory names almost all of them; the few it does not
// hold (usually deleted entities) are described once each, shared by every mailbox worker, and
// recorded in the checkpoint so a resumed scan does not describe them again.
import type { CheckpointWriter } from '../checkpoint';
import { CancelledError, isCancellation } from '../errors';
import { retryTransient, type RetryOptions } from '../retry';
import type { WorkMailSession } from '../session';
import type { DirectoryEntity, OrgRef } from '../types';

/** Names for grantee IDs: one look-up per ID the directory does not hold, however many mailboxes name it. */
export class GranteeResolver {
  private readonly described = new Map<string, Promise<DirectoryEntity | null>>();

  constructor(
    private readonly session: WorkMailSession,
    private readonly org: OrgRef,
    private readonly directory: ReadonlyMap<string, DirectoryEntity>,
    private readonly retry: RetryOptions | undefined,
    /** What an interrupted scan already described (null: WorkMail did not know the ID). */
    known?: ReadonlyMap<string, DirectoryEntity | null>,
    private readonly checkpoint?: CheckpointWriter,
  ) {
    for (const [id, entity] of known ?? []) {
      this.described.set(id, Promise.resolve(entity));
    }
  }

  /** Throws only CancelledError: a failed look-up is `lookupFailed`, so the grant is still reported. */
  async resolve(id: string, type: 'USER' | 'GROUP', signal: AbortSignal): Promise<{ entity: DirectoryEntity | null; lookupFailed: boolean }> {
    const known = this.directory.get(id);
    if (known) {
      return { entity: known, lookupFailed: false };
    }
    let lookup = this.described.get(id);
    if (!lookup) {
      lookup = retryTransient(() => this.session.describeEntity(this.org, id, type === 'GROUP' ? 'group' : 'user', signal), signal, this.retry).then((entity) => {
        this.checkpoint?.described(id, entity ?? null);
        return entity ?? null;
      });
      this.described.set(id, lookup);
      // A failed lookup is not remembered, so the next mailbox naming this ID asks again.
      lookup.catch(() => this.described.delete(id));
    }
    try {
      return { entity: await lookup, lookupFailed: false };
    } catch (err) {
      if (signal.aborted || isCancellation(err)) {
        throw new CancelledError();
      }
      return { entity: null, lookupFailed: true };
    }
  }
}
