// The tree nodes commands accept, declared structurally so a command depends only on what a node
// carries, never on the tree's classes. VS Code passes the clicked node (and the selection) as
// plain arguments, so every command checks the shape before it trusts it.
import type { DirectoryEntity, Grant, Organization } from '../workmail/types';

export interface OrganizationNodeLike {
  readonly kind: 'organization';
  readonly org: Organization;
}

export interface MailboxNodeLike {
  readonly kind: 'mailbox';
  readonly org: Organization;
  readonly entity: DirectoryEntity;
}

export interface GranteeNodeLike {
  readonly kind: 'grantee';
  readonly org: Organization;
  readonly mailbox: DirectoryEntity;
  readonly grant: Grant;
  readonly grantee: DirectoryEntity | null | undefined;
}

export interface GroupMemberNodeLike {
  readonly kind: 'groupMember';
  readonly org: Organization;
  readonly entity: DirectoryEntity;
}

/** A resource's "Booking delegates" row. */
export interface BookingDelegatesNodeLike {
  readonly kind: 'bookingDelegates';
  readonly org: Organization;
  readonly resource: DirectoryEntity;
}

/** One booking delegate of a resource. */
export interface BookingDelegateNodeLike {
  readonly kind: 'bookingDelegate';
  readonly org: Organization;
  readonly resource: DirectoryEntity;
  readonly delegate: { readonly id: string; readonly type: 'USER' | 'GROUP' };
  readonly grantee: DirectoryEntity | null | undefined;
}

function hasKind(value: unknown, kind: string): value is { kind: string; org: Organization } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === kind &&
    typeof (value as { org?: { organizationId?: unknown } }).org?.organizationId === 'string'
  );
}

export function isOrganizationNode(value: unknown): value is OrganizationNodeLike {
  return hasKind(value, 'organization');
}

export function isMailboxNode(value: unknown): value is MailboxNodeLike {
  return hasKind(value, 'mailbox') && typeof (value as MailboxNodeLike).entity?.id === 'string';
}

export function isGranteeNode(value: unknown): value is GranteeNodeLike {
  return hasKind(value, 'grantee') && typeof (value as GranteeNodeLike).grant?.granteeId === 'string';
}

export function isGroupMemberNode(value: unknown): value is GroupMemberNodeLike {
  return hasKind(value, 'groupMember') && typeof (value as GroupMemberNodeLike).entity?.id === 'string';
}

export function isBookingDelegatesNode(value: unknown): value is BookingDelegatesNodeLike {
  return hasKind(value, 'bookingDelegates') && typeof (value as BookingDelegatesNodeLike).resource?.id === 'string';
}

export function isBookingDelegateNode(value: unknown): value is BookingDelegateNodeLike {
  return hasKind(value, 'bookingDelegate') && typeof (value as BookingDelegateNodeLike).resource?.id === 'string' && typeof (value as BookingDelegateNodeLike).delegate?.id === 'string';
}

/** Any node that belongs to an organization (so a command on it can default to that organization). */
export function organizationOfNode(value: unknown): Organization | undefined {
  return isOrganizationNode(value) || isMailboxNode(value) || isGranteeNode(value) || isGroupMemberNode(value) ? value.org : undefined;
}

/**
 * The grant addressed by the grantee's own ID. WorkMail may list a grantee under the name or email
 * address a Put was given (variant grantee-id-form=as-given); changes are made by ID, and the
 * writer counts that listed row as the grantee's.
 */
export function grantById(grant: Grant, grantee: DirectoryEntity | null | undefined): Grant {
  return grantee && grantee.id !== grant.granteeId ? { ...grant, granteeId: grantee.id } : grant;
}
