// The shape of a seed document: the accounts, organizations, entities and grants the emulator
// starts with. Apart from reading and checking seeds (./seed.ts) so the generator, which builds
// such documents, and the reader, which expands generated parts, need not import each other.
export type SeedRight = 'FULL_ACCESS' | 'SEND_AS' | 'SEND_ON_BEHALF';
export type SeedEntityState = 'ENABLED' | 'DISABLED' | 'DELETED';
export const SEED_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;
/** The protocols an access control rule names (the model: "Valid values include ActiveSync, AutoDiscover, EWS, IMAP, SMTP, WindowsOutlook, and WebMail"). */
export const ACCESS_CONTROL_ACTIONS = ['ActiveSync', 'AutoDiscover', 'EWS', 'IMAP', 'SMTP', 'WindowsOutlook', 'WebMail'] as const;
/** An address as the model's EmailAddress pattern (aliases). */
export const EMAIL_ADDRESS = /^[a-zA-Z0-9._%+-]{1,64}@[a-zA-Z0-9.-]+\.[a-zA-Z-]{2,}$/;
/** An IPv4 CIDR range, as the model's IpRange pattern. */
export const IPV4_CIDR = /^(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\/([0-9]|[12][0-9]|3[0-2])$/;

export interface SeedAccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Makes the key temporary: every request must carry this X-Amz-Security-Token. */
  readonly sessionToken?: string;
}

export interface SeedUser {
  readonly id: string;
  readonly name: string;
  readonly displayName?: string;
  readonly email?: string;
  /** More addresses of the entity (ListAliases); only with an email. */
  readonly aliases?: readonly string[];
  readonly state?: SeedEntityState;
  /** USER (default), RESOURCE, SYSTEM_USER or REMOTE_USER. */
  readonly role?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly jobTitle?: string;
  readonly department?: string;
  /** ISO 8601. */
  readonly enabledDate?: string;
  readonly disabledDate?: string;
}

export interface SeedGroup {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  /** More addresses of the group (ListAliases); only with an email. */
  readonly aliases?: readonly string[];
  readonly state?: SeedEntityState;
  /** IDs of member users and groups (nesting allowed). */
  readonly members?: readonly string[];
  readonly enabledDate?: string;
  readonly disabledDate?: string;
}

export interface SeedResource {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  /** More addresses of the resource (ListAliases); only with an email. */
  readonly aliases?: readonly string[];
  readonly type: 'ROOM' | 'EQUIPMENT';
  readonly state?: SeedEntityState;
  readonly description?: string;
  readonly enabledDate?: string;
  readonly disabledDate?: string;
}

export interface SeedGrant {
  /** ID of the user, resource or group whose mailbox it is. */
  readonly mailbox: string;
  /** ID of the grantee; may be an ID that is not in the directory. */
  readonly grantee: string;
  readonly rights: readonly SeedRight[];
  /** Only needed for grantees that are not in the directory; USER when absent. */
  readonly granteeType?: 'USER' | 'GROUP';
}

/** The booking options of DescribeResource/UpdateResource; a member left out keeps a new resource's value. */
export interface SeedBookingOptions {
  /** true when absent. */
  readonly autoAcceptRequests?: boolean;
  /** false when absent. */
  readonly autoDeclineRecurringRequests?: boolean;
  /** true when absent. */
  readonly autoDeclineConflictingRequests?: boolean;
}

/** One resource's booking: its options and its delegates. Resources without an entry have the defaults and none. */
export interface SeedResourceBooking extends SeedBookingOptions {
  /** ID of a resource of the organization. */
  readonly resource: string;
  /** IDs of users and groups of the organization. */
  readonly delegates?: readonly string[];
}

export interface SeedImpersonationRule {
  /** [a-zA-Z0-9_-]{1,64}, unique in its role. */
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly effect: 'ALLOW' | 'DENY';
  /** IDs of users of the organization (1 to 10); absent: every user. */
  readonly targetUsers?: readonly string[];
  /** IDs of users of the organization (1 to 10) the rule does not match. */
  readonly notTargetUsers?: readonly string[];
}

export interface SeedImpersonationRole {
  /** [a-zA-Z0-9_-]{1,64}, unique in the organization. */
  readonly id: string;
  readonly name: string;
  readonly type: 'FULL_ACCESS' | 'READ_ONLY';
  readonly description?: string;
  /** 0 to 10; a role without rules impersonates no one. */
  readonly rules?: readonly SeedImpersonationRule[];
  /** ISO 8601; the organization's creation when absent. */
  readonly dateCreated?: string;
  readonly dateModified?: string;
}

/** An access control rule; a list left out or empty sets no condition. */
export interface SeedAccessControlRule {
  /** [a-zA-Z0-9_-]{1,64}, unique in the organization. */
  readonly name: string;
  readonly effect: 'ALLOW' | 'DENY';
  readonly description?: string;
  /** IPv4 CIDR ranges. */
  readonly ipRanges?: readonly string[];
  readonly notIpRanges?: readonly string[];
  /** ActiveSync, AutoDiscover, EWS, IMAP, SMTP, WindowsOutlook, WebMail. */
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  /** IDs of users of the organization. */
  readonly userIds?: readonly string[];
  readonly notUserIds?: readonly string[];
  /** Impersonation role IDs; may name a role no longer there (DeleteImpersonationRole leaves rules as they are). */
  readonly impersonationRoleIds?: readonly string[];
  readonly notImpersonationRoleIds?: readonly string[];
  /** ISO 8601; the organization's creation when absent. */
  readonly dateCreated?: string;
  readonly dateModified?: string;
}

export interface SeedOrganization {
  /** "m-" + 32 lowercase hex digits. */
  readonly id: string;
  readonly alias: string;
  readonly region: string;
  /** Active, Inactive, Creating, Deleted, Failed, Synchronizing... Active when absent. */
  readonly state?: string;
  readonly defaultMailDomain?: string;
  readonly users?: readonly SeedUser[];
  readonly groups?: readonly SeedGroup[];
  readonly resources?: readonly SeedResource[];
  readonly grants?: readonly SeedGrant[];
  /** Booking options and delegates of resources. */
  readonly booking?: readonly SeedResourceBooking[];
  readonly impersonationRoles?: readonly SeedImpersonationRole[];
  /**
   * The organization's access control rules, in the order they were created. Absent: WorkMail's
   * default rule alone (allow everyone, everywhere). Present: exactly these, so `[]` is an
   * organization whose every rule was deleted (all access blocked).
   */
  readonly accessControlRules?: readonly SeedAccessControlRule[];
  /** Adds a deterministic generated directory to whatever is written by hand. */
  readonly generate?: Omit<GenerateOptions, 'domain'> & { readonly domain?: string };
}

export interface SeedAccount {
  /** 12-digit AWS account id, used in ARNs. */
  readonly id?: string;
  readonly name: string;
  readonly accessKeys: readonly SeedAccessKey[];
  readonly organizations?: readonly SeedOrganization[];
}

export interface SeedDocument {
  readonly accounts: readonly SeedAccount[];
  /** Behaviours where the real service's is unknown (emulator/variants.ts); the defaults when absent. */
  readonly variants?: Readonly<Record<string, string>>;
}

/** A directory of this size generated into an organization (emulator/generate.ts). */
export interface GenerateOptions {
  readonly users: number;
  /** Default: users / 20 (at least 1). */
  readonly groups?: number;
  /** Default: users / 50 (at least 1). */
  readonly resources?: number;
  /** Default: 5 per user. */
  readonly grants?: number;
  readonly seed: number;
  readonly domain: string;
}
