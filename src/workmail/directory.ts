// Names for the IDs that ListMailboxPermissions returns. Entities seen in directory pages are
// remembered for free; the rest are described once each, a bounded number at a time.
import { createLimiter, type Limiter } from './concurrency';
import { CancelledError } from './errors';
import type { WorkMailSession } from './session';
import type { DirectoryEntity, OrgRef } from './types';

export class DirectoryCache {
  private readonly known = new Map<string, DirectoryEntity | null>();
  private readonly inFlight = new Map<string, Promise<DirectoryEntity | null | undefined>>();
  private readonly limit: Limiter;
  /** Bumped by clear(), so answers to calls started before a refresh are not stored after it. */
  private generation = 0;
  private describeCount = 0;

  constructor(
    private readonly session: WorkMailSession,
    private readonly org: OrgRef,
    options: { concurrency?: number } = {},
  ) {
    this.limit = createLimiter(options.concurrency ?? 8);
  }

  get describeCalls(): number {
    return this.describeCount;
  }

  remember(entities: Iterable<DirectoryEntity>): void {
    for (const entity of entities) {
      this.known.set(entity.id, entity);
    }
  }

  /** The entity, null when WorkMail said it does not exist, undefined when not known yet. */
  get(id: string): DirectoryEntity | null | undefined {
    return this.known.get(id);
  }

  /**
   * Entities for the given grantees: null for "unknown or deleted". IDs whose lookup failed for
   * another reason (throttling, network) are left out, so the caller shows the bare ID, and are
   * asked again on the next resolve.
   */
  async resolve(
    grantees: ReadonlyArray<{ granteeId: string; granteeType: 'USER' | 'GROUP' }>,
    signal?: AbortSignal,
  ): Promise<Map<string, DirectoryEntity | null>> {
    if (signal?.aborted) {
      throw new CancelledError();
    }
    const result = new Map<string, DirectoryEntity | null>();
    const pending: Array<Promise<void>> = [];
    for (const { granteeId, granteeType } of grantees) {
      if (result.has(granteeId)) {
        continue;
      }
      const cached = this.known.get(granteeId);
      if (cached !== undefined) {
        result.set(granteeId, cached);
        continue;
      }
      pending.push(
        this.lookup(granteeId, granteeType).then((entity) => {
          if (entity !== undefined) {
            result.set(granteeId, entity);
          }
        }),
      );
    }
    if (pending.length > 0) {
      // Lookups are shared with other callers, so one caller's cancellation stops its wait
      // without cancelling the calls the others are waiting for.
      await raceAbort(Promise.all(pending), signal);
    }
    return result;
  }

  clear(): void {
    this.generation++;
    this.known.clear();
    this.inFlight.clear();
  }

  private lookup(id: string, type: 'USER' | 'GROUP'): Promise<DirectoryEntity | null | undefined> {
    const shared = this.inFlight.get(id);
    if (shared) {
      return shared;
    }
    const generation = this.generation;
    const call = this.limit(async () => {
      if (generation !== this.generation) {
        return undefined;
      }
      this.describeCount++;
      try {
        const entity = (await this.session.describeEntity(this.org, id, type === 'GROUP' ? 'group' : 'user')) ?? null;
        if (generation === this.generation) {
          this.known.set(id, entity);
        }
        return entity;
      } catch {
        return undefined;
      }
    }).finally(() => {
      if (this.inFlight.get(id) === call) {
        this.inFlight.delete(id);
      }
    });
    this.inFlight.set(id, call);
    return call;
  }
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return work;
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
