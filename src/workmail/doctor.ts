// A read-only check of a WorkMail connection (`workmail-permissions doctor`, "WorkMail: Check
// Connection"): what can be learned without changing anything. Credentials and account, the regions
// that answer, organization states, the ID forms and directory quirks seen, page sizes honoured, the
// other routes into a mailbox (routes/doctorRoutes.ts), and, for each behaviour the documentation
// does not give, which emulator variant the service matched, so that the first real user can tell
// the team (docs/EMULATOR.md, "Variants").
import { WorkMailError } from './errors';
import { hasNoMailbox } from './mailboxes';
import { findOrganization, isOrganizationUsable } from './organizations';
import type { WorkMailSession } from './session';
import { WORKMAIL_REGIONS, type DirectoryEntity, type Organization } from './types';
import { looksLikeEntityId } from './validation';
import { counted } from './plural';
import { checkRecorder, type CheckOutcome, type DoctorCheck } from './doctorCheck';
import { checkRoutes } from './routes/doctorRoutes';

export type { CheckOutcome, DoctorCheck } from './doctorCheck';

export interface DoctorReport {
  readonly checks: readonly DoctorCheck[];
  /** The emulator variants this service matched, by name (only those a read could tell). */
  readonly variants: Readonly<Record<string, string>>;
  readonly organization?: Pick<Organization, 'organizationId' | 'alias' | 'region' | 'state'>;
}

export interface DoctorOptions {
  /** The organization to look into (ID or alias); the first usable one when absent. */
  readonly organization?: string;
  readonly regions?: readonly string[];
  readonly signal?: AbortSignal;
  /** How many mailboxes to read looking for a group grantee with Full access (default 25). */
  readonly mailboxSample?: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SID = /^S-1-[0-9]+(?:-[0-9]+)+$/;

export async function runDoctor(session: WorkMailSession, options: DoctorOptions = {}): Promise<DoctorReport> {
  const { checks, variants, add, guard } = checkRecorder(options.signal);

  // Regions and credentials: ListOrganizations in each WorkMail region.
  const organizations: Organization[] = [];
  let credentialsFailed: WorkMailError | undefined;
  for (const region of options.regions ?? WORKMAIL_REGIONS) {
    const listed = await guard(() => session.listOrganizations(region, options.signal));
    if (listed instanceof WorkMailError) {
      add(`region ${region}`, 'failed', listed.message);
      if (['NoCredentials', 'InvalidCredentials', 'ExpiredCredentials', 'SsoLoginRequired', 'AccessDenied'].includes(listed.code)) {
        credentialsFailed ??= listed;
      }
      continue;
    }
    organizations.push(...listed);
    add(`region ${region}`, 'ok', listed.length === 0 ? 'answers; no organizations' : `answers; ${counted(listed.length, 'organization')}: ${listed.map((o) => `${o.alias ?? o.organizationId} (${o.state ?? 'state not given'})`).join(', ')}`);
  }
  add('credentials', credentialsFailed ? 'failed' : 'ok', credentialsFailed ? credentialsFailed.message : `accepted${session.profile ? ` (profile "${session.profile}")` : ''}`);

  const states = [...new Set(organizations.map((o) => o.state ?? 'not given'))];
  const unusable = organizations.filter((o) => !isOrganizationUsable(o));
  add(
    'organization states',
    organizations.length === 0 ? 'not-checked' : 'ok',
    organizations.length === 0 ? 'no organizations listed' : `seen: ${states.join(', ')}${unusable.length ? `; not usable (only Active and Synchronizing are): ${unusable.map((o) => o.alias ?? o.organizationId).join(', ')}` : ''}`,
  );

  const org = options.organization !== undefined ? findOrganization(organizations, options.organization) : organizations.find((o) => isOrganizationUsable(o));
  if (!org) {
    add('organization', options.organization !== undefined ? 'failed' : 'not-checked', options.organization !== undefined ? `no organization "${options.organization}" in the regions that answered` : 'no usable organization to look into');
    return { checks, variants };
  }
  const report = { organizationId: org.organizationId, alias: org.alias, region: org.region, state: org.state };

  const account = await guard(() => session.accountOf(org, options.signal));
  add('account', account instanceof WorkMailError ? 'warning' : 'ok', account instanceof WorkMailError ? `could not be read (${account.message})` : account === '?' ? 'not readable with these permissions (workmail:DescribeOrganization)' : `${account}, organization ${org.alias ?? org.organizationId} in ${org.region}`);

  // Page sizes honoured, and the directory's shapes.
  const small = await guard(() => session.listEntitiesPage(org, 'user', { maxResults: 2 }, options.signal));
  if (small instanceof WorkMailError) {
    add('page size', 'failed', small.message);
  } else {
    add('page size', small.items.length <= 2 ? 'ok' : 'warning', `MaxResults 2 gave ${counted(small.items.length, 'user')}${small.nextToken ? ' and a NextToken' : ''}`);
  }
  const users = await guard(() => session.listEntitiesPage(org, 'user', { maxResults: 100 }, options.signal));
  const groups = await guard(() => session.listEntitiesPage(org, 'group', { maxResults: 100 }, options.signal));
  const userItems: readonly DirectoryEntity[] = users instanceof WorkMailError ? [] : users.items;
  const groupItems: readonly DirectoryEntity[] = groups instanceof WorkMailError ? [] : groups.items;
  if (users instanceof WorkMailError) {
    add('directory', 'failed', users.message);
  } else {
    const ids = [...userItems, ...groupItems].map((e) => e.id);
    const forms = [`${ids.filter((id) => GUID.test(id)).length} GUID`, `${ids.filter((id) => SID.test(id)).length} S-1-…`, `${ids.filter((id) => !GUID.test(id) && !SID.test(id)).length} other`];
    add('ID forms', 'ok', `first page of users and groups: ${forms.join(', ')}`);
    add(
      'users',
      'ok',
      `${userItems.filter((u) => u.displayName === '').length} with an empty display name, ${userItems.filter(hasNoMailbox).length} without a mailbox (no email), ${counted(userItems.filter((u) => u.userRole === 'SYSTEM_USER').length, 'system user')}`,
    );
  }

  // mailboxless-list: does ListMailboxPermissions answer for a user without a mailbox?
  const mailboxless = userItems.find((u) => hasNoMailbox(u) && u.state !== 'DELETED');
  if (!mailboxless) {
    add('permissions of a user without a mailbox', 'not-checked', 'no such user on the first page');
  } else {
    const listed = await guard(() => session.listGrantsPage(org, mailboxless.id, { maxResults: 1 }, options.signal));
    if (listed instanceof WorkMailError && listed.code === 'EntityStateException') {
      variants['mailboxless-list'] = 'entity-state-error';
      add('permissions of a user without a mailbox', 'ok', 'refused with EntityStateException (variant mailboxless-list=entity-state-error)');
    } else if (listed instanceof WorkMailError) {
      add('permissions of a user without a mailbox', 'warning', `answered ${listed.code}, which no variant foresees: tell the team`);
    } else {
      variants['mailboxless-list'] = 'lists';
      add('permissions of a user without a mailbox', 'ok', `listed (${counted(listed.items.length, 'grant')}) (variant mailboxless-list=lists)`);
    }
  }

  // describe-user-of-group: DescribeUser with a group's ID.
  const group = groupItems[0];
  if (!group) {
    add("DescribeUser with a group's ID", 'not-checked', 'no group on the first page');
  } else {
    const described = await guard(() => session.describeEntity(org, group.id, 'user', options.signal));
    if (described === undefined) {
      variants['describe-user-of-group'] = 'not-found';
      add("DescribeUser with a group's ID", 'ok', 'EntityNotFoundException (variant describe-user-of-group=not-found)');
    } else if (described instanceof WorkMailError && described.code === 'InvalidParameterException') {
      variants['describe-user-of-group'] = 'invalid-parameter';
      add("DescribeUser with a group's ID", 'ok', 'InvalidParameterException (variant describe-user-of-group=invalid-parameter)');
    } else {
      add("DescribeUser with a group's ID", 'warning', described instanceof WorkMailError ? `answered ${described.code}: tell the team` : 'described the group as a user: tell the team');
    }
  }

  // list-filter-case: a display name's prefix in another case, filtered.
  const named = userItems.find((u) => u.displayName && u.displayName.toLowerCase() !== u.displayName && u.state !== 'DELETED');
  if (!named?.displayName) {
    add('display-name filter and case', 'not-checked', 'no user with a capital letter in its display name on the first page');
  } else {
    const prefix = named.displayName.toLowerCase();
    const filtered = await guard(() => session.listEntitiesPage(org, 'user', { maxResults: 100, filter: { field: 'displayName', prefix } }, options.signal));
    if (filtered instanceof WorkMailError) {
      add('display-name filter and case', 'warning', `ListUsers with DisplayNamePrefix answered ${filtered.code}: ${filtered.message}`);
    } else {
      const matched = filtered.items.some((u) => u.id === named.id);
      variants['list-filter-case'] = matched ? 'insensitive' : 'sensitive';
      add('display-name filter and case', 'ok', `"${prefix}" ${matched ? 'finds' : 'does not find'} "${named.displayName}" (variant list-filter-case=${variants['list-filter-case']})`);
    }
  }

  // group-grantee-full-access: seen only if some group grantee already holds it.
  // grantee-id-form: a grantee listed by a name or an email address shows WorkMail lists the form a
  // Put was given; grantees listed by ID only could be either (only a Put by name could tell).
  const groupIds = new Set(groupItems.map((g) => g.id));
  let seenGroupFullAccess = false;
  let listedByName: string | undefined;
  let mailboxesRead = 0;
  for (const mailbox of userItems.filter((u) => !hasNoMailbox(u)).slice(0, options.mailboxSample ?? 25)) {
    const listed = await guard(() => session.listGrantsPage(org, mailbox.id, { maxResults: 100 }, options.signal));
    if (listed instanceof WorkMailError) {
      continue;
    }
    mailboxesRead++;
    seenGroupFullAccess ||= listed.items.some((g) => (g.granteeType === 'GROUP' || groupIds.has(g.granteeId)) && g.rights.includes('FULL_ACCESS'));
    listedByName ??= listed.items.find((g) => !looksLikeEntityId(g.granteeId))?.granteeId;
    if (seenGroupFullAccess && listedByName !== undefined) {
      break;
    }
  }
  if (seenGroupFullAccess) {
    variants['group-grantee-full-access'] = 'allowed';
    add('Full access held by a group', 'ok', 'seen (variant group-grantee-full-access=allowed)');
  } else {
    add('Full access held by a group', 'not-checked', 'none seen on the mailboxes read; only a write could tell');
  }
  if (listedByName !== undefined) {
    variants['grantee-id-form'] = 'as-given';
    add('grantee ID form in permissions', 'ok', `a grantee is listed as "${listedByName}", not by ID: WorkMail lists the form a change named it by (variant grantee-id-form=as-given)`);
  } else {
    add('grantee ID form in permissions', 'not-checked', `every grantee on the ${counted(mailboxesRead, 'mailbox', 'mailboxes')} read is listed by ID; only a change made by name could tell (variant grantee-id-form)`);
  }
  add('deleting a grant to an orphaned ID', 'not-checked', 'only a write could tell (variant orphan-delete)');
  add('directory changes becoming visible', 'not-checked', 'only a directory change could tell (variant directory-lag); after creating or enabling a user, wait a few minutes before giving it permissions');

  // The other routes into a mailbox: booking delegates, impersonation roles, access rules.
  const routes = await checkRoutes(session, org, userItems, { signal: options.signal });
  checks.push(...routes.checks);
  Object.assign(variants, routes.variants);

  return { checks, variants, organization: report };
}

const MARKS: Readonly<Record<CheckOutcome, string>> = { ok: 'ok', warning: 'warning', failed: 'FAILED', 'not-checked': 'not checked' };

/** The report as plain text lines, for the terminal and the log. */
export function formatDoctorReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const lines = report.checks.map((c) => `${c.name.padEnd(width)}  ${MARKS[c.outcome].padEnd(11)}  ${c.detail}`);
  const matched = Object.entries(report.variants).map(([name, value]) => `${name}=${value}`);
  lines.push('', `Emulator variants this service matched: ${matched.length ? matched.join(', ') : 'none could be told by reading'}`);
  return `${lines.join('\n')}\n`;
}
