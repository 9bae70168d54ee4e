// The shape of a seed document: the accounts, organizations, entities and grants the emulator
// starts with. Apart from reading and checking seeds (./seed.ts) so the generator, which builds
// such documents, and the reader, which expands generated parts, need not import each other.
export type SeedRight = 'FULL_ACCESS' | 'SEND_AS' | 'SEND_ON_BEHALF';
export type SeedEntityState = 'ENABLED' | 'DISABLED' | 'DELETED';
export const SEED_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;

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
