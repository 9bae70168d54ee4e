// Aliases: the other addresses of users, groups and resources (ListAliases, every page), read once
// per entity that has a primary address and is not deleted, for the migration snapshot. A deleted
// entity is not asked (as a deleted group's members are not): it is not migrated, and WorkMail may
// refuse the call (the emulator does: EntityStateException), which would make every snapshot of an
// organization with a deleted user incomplete. An entity whose aliases could
// not be read is returned as a failure with the reason, never as an entity without aliases: a
// migration that drops an address someone still writes to loses mail silently.
import { createLimiter } from './concurrency';
import { CancelledError, WorkMailError, isCancellation } from './errors';
import { retryTransient, type RetryOptions } from './retry';
import type { WorkMailSession } from './session';
import type { DirectoryEntity, OrgRef } from './types';

export interface LoadedAliases {
  /** By entity ID: its aliases, sorted, each once, without its primary address. Only entities read. */
  readonly aliases: ReadonlyMap<string, readonly string[]>;
  readonly failures: ReadonlyArray<{ readonly entity: DirectoryEntity; readonly error: WorkMailError }>;
}

export interface AliasOptions {
  readonly signal?: AbortSignal;
  readonly retry?: RetryOptions;
  /** Entities read at once (default 4). */
  readonly concurrency?: number;
}

/** The entities whose aliases are read: those with a primary address (the others have none to add to), deleted ones left out. */
export function entitiesWithAddress(entities: readonly DirectoryEntity[]): DirectoryEntity[] {
  return [...new Map(entities.filter((entity) => entity.email && entity.state !== 'DELETED').map((entity) => [entity.id, entity])).values()];
}

/**
 * The aliases as a record keeps them: each address once whatever its case (the first spelling
 * kept), never the primary address (whether ListAliases also lists it is not documented), in a
 * stable order (case-insensitive, then as written) so two snapshots compare with diff.
 */
export function normalAliases(listed: readonly string[], primary: string | undefined): string[] {
  const byKey = new Map<string, string>();
  for (const alias of listed) {
    const trimmed = alias.trim();
    const key = trimmed.toLowerCase();
    if (trimmed === '' || key === primary?.toLowerCase() || byKey.has(key)) {
      continue;
    }
    byKey.set(key, trimmed);
  }
  return [...byKey.values()].sort((a, b) => {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
}

/** One ListAliases walk per entity with an address, not deleted (`entities` may hold others: they are skipped). */
export async function loadAliases(session: WorkMailSession, org: OrgRef, entities: readonly DirectoryEntity[], options: AliasOptions = {}): Promise<LoadedAliases> {
  const limit = createLimiter(Math.max(1, options.concurrency ?? 4));
  const aliases = new Map<string, readonly string[]>();
  const failures: Array<{ entity: DirectoryEntity; error: WorkMailError }> = [];
  await Promise.all(
    entitiesWithAddress(entities).map((entity) =>
      limit(async () => {
        if (options.signal?.aborted) {
          throw new CancelledError();
        }
        try {
          const listed = await retryTransient(() => session.listAllAliases(org, entity.id, options.signal), options.signal, options.retry);
          aliases.set(entity.id, normalAliases(listed, entity.email));
        } catch (err) {
          if (options.signal?.aborted || isCancellation(err)) {
            throw new CancelledError();
          }
          failures.push({ entity, error: err instanceof WorkMailError ? err : new WorkMailError('UnexpectedError', `Could not read the aliases: ${String(err)}`, { cause: err }) });
        }
      }),
    ),
  );
  return { aliases, failures };
}
