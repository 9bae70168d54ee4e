// The other routes into a mailbox as rows of an export, beside the mailbox permissions:
// - a booking delegate is one row, like a grant: the resource as the mailbox, the delegate (a user
//   or a group, as WorkMail lists it, not expanded, like a group grantee) as the grantee, rights
//   empty (a delegate holds none of WorkMail's three mailbox permissions: it receives the booking
//   requests and has full access to the calendar; an empty cell keeps the rights column a list of
//   FULL_ACCESS/SEND_AS/SEND_ON_BEHALF, so a filter or a script on it keeps its meaning), and the
//   resource's booking options in words in `details`;
// - an application (impersonation role) is one row per role, its targets in words where the
//   mailbox's name goes. Not one row per role and mailbox it reaches: an "ALLOW everyone" archiver
//   in an organization of 10,000 users would be 10,000 rows, and its transitive reach (every
//   mailbox those users can open) as many again for each, which buries the permissions a person
//   opened the file to read; the rules in words are what an administrator changes, and "who can
//   open this one mailbox" (applications included) is what Who Can Open This Mailbox… answers;
// - the access rules, which are no route of their own but decide per protocol what every route may
//   do, are a section of their own: in WorkMail's order, the default rule marked.
import { accessRuleRecord, isAllowEverything, type AccessRuleRecord } from './routes/accessRules';
import type { BookingOptions } from './routes/booking';
import type { ImpersonationRole, ImpersonationRule } from './routes/impersonation';
import { accessRulesRead, type OrganizationRoutes } from './routes/load';
import { namedTargets, userFinder } from './routes/targets';
import { accessRuleInWords, bookingOptionsInWords, impersonationRuleInWords } from './routes/words';
import { pairCells, type ExportRow } from './exportRows';
import { counted } from './plural';
import { compareEntities, compareMailboxes, compareText } from './scanOrder';
import type { DirectoryEntity, OrgRef } from './types';

/** What an export of the other routes is made from: one read of them, and the scan's directory. */
export interface RoutesForExport {
  readonly org: OrgRef;
  readonly routes: OrganizationRoutes;
  /** Names and states of resources, delegates, targets and the users access rules name. */
  readonly directory: ReadonlyMap<string, DirectoryEntity>;
  /** When the routes were read. */
  readonly readAt: Date;
}

export interface DelegateRow extends ExportRow {
  readonly route: 'booking-delegate';
  /** As DescribeResource gave them; null when they could not be read. */
  readonly bookingOptions: BookingOptions | null;
}

export interface RoleExport {
  /** The role as a CSV row. */
  readonly row: ExportRow;
  /** The role as a JSON entry: its rules as WorkMail holds them, and in words. */
  readonly entry: {
    readonly organization: string;
    readonly roleId: string;
    readonly roleName: string;
    readonly type: ImpersonationRole['type'];
    readonly description?: string;
    /** The users it may act as, in words: "Allow: everyone; Deny: alice.johnson". */
    readonly targets: string;
    readonly rules: readonly ImpersonationRule[];
    /** Identifiers its rules name that are no user of the directory (shown, never dropped). */
    readonly unknownTargets: readonly string[];
    readonly dateCreated?: string;
    readonly dateModified?: string;
    readonly readAt: string;
    readonly route: 'impersonation-role';
  };
}

/** An access rule as the export's JSON holds it: the rule as a file records it, with its place and meaning. */
export type AccessRuleExport = {
  /** 1 for the rule WorkMail lists first. */
  readonly order: number;
  /** The rule every organization starts with (allow everything, for everyone). */
  readonly defaultRule: boolean;
  readonly inWords: string;
} & AccessRuleRecord;

/** A part of the routes that could not be read: named in the export, never silently missing. */
export interface UnreadRoute {
  readonly subject: string;
  readonly code: string;
  readonly message: string;
}

function stateNote(entity: DirectoryEntity): string {
  return entity.state === 'DELETED' ? ' (deleted)' : entity.state === 'DISABLED' ? ' (disabled)' : '';
}

/** An entity's name in words, with its state when it serves no one; undefined for an ID the directory does not know. */
function nameWithState(entity: DirectoryEntity | undefined): string | undefined {
  return entity ? `${entity.name ?? entity.email ?? entity.id}${stateNote(entity)}` : undefined;
}

/** One row per resource and delegate, by resource then delegate, in the order of the permission rows. */
export function delegateRows(input: RoutesForExport): DelegateRow[] {
  const { org, routes, directory } = input;
  const readAt = input.readAt.toISOString();
  const resources = [...routes.delegates.keys()].map((id) => directory.get(id) ?? { id, kind: 'resource' as const }).sort(compareMailboxes);
  return resources.flatMap((resource) => {
    const options = routes.bookingOptions.get(resource.id);
    const delegates = [...(routes.delegates.get(resource.id) ?? [])].sort((a, b) => compareEntities(directory.get(a.id) ?? null, a.id, directory.get(b.id) ?? null, b.id));
    return delegates.map(
      (delegate): DelegateRow => ({
        ...pairCells(org.organizationId, { mailbox: resource, granteeId: delegate.id, granteeType: delegate.type, grantee: directory.get(delegate.id) ?? null }),
        rights: [],
        readAt,
        route: 'booking-delegate',
        details: bookingOptionsInWords(options),
        bookingOptions: options ?? null,
      }),
    );
  });
}

const ROLE_ACCESS: Readonly<Record<ImpersonationRole['type'], string>> = {
  READ_ONLY: "read only, over EWS, as each user its rules allow, with that user's own access",
  FULL_ACCESS: "full access (read and change), over EWS, as each user its rules allow, with that user's own access",
};

/** One row per application, by name. */
export function roleExports(input: RoutesForExport): RoleExport[] {
  const { org } = input;
  const findUser = userFinder(input.directory.values());
  const nameOf = (identifier: string): string | undefined => nameWithState(findUser(identifier));
  const readAt = input.readAt.toISOString();
  const roles = [...input.routes.roles].sort((a, b) => compareText(a.name.toLowerCase(), b.name.toLowerCase()) || compareText(a.id, b.id));
  return roles.map((role) => {
    const targets = role.rules.length > 0 ? role.rules.map((rule) => impersonationRuleInWords(rule, nameOf)).join('; ') : 'no rules: acts as no one';
    return {
      row: {
        organization: org.organizationId,
        mailboxId: '',
        mailboxName: targets,
        mailboxEmail: '',
        mailboxKind: '',
        mailboxState: '',
        granteeId: role.id,
        granteeName: role.name,
        granteeEmail: '',
        granteeKind: 'application',
        granteeState: '',
        rights: [],
        readAt,
        route: 'impersonation-role',
        details: ROLE_ACCESS[role.type],
      },
      entry: {
        organization: org.organizationId,
        roleId: role.id,
        roleName: role.name,
        type: role.type,
        ...(role.description ? { description: role.description } : {}),
        targets,
        rules: role.rules,
        unknownTargets: namedTargets(role).filter((identifier) => !findUser(identifier)),
        ...(role.dateCreated ? { dateCreated: role.dateCreated.toISOString() } : {}),
        ...(role.dateModified ? { dateModified: role.dateModified.toISOString() } : {}),
        readAt,
        route: 'impersonation-role',
      },
    };
  });
}

/** The access rules in WorkMail's order (the order it evaluates them in), the default marked; undefined when they could not be read. */
export function accessRuleExports(input: RoutesForExport): AccessRuleExport[] | undefined {
  if (!accessRulesRead(input.routes)) return undefined;
  const roleNames = new Map(input.routes.roles.map((role) => [role.id, role.name]));
  const nameOf = (id: string): string | undefined => roleNames.get(id) ?? nameWithState(input.directory.get(id));
  return input.routes.accessRules.map((rule, index) => {
    const { name, effect, ...rest } = accessRuleRecord(rule);
    return { order: index + 1, name, effect, defaultRule: isAllowEverything(rule), inWords: accessRuleInWords(rule, nameOf), ...rest };
  });
}

export const ACCESS_RULE_COLUMNS = [
  'order',
  'name',
  'effect',
  'default_rule',
  'in_words',
  'description',
  'actions',
  'not_actions',
  'ip_ranges',
  'not_ip_ranges',
  'users',
  'not_users',
  'applications',
  'not_applications',
  'user_ids',
  'not_user_ids',
  'application_ids',
  'not_application_ids',
  'date_created',
  'date_modified',
  'organization',
] as const;

/** The access rules as CSV rows (cells not yet guarded), in ACCESS_RULE_COLUMNS order. */
export function accessRuleValues(input: RoutesForExport, rules: readonly AccessRuleExport[]): string[][] {
  const { org } = input;
  const roleNames = new Map(input.routes.roles.map((role) => [role.id, role.name]));
  const users = (ids: readonly string[] | undefined): string => (ids ?? []).map((id) => nameWithState(input.directory.get(id)) ?? `${id} (unknown)`).join(';');
  const roles = (ids: readonly string[] | undefined): string => (ids ?? []).map((id) => roleNames.get(id) ?? `${id} (unknown)`).join(';');
  const list = (items: readonly string[] | undefined): string => (items ?? []).join(';');
  return rules.map((rule) => {
    const values: Record<(typeof ACCESS_RULE_COLUMNS)[number], string> = {
      order: String(rule.order),
      name: rule.name,
      effect: rule.effect,
      default_rule: rule.defaultRule ? 'true' : 'false',
      in_words: rule.inWords,
      description: rule.description ?? '',
      actions: list(rule.actions),
      not_actions: list(rule.notActions),
      ip_ranges: list(rule.ipRanges),
      not_ip_ranges: list(rule.notIpRanges),
      users: users(rule.userIds),
      not_users: users(rule.notUserIds),
      applications: roles(rule.impersonationRoleIds),
      not_applications: roles(rule.notImpersonationRoleIds),
      user_ids: list(rule.userIds),
      not_user_ids: list(rule.notUserIds),
      application_ids: list(rule.impersonationRoleIds),
      not_application_ids: list(rule.notImpersonationRoleIds),
      date_created: rule.dateCreated ?? '',
      date_modified: rule.dateModified ?? '',
      organization: org.organizationId,
    };
    return ACCESS_RULE_COLUMNS.map((column) => values[column]);
  });
}

/** Every part of the routes that could not be read, and the access rules WorkMail listed but that could not be read as rules. */
export function unreadRoutes(routes: Pick<OrganizationRoutes, 'failures' | 'unreadableRules'>): UnreadRoute[] {
  const unread = routes.failures.map((failure) => ({ subject: failure.subject, code: failure.error.code, message: failure.error.message }));
  if (routes.unreadableRules > 0) {
    unread.push({
      subject: counted(routes.unreadableRules, 'access rule'),
      code: 'UnreadableRule',
      message: 'listed by WorkMail without a name, or with an effect that is neither ALLOW nor DENY',
    });
  }
  return unread;
}
