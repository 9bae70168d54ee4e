// The SDK's shapes turned into the project's own (src/workmail/types.ts), and the project's
// filters and page sizes into the SDK's input: the one place that knows how WorkMail spells a user,
// a group, a resource and a permission. Types only from the SDK, so nothing here loads it.
import type { Group, Permission, Resource, User } from '@aws-sdk/client-workmail';
import type { DirectoryEntity, DirectoryFilter, EntityState, Grant, Right } from './types';

/** WorkMail's List calls take 1 to 100 results per page. */
export function clampPageSize(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(1, Math.trunc(value))) : 100;
}

export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'EntityNotFoundException';
}

export function hasId<T extends { Id?: string }>(item: T): item is T & { Id: string } {
  return typeof item.Id === 'string' && item.Id !== '';
}

export function userFilter(filter: DirectoryFilter) {
  switch (filter.field) {
    case 'name':
      return { UsernamePrefix: filter.prefix };
    case 'displayName':
      return { DisplayNamePrefix: filter.prefix };
    case 'email':
      return { PrimaryEmailPrefix: filter.prefix };
  }
}

/** Groups and resources have no display name: their name is what people see. */
export function namedFilter(filter: DirectoryFilter) {
  return filter.field === 'email' ? { PrimaryEmailPrefix: filter.prefix } : { NamePrefix: filter.prefix };
}

export function userEntity(user: User & { Id: string }): DirectoryEntity {
  return {
    id: user.Id,
    kind: 'user',
    name: user.Name,
    displayName: user.DisplayName,
    email: user.Email,
    state: user.State as EntityState | undefined,
    userRole: user.UserRole,
  };
}

export function groupEntity(group: Group & { Id: string }): DirectoryEntity {
  return { id: group.Id, kind: 'group', name: group.Name, email: group.Email, state: group.State as EntityState | undefined };
}

export function resourceEntity(resource: Resource & { Id: string }): DirectoryEntity {
  return {
    id: resource.Id,
    kind: 'resource',
    name: resource.Name,
    email: resource.Email,
    state: resource.State as EntityState | undefined,
    resourceType: resource.Type,
  };
}

export function toGrant(permission: Permission): Grant[] {
  if (!permission.GranteeId) {
    return [];
  }
  // Values are passed through as the service sent them: one this version does not know must
  // survive a read-merge-write rather than be dropped.
  return [
    {
      granteeId: permission.GranteeId,
      granteeType: permission.GranteeType === 'GROUP' ? 'GROUP' : 'USER',
      rights: [...(permission.PermissionValues ?? [])] as Right[],
    },
  ];
}
