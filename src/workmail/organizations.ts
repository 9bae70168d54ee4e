// Which organizations answer directory and permission calls. The API documents that mailbox
// permission calls need an organization that is Active or Synchronizing; any other state
// (Creating, Inactive, Deleted, Failed, ...) answers OrganizationStateException.
import type { Organization } from './types';
import { validateIdentifier } from './validation';

/**
 * The organization a person named: by ID exactly, or by alias whatever its case (aliases are
 * unique per region). Undefined when none matches.
 */
export function findOrganization<T extends Pick<Organization, 'organizationId' | 'alias'>>(organizations: readonly T[], wanted: string): T | undefined {
  const isId = validateIdentifier('OrganizationId', wanted) === undefined;
  return isId ? organizations.find((org) => org.organizationId === wanted) : organizations.find((org) => org.alias !== undefined && org.alias.toLowerCase() === wanted.toLowerCase());
}

const USABLE_STATES = new Set(['Active', 'Synchronizing']);

/** True when the organization's mailboxes and permissions can be read and changed. */
export function isOrganizationUsable(org: Pick<Organization, 'state'>): boolean {
  return org.state === undefined || USABLE_STATES.has(org.state);
}

/** Why an organization cannot be used, for people; undefined when it can. */
export function organizationUnusableReason(org: Pick<Organization, 'state' | 'alias' | 'organizationId'>): string | undefined {
  if (isOrganizationUsable(org)) {
    return undefined;
  }
  return `The organization ${org.alias ?? org.organizationId} is ${org.state}: its mailboxes and permissions can only be read or changed while it is Active. Activate it in the WorkMail console, or choose another organization.`;
}
