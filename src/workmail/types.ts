// Plain data shapes shared by the WorkMail access layer, the tree and the commands.
// Nothing here imports `vscode` or the SDK: these are the project's own words for
// WorkMail concepts, so UI code never depends on SDK response shapes.

/** The three WorkMail regions. Organizations live in exactly one of them. */
export const WORKMAIL_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;
export type WorkMailRegion = (typeof WORKMAIL_REGIONS)[number];

/** A mailbox right, exactly as the API spells it. */
export type MailboxRight = 'FULL_ACCESS' | 'SEND_AS' | 'SEND_ON_BEHALF';
export const ALL_RIGHTS: readonly MailboxRight[] = ['FULL_ACCESS', 'SEND_AS', 'SEND_ON_BEHALF'];

/**
 * What the write path holds for one pair. On a mailbox permission pair, the mailbox rights; on a
 * booking-delegate pair (a resource and a user or group), BOOKING_DELEGATE when the pair is a
 * delegation. One word for both so that every write goes through the same protocol, batch, plan,
 * log and undo (permissions.ts), instead of a second copy of them for delegates. A grant dialog
 * offers ALL_RIGHTS only; the writer refuses BOOKING_DELEGATE on a permission pair and anything
 * else on a delegate pair.
 */
export type Right = MailboxRight | 'BOOKING_DELEGATE';
export const BOOKING_DELEGATE = 'BOOKING_DELEGATE' as const;

/** Where an organization lives: enough to address any call about it. */
export interface OrgRef {
  readonly region: string;
  readonly organizationId: string;
}

export interface Organization extends OrgRef {
  readonly alias?: string;
  /** As the service reports it: Active, Creating, Deleted, Failed, Inactive, ... */
  readonly state?: string;
  readonly defaultMailDomain?: string;
  readonly errorMessage?: string;
}

export type EntityKind = 'user' | 'group' | 'resource';
export type EntityState = 'ENABLED' | 'DISABLED' | 'DELETED';

/** A user, group or resource as listed or described by the directory. */
export interface DirectoryEntity {
  readonly id: string;
  readonly kind: EntityKind;
  readonly name?: string;
  readonly displayName?: string;
  readonly email?: string;
  readonly state?: EntityState;
  /** Users only: USER, RESOURCE, SYSTEM_USER, REMOTE_USER. */
  readonly userRole?: string;
  /** Resources only: ROOM or EQUIPMENT. */
  readonly resourceType?: string;
}

/** One grantee's rights on one mailbox, as ListMailboxPermissions reports it. */
export interface Grant {
  readonly granteeId: string;
  readonly granteeType: 'USER' | 'GROUP';
  readonly rights: readonly Right[];
}

/** One page of a paginated List call. `nextToken` is present while more remain. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

/** The API's own prefix filters on ListUsers / ListGroups / ListResources. */
export interface DirectoryFilter {
  readonly field: 'name' | 'displayName' | 'email';
  readonly prefix: string;
}
