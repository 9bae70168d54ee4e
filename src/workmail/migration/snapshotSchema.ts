// The one description of a valid snapshot file: readSnapshot validates with it, and
// schemas/snapshot.schema.json is generated from it (`npx tsx scripts/snapshot-schema.ts`; a unit
// test fails when the committed file differs). The TypeScript types in schema.ts stay the names the
// rest of the code uses; a compile-time check below keeps the two in step.
//
// Valibot rather than a larger schema library: it is modular, so the extension bundle (loaded at
// activation) carries only the few validators used here.
//
// What is checked per field here (types, enums, ISO times); what needs the whole file (IDs that must
// be unique or must name an entity) is checked in snapshot.ts after this passes. Unknown fields are
// dropped, not refused: a later writer may add optional fields without bumping the version (the
// versioning rule of docs/SNAPSHOT.md), and an older reader must still read the file.
import * as v from 'valibot';
import { ALL_RIGHTS } from '../types';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from './schema';

/** How a wrong value is shown in an error: quoted, shortened. */
export function shown(value: unknown): string {
  const text = value === undefined ? 'nothing' : typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const not = (what: string) => (issue: v.BaseIssue<unknown>) => `${shown(issue.input)} is not ${what}`;

/** A closed list, with a message that names the value and the allowed ones. */
const oneOf = <const T extends readonly string[]>(values: T, what: string) => v.picklist(values, not(`${what} (${values.join(', ')})`));
const text = (what: string, description = '') => v.pipe(v.string(not(what)), v.minLength(1, `${what} is empty`), v.description(description));
const optionalText = (what: string, description: string) => v.optional(text(what, description));
const flag = (description: string) => v.optional(v.pipe(v.boolean(not('true or false')), v.description(description)));
const time = (description: string) => v.pipe(v.string(not('an ISO 8601 time')), v.isoTimestamp(not('an ISO 8601 time (e.g. 2026-03-02T14:02:00.000Z)')), v.description(description));
const list = <T extends v.GenericSchema>(item: T, what: string, description: string) => v.pipe(v.array(item, not(`a list of ${what}`)), v.description(description));
const object = <T extends v.ObjectEntries>(entries: T, what: string) => v.object(entries, not(what));

export const SNAPSHOT_ORGANIZATION = object(
  {
    id: text('an organization ID', 'The organization ID (m-...).'),
    alias: optionalText('an alias', 'The organization alias.'),
    region: text('a region', 'us-east-1, us-west-2 or eu-west-1.'),
    state: optionalText('an organization state', 'As the organization list reported it (Active, ...).'),
    defaultMailDomain: optionalText('a domain', 'The default mail domain.'),
  },
  'an organization',
);

export const SNAPSHOT_ENTITY = object(
  {
    id: text('an entity ID', 'The entity ID as WorkMail reports it (grants name grantees by it).'),
    kind: oneOf(['user', 'group', 'resource'], 'an entity kind'),
    name: v.optional(v.string(not('a name'))),
    displayName: v.optional(v.string(not('a display name'))),
    email: optionalText('an email address', 'Primary address; absent when the entity has none.'),
    state: v.optional(oneOf(['ENABLED', 'DISABLED', 'DELETED'], 'an entity state')),
    userRole: optionalText('a user role', 'Users only: USER, RESOURCE, SYSTEM_USER, REMOTE_USER.'),
    resourceType: optionalText('a resource type', 'Resources only: ROOM or EQUIPMENT.'),
    members: v.optional(list(text('a member ID', 'A user or group ID.'), 'member IDs', 'Groups only: IDs of the direct members (users and groups). Absent when not read.')),
    membersUnreadable: optionalText('a reason', 'Groups only: why the members could not be read (then members is absent).'),
  },
  'an entity',
);

/** Version 3 on: an entity with its aliases. */
export const SNAPSHOT_ENTITY_V3 = object(
  {
    ...SNAPSHOT_ENTITY.entries,
    aliases: v.optional(list(text('an alias', 'Another address of the entity.'), 'aliases', 'Entities with an email: their other addresses (ListAliases), never the primary one; [] for none. Absent when they could not be read.')),
    aliasesUnreadable: optionalText('a reason', 'Why the aliases could not be read, as "Code: message" (then aliases is absent).'),
  },
  'an entity',
);

export const SNAPSHOT_GRANT = object(
  {
    mailboxId: text('a mailbox ID', "The ID of the mailbox's owner (user, group or resource)."),
    granteeId: text('a grantee ID', 'The ID of the user or group given the rights.'),
    granteeType: oneOf(['USER', 'GROUP'], 'a grantee type'),
    rights: v.pipe(v.array(oneOf(ALL_RIGHTS, 'a right'), not('a list of rights')), v.minLength(1, 'no rights listed')),
    granteeUnknown: flag('The grantee ID is not in the directory (deleted, or never there).'),
    granteeLookupFailed: flag('The grantee could not be looked up during the scan: not known, rather than gone.'),
  },
  'a grant',
);

export const SNAPSHOT_UNREAD_MAILBOX = object(
  {
    mailboxId: text('a mailbox ID', 'The mailbox whose permissions could not be read: its grants are unknown, not absent.'),
    code: text('an error code', 'The error code (ThrottlingException, AccessDenied, ...).'),
    message: v.string(not('a message')),
  },
  'an unread mailbox',
);

export const SNAPSHOT_RESUMED = object(
  {
    resumedAt: time('When the scan was resumed from its checkpoint.'),
    checkpointWrittenAt: time('When the interrupted part read its last mailbox: it read between startedAt and this.'),
    mailboxesFromCheckpoint: v.pipe(v.number(not('a number of mailboxes')), v.integer(not('a whole number')), v.minValue(0, not('a number of mailboxes')), v.description('Mailboxes whose grants were read by the interrupted part.')),
  },
  'a description of a resumed scan',
);

export const SNAPSHOT_MAILBOX_READ = object(
  {
    mailboxId: text('a mailbox ID', 'A mailbox whose permissions were read.'),
    readAt: time('When its permissions were read.'),
  },
  'a mailbox read',
);

const reason = (what: string) => optionalText('a reason', `Why ${what} could not be read, as "Code: message".`);
const texts = (what: string, description: string) => v.optional(v.pipe(v.array(text(what), not(`a list of ${what}s`)), v.minLength(1, 'an empty list (leave the field out instead)'), v.description(description)));
const effect = oneOf(['ALLOW', 'DENY'], 'an effect');

export const SNAPSHOT_BOOKING_OPTIONS = object(
  {
    autoAcceptRequests: flag('Requests are accepted automatically (false: the delegates approve each one).'),
    autoDeclineRecurringRequests: flag('Recurring meeting requests are declined automatically.'),
    autoDeclineConflictingRequests: flag('Conflicting requests are declined automatically.'),
  },
  'booking options',
);

export const SNAPSHOT_RESOURCE_ROUTES = object(
  {
    resourceId: text('a resource ID', 'The room or equipment (one of the entities, a resource).'),
    delegates: v.optional(
      list(
        object({ id: text('a delegate ID', 'A user or group ID.'), type: oneOf(['USER', 'GROUP'], 'a delegate type') }, 'a booking delegate'),
        'booking delegates',
        'Who receives its booking requests and has full access to its calendar. Absent when they could not be read.',
      ),
    ),
    delegatesUnreadable: reason('the booking delegates'),
    bookingOptions: v.optional(SNAPSHOT_BOOKING_OPTIONS),
    bookingOptionsUnreadable: reason('the booking options'),
  },
  'the routes of a resource',
);

export const SNAPSHOT_IMPERSONATION_RULE = object(
  {
    id: text('a rule ID', 'The impersonation rule ID.'),
    name: v.optional(v.string(not('a name'))),
    description: v.optional(v.string(not('a description'))),
    effect,
    targetUsers: texts('a user', 'The users the rule is about, as it names them (ID, name or address); absent: every user.'),
    notTargetUsers: texts('a user', 'The users the rule leaves out.'),
  },
  'an impersonation rule',
);

export const SNAPSHOT_IMPERSONATION_ROLE = object(
  {
    id: text('a role ID', 'The impersonation role ID.'),
    name: text('a role name', 'The role name.'),
    type: oneOf(['FULL_ACCESS', 'READ_ONLY'], 'a role type'),
    description: v.optional(v.string(not('a description'))),
    rules: v.optional(list(SNAPSHOT_IMPERSONATION_RULE, 'impersonation rules', 'Its rules; absent when they could not be read.')),
    rulesUnreadable: reason('its rules (with rules: some of them)'),
    dateCreated: v.optional(time('When the role was created.')),
    dateModified: v.optional(time('When the role was last changed.')),
  },
  'an impersonation role',
);

export const SNAPSHOT_ACCESS_RULE = object(
  {
    name: text('a rule name', 'The access rule name (unique in the organization).'),
    effect,
    default: v.optional(v.pipe(v.literal(true, not('true')), v.description('The rule with no condition at all: it allows everyone everything, as every organization starts.'))),
    description: v.optional(v.string(not('a description'))),
    ipRanges: texts('an IP range', 'IPv4 CIDR ranges the rule is about.'),
    notIpRanges: texts('an IP range', 'IPv4 CIDR ranges the rule leaves out.'),
    actions: texts('a protocol', 'Protocols the rule is about (ActiveSync, AutoDiscover, EWS, IMAP, SMTP, WindowsOutlook, WebMail).'),
    notActions: texts('a protocol', 'Protocols the rule leaves out.'),
    userIds: texts('a user ID', 'Users the rule is about.'),
    notUserIds: texts('a user ID', 'Users the rule leaves out.'),
    impersonationRoleIds: texts('a role ID', 'Impersonation roles the rule is about.'),
    notImpersonationRoleIds: texts('a role ID', 'Impersonation roles the rule leaves out.'),
    dateCreated: v.optional(time('When the rule was created.')),
    dateModified: v.optional(time('When the rule was last changed.')),
  },
  'an access rule',
);

export const SNAPSHOT_ROUTES = object(
  {
    resources: list(SNAPSHOT_RESOURCE_ROUTES, 'resources', 'One per resource of entities: its booking delegates and options.'),
    impersonationRoles: v.optional(list(SNAPSHOT_IMPERSONATION_ROLE, 'impersonation roles', 'Every impersonation role (application); absent when the list could not be read.')),
    impersonationRolesUnreadable: reason('the impersonation roles'),
    accessRules: v.optional(list(SNAPSHOT_ACCESS_RULE, 'access rules', "The access control rules in WorkMail's order; absent when they could not be read.")),
    accessRulesUnreadable: reason('the access rules (with accessRules: some of them)'),
  },
  'the routes',
);

/** What every version has, in the order of the written file. */
const FORMAT = { format: v.literal(SNAPSHOT_FORMAT, not(`"${SNAPSHOT_FORMAT}"`)) };
const HEAD = {
  startedAt: time('When the scan started.'),
  readAt: time('When the last mailbox was read: the end of the reading.'),
  resumed: v.optional(SNAPSHOT_RESUMED),
  writtenBy: text('the name of a tool', 'The tool and version that wrote the file.'),
  organization: SNAPSHOT_ORGANIZATION,
};
const LISTS = {
  grants: list(SNAPSHOT_GRANT, 'grants', 'One entry per mailbox and grantee, as ListMailboxPermissions reported it.'),
  unreadMailboxes: list(SNAPSHOT_UNREAD_MAILBOX, 'unread mailboxes', 'Every mailbox whose permissions could not be read.'),
  mailboxesRead: v.optional(list(SNAPSHOT_MAILBOX_READ, 'mailboxes read', 'When each mailbox was read; absent in files written before it was recorded.')),
};
const ENTITIES = 'Every user, group and resource the directory listed, whatever its state.';
const COMMON = { ...HEAD, entities: list(SNAPSHOT_ENTITY, 'entities', ENTITIES), ...LISTS };

/** Version 1: mailbox permissions only (a `routes` field there is ignored, as an unknown field is). */
export const SNAPSHOT_V1_SCHEMA = object({ ...FORMAT, version: v.literal(1, not('snapshot version 1')), ...COMMON }, 'a JSON object');

/** Version 2: with the routes (an entity's `aliases` there is ignored, as an unknown field is). */
export const SNAPSHOT_V2_SCHEMA = object({ ...FORMAT, version: v.literal(2, not('snapshot version 2')), ...COMMON, routes: SNAPSHOT_ROUTES }, 'a JSON object');

/** The version this product writes: every entity with an address carries its aliases. */
export const SNAPSHOT_CURRENT_SCHEMA = object(
  { ...FORMAT, version: v.literal(SNAPSHOT_VERSION, not(`snapshot version ${SNAPSHOT_VERSION}`)), ...HEAD, entities: list(SNAPSHOT_ENTITY_V3, 'entities', ENTITIES), ...LISTS, routes: SNAPSHOT_ROUTES },
  'a JSON object',
);

export const SNAPSHOT_SCHEMA = v.pipe(
  v.variant('version', [SNAPSHOT_CURRENT_SCHEMA, SNAPSHOT_V2_SCHEMA, SNAPSHOT_V1_SCHEMA], not('a snapshot of a version this product reads')),
  v.title('WorkMail Permissions migration snapshot'),
  v.description(
    'Every entity, grant and unread mailbox of one Amazon WorkMail organization, as read by one scan (possibly resumed), from version 2 its booking delegates, impersonation roles and access rules, and from version 3 the aliases of every entity. See docs/SNAPSHOT.md.',
  ),
);

// Compile-time: what the validator lets through is a Snapshot.
const _isSnapshot = (value: v.InferOutput<typeof SNAPSHOT_SCHEMA>): Snapshot => value;
void _isSnapshot;

/** `grants[12].rights[0]: "READ" is not a right (...)`, or `grants[3].granteeId: missing`. */
export function issueText(issue: v.BaseIssue<unknown>): string {
  // A missing key is reported by its object, with the key in the path and nothing as the input.
  const missing = issue.input === undefined && issue.type === 'object' && (issue.path?.length ?? 0) > 0;
  return `${issuePath(issue)}: ${missing ? 'missing' : issue.message}`;
}

/** `grants[12].rights[0]`, from a validation issue's path. */
export function issuePath(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = item.key;
    out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  }
  return out || '(the whole file)';
}
