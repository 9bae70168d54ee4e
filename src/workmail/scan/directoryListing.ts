// The organization's directory as a scan needs it: every user, group and resource, all states, all
// pages, and which of them are mailboxes the scan reads.
import { retryTransient, type RetryOptions } from '../retry';
import type { WorkMailSession } from '../session';
import type { DirectoryEntity, EntityKind, OrgRef } from '../types';
import type { Directory } from './records';

export const DEFAULT_PAGE_SIZE = 100;

export interface DirectoryOptions {
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
  readonly retry?: RetryOptions;
  /** Each page of entities as it arrives, before the listing is complete. */
  readonly onPage?: (entities: readonly DirectoryEntity[]) => void;
  /**
   * The caller paces the calls made meanwhile (the scan's adaptive limit): pages are read without
   * the SDK's client-side rate limiter, which after a throttle would hold back the listing that
   * everything else waits for (pages come one at a time per kind, so they are paced already).
   */
  readonly paced?: boolean;
}

/** Every user, group and resource of the organization, all states, all pages. */
export async function listDirectory(session: WorkMailSession, org: OrgRef, options: DirectoryOptions = {}): Promise<Directory> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const listKind = async (kind: EntityKind): Promise<DirectoryEntity[]> => {
    const entities: DirectoryEntity[] = [];
    let nextToken: string | undefined;
    do {
      const page = await retryTransient(
        () => session.listEntitiesPage(org, kind, { maxResults: pageSize, nextToken, paced: options.paced }, options.signal),
        options.signal,
        options.retry,
      );
      entities.push(...page.items);
      options.onPage?.(page.items);
      nextToken = page.nextToken;
    } while (nextToken);
    return entities;
  };
  const [users, groups, resources] = await Promise.all([listKind('user'), listKind('group'), listKind('resource')]);
  const entities = new Map<string, DirectoryEntity>();
  for (const entity of [...users, ...groups, ...resources]) {
    entities.set(entity.id, entity);
  }
  return { entities, users, groups, resources };
}

/** The mailboxes a scan reads, in directory order: users, then groups, then resources. */
export function mailboxesOf(directory: Directory, options: { skipSystemUsers?: boolean } = {}): DirectoryEntity[] {
  const users = options.skipSystemUsers ? directory.users.filter((user) => !isSkippedSystemUser(user, options)) : directory.users;
  // A listing that shifts under concurrent changes can return an entity on two pages; read and
  // report each mailbox once.
  const seen = new Set<string>();
  return [...users, ...directory.groups, ...directory.resources].filter((entity) => !seen.has(entity.id) && seen.add(entity.id));
}

/** A SYSTEM_USER the caller asked to leave out (`skipSystemUsers`); every other entity is read. */
export function isSkippedSystemUser(entity: DirectoryEntity, options: { skipSystemUsers?: boolean }): boolean {
  return options.skipSystemUsers === true && entity.kind === 'user' && entity.userRole === 'SYSTEM_USER';
}
