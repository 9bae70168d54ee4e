// Planning a change file: every line resolved and checked, the current rights read fresh, and the
// exact call each line would make (PutMailboxPermissions with which rights, or
// DeleteMailboxPermissions), like PowerShell's -WhatIf. Nothing is written. What is refused is
// refused here, before any write: an unknown address, Full access on a group, a disabled mailbox
// or grantee, an organization that is not usable, two lines about the same grantee on the same
// mailbox. A delegate or undelegate line is planned the same way on the resource's booking
// delegates (AssociateDelegateToResource, DisassociateDelegateFromResource); an undelegate that
// would leave a resource that does not accept requests automatically without any delegate is
// refused here, because a plan has no one to ask.
//
// The plan is also what apply carries out: each line's write is made with the rights read here as
// what the person saw, so a line whose rights changed between plan and apply is refused, never
// applied on top of a state nobody reviewed. Lines already so are read again the same way.
import { mapConcurrent } from '../concurrency';
import { CancelledError, toWorkMailError } from '../errors';
import { markdownCell } from '../markdown';
import { entityName } from '../names';
import { noun } from '../plural';
import { findOrganization, organizationUnusableReason } from '../organizations';
import type { PermissionChange, WriteRoute } from '../permissions';
import { normalizeRights, rightsAfter, rightsAllowedOn, rightsLabel, sameRights } from '../rights';
import type { WorkMailSession } from '../session';
import { BOOKING_DELEGATE, WORKMAIL_REGIONS, type DirectoryEntity, type EntityKind, type Organization, type Right } from '../types';
import { lookUpEntity, type EntityLookup, type WholeLists } from '../entityLookup';
import { isDelegateAction, type ChangeFile, type ChangeLine } from './changeFile';
import { absenceInWords, attendance, type Attendance } from '../routes/attendance';

export type PlannedCall =
  | { readonly operation: 'PutMailboxPermissions'; readonly rights: readonly Right[] }
  | { readonly operation: 'DeleteMailboxPermissions' }
  | { readonly operation: 'AssociateDelegateToResource' }
  | { readonly operation: 'DisassociateDelegateFromResource' };

/** Which route a line writes: a delegate line the resource's booking delegates, every other its mailbox permissions. */
export function routeOf(change: ChangeLine): WriteRoute {
  return isDelegateAction(change.action) ? 'booking-delegate' : 'permission';
}

export interface PlannedLine {
  readonly change: ChangeLine;
  /** write: a call is needed; satisfied: WorkMail already holds what the line asks; refused: not done, `reason` says why. */
  readonly status: 'write' | 'satisfied' | 'refused';
  readonly org?: Organization;
  readonly mailbox?: DirectoryEntity;
  readonly grantee?: DirectoryEntity;
  /** The rights read for this plan: apply refuses the line when they are no longer so. */
  readonly before?: readonly Right[];
  readonly after?: readonly Right[];
  readonly call?: PlannedCall;
  /**
   * What apply hands the writer (grant stays a union with what is there at write time). A
   * satisfied line has one too: apply reads it again with the rest, so a right given after the plan
   * refuses the line instead of reporting it as already so.
   */
  readonly write?: PermissionChange;
  readonly reason?: string;
}

export interface ChangePlan {
  readonly file: string;
  /** ISO 8601: when the rights were read. */
  readonly readAt: string;
  readonly lines: readonly PlannedLine[];
}

export interface PlanOptions {
  /** The organization of lines that name none (command line --organization, the node chosen in VS Code). */
  readonly organization?: string;
  /** Regions searched for the organization (default: all three). */
  readonly regions?: readonly string[];
  /** Reads in flight at once. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** The grantee's current rights on a route; defaults to the session's listing. The writer's own reader keeps plan and apply in step. */
  readonly readRights?: (org: Organization, mailboxId: string, granteeId: string, signal?: AbortSignal, route?: WriteRoute) => Promise<Right[]>;
  readonly now?: () => Date;
  /** Which of a resource's delegates this product is removing now (the writer's own count): they do not count as staying. */
  readonly delegatesBeingRemoved?: (org: Organization, resourceId: string, delegateIds: readonly string[]) => Promise<ReadonlySet<string>>;
}

function stateProblem(entity: DirectoryEntity, role: 'mailbox' | 'grantee'): string | undefined {
  if (entity.state === 'DELETED') {
    return `the ${role} ${entityName(entity)} is deleted in WorkMail`;
  }
  if (entity.state === 'DISABLED') {
    return `the ${role} ${entityName(entity)} is disabled in WorkMail; enable it first, then plan again`;
  }
  return undefined;
}

/** What the line asks for, as a change the writer understands, from the rights it would start with. */
function writeFor(change: ChangeLine, before: readonly Right[]): PermissionChange {
  switch (change.action) {
    case 'grant':
      return { kind: 'grant', add: change.rights };
    case 'set':
      return { kind: 'set', rights: change.rights };
    case 'revoke': {
      const left = change.rights.length === 0 ? [] : before.filter((right) => !change.rights.includes(right));
      return left.length === 0 ? { kind: 'revoke' } : { kind: 'set', rights: left };
    }
    case 'delegate':
      return { kind: 'grant', add: [BOOKING_DELEGATE] };
    case 'undelegate':
      return { kind: 'revoke' };
  }
}

function callFor(route: WriteRoute, after: readonly Right[]): PlannedCall {
  if (route === 'booking-delegate') {
    return after.length === 0 ? { operation: 'DisassociateDelegateFromResource' } : { operation: 'AssociateDelegateToResource' };
  }
  return after.length === 0 ? { operation: 'DeleteMailboxPermissions' } : { operation: 'PutMailboxPermissions', rights: after };
}

export async function planChanges(session: WorkMailSession, file: ChangeFile, options: PlanOptions = {}): Promise<ChangePlan> {
  const { signal } = options;
  const now = options.now ?? (() => new Date());
  const readRights =
    options.readRights ??
    (async (org: Organization, mailboxId: string, granteeId: string, s?: AbortSignal, route: WriteRoute = 'permission'): Promise<Right[]> =>
      route === 'booking-delegate'
        ? (await session.routes.listAllResourceDelegates(org, mailboxId, s)).some((delegate) => delegate.id === granteeId)
          ? [BOOKING_DELEGATE]
          : []
        : normalizeRights((await session.listAllGrants(org, mailboxId, s)).filter((grant) => grant.granteeId === granteeId).flatMap((grant) => grant.rights)));

  // Organizations: listed once per region, looked up by ID or alias.
  const regions = options.regions ?? WORKMAIL_REGIONS;
  const listed: Organization[] = (await Promise.all(regions.map((region) => session.listOrganizations(region, signal)))).flat();
  const organizationFor = (line: ChangeLine): Organization | string => {
    const wanted = line.organization ?? file.organization ?? options.organization;
    if (!wanted) {
      return 'no organization: add an "organization" column (or top-level field), or name one when planning';
    }
    const org = findOrganization(listed, wanted);
    if (!org) {
      return `no organization "${wanted}" in ${regions.join(', ')} for these credentials`;
    }
    return organizationUnusableReason(org) ?? org;
  };

  // Names resolved once each, whatever the number of lines naming them.
  const entities = new Map<string, Promise<EntityLookup>>();
  const wholeLists: WholeLists = new Map();
  const resolve = (org: Organization, identifier: string, kinds: readonly EntityKind[]): Promise<EntityLookup> => {
    const key = `${org.organizationId}\u0000${kinds.join(',')}\u0000${identifier.toLowerCase()}`;
    let found = entities.get(key);
    if (!found) {
      found = lookUpEntity(session, org, identifier, kinds, signal, wholeLists);
      entities.set(key, found);
    }
    return found;
  };

  const seenPairs = new Map<string, number>();
  /** Undelegate lines that leave someone to answer the resource's requests, with who. */
  const removals = new Map<ChangeLine, Staying>();
  const planned = await mapConcurrent(file.lines, options.concurrency ?? 4, async (change): Promise<PlannedLine> => {
    if (signal?.aborted) {
      throw new CancelledError();
    }
    const org = organizationFor(change);
    if (typeof org === 'string') {
      return { change, status: 'refused', reason: org };
    }
    try {
      const route = routeOf(change);
      const [mailboxLookup, granteeLookup] = await Promise.all([resolve(org, change.mailbox, route === 'booking-delegate' ? ['resource'] : ['user', 'group', 'resource']), resolve(org, change.grantee, ['user', 'group'])]);
      if (mailboxLookup.outcome === 'refused') {
        return { change, org, status: 'refused', reason: `mailbox ${mailboxLookup.reason}` };
      }
      if (granteeLookup.outcome === 'refused') {
        return { change, org, status: 'refused', reason: `grantee ${granteeLookup.reason}` };
      }
      const mailbox = mailboxLookup.outcome === 'found' ? mailboxLookup.entity : undefined;
      const grantee = granteeLookup.outcome === 'found' ? granteeLookup.entity : undefined;
      if (!mailbox) {
        const what = route === 'booking-delegate' ? 'room or equipment' : 'user, group or resource';
        return { change, org, status: 'refused', reason: `no ${what} "${change.mailbox}" in ${org.alias ?? org.organizationId}${route === 'booking-delegate' ? ' (booking delegates belong to rooms and equipment)' : ''}` };
      }
      if (!grantee) {
        return { change, org, mailbox, status: 'refused', reason: `no user or group "${change.grantee}" in ${org.alias ?? org.organizationId} (resources cannot be given rights; one created or enabled in the last few minutes may not show in WorkMail yet: plan again in a few minutes)` };
      }
      const base = { change, org, mailbox, grantee };
      if (mailbox.id === grantee.id) {
        return { ...base, status: 'refused', reason: `${entityName(grantee)} is the mailbox itself` };
      }
      if (grantee.userRole === 'RESOURCE') {
        return { ...base, status: 'refused', reason: `${entityName(grantee)} is a room or equipment, not a person` };
      }
      const notAllowed = change.rights.filter((right) => !rightsAllowedOn(mailbox.kind).includes(right));
      if (change.action !== 'revoke' && notAllowed.length > 0) {
        return { ...base, status: 'refused', reason: `${rightsLabel(notAllowed)} cannot be given on a group (a group has no mailbox to open); use SEND_AS or SEND_ON_BEHALF` };
      }
      const inactive = stateProblem(mailbox, 'mailbox') ?? stateProblem(grantee, 'grantee');
      if (inactive) {
        return { ...base, status: 'refused', reason: inactive };
      }
      const before = await readRights(org, mailbox.id, grantee.id, signal, route);
      const write = writeFor(change, before);
      const after = rightsAfter(write, before);
      if (sameRights(before, after)) {
        return { ...base, status: 'satisfied', before, after, write };
      }
      if (route === 'booking-delegate' && after.length === 0) {
        const staying = await delegatesStaying(session, org, mailbox, grantee, signal, options.delegatesBeingRemoved);
        if (!staying.autoAccept && staying.attending.length === 0) {
          return { ...base, status: 'refused', before, reason: unattendedText(grantee, mailbox, staying) };
        }
        removals.set(change, staying);
      }
      return { ...base, status: 'write', before, after, call: callFor(route, after), write };
    } catch (err) {
      if (signal?.aborted) {
        throw new CancelledError();
      }
      const error = toWorkMailError(err);
      // No call was made for a value WorkMail would not accept: say what is wrong with it.
      return { change, org, status: 'refused', reason: error.code === 'InvalidInput' ? error.message : `could not be read: ${error.message}` };
    }
  });

  // Two lines about one pair: the second would be applied over a state the plan did not read.
  const lines = planned.map((line): PlannedLine => {
    if (!line.org || !line.mailbox || !line.grantee) {
      return line;
    }
    const key = `${line.org.organizationId}\u0000${line.mailbox.id}\u0000${line.grantee.id}\u0000${routeOf(line.change)}`;
    const first = seenPairs.get(key);
    if (first === undefined) {
      seenPairs.set(key, line.change.line);
      return line;
    }
    return { change: line.change, org: line.org, mailbox: line.mailbox, grantee: line.grantee, status: 'refused', reason: `line ${first} already changes ${entityName(line.grantee)} on ${entityName(line.mailbox)}; put both in one line` };
  });
  return { file: file.file, readAt: now().toISOString(), lines: withoutEmptiedResources(lines, removals) };
}

/**
 * Each undelegate line was checked against the delegates WorkMail lists now; applied in order, the
 * earlier lines' removals count too: the line that would remove the last delegate still answering
 * a resource's requests (one that does not accept them automatically) is refused.
 */
function withoutEmptiedResources(lines: readonly PlannedLine[], removals: ReadonlyMap<ChangeLine, Staying>): PlannedLine[] {
  const removedBefore = new Map<string, Map<string, number>>();
  return lines.map((line): PlannedLine => {
    const staying = removals.get(line.change);
    if (!staying || staying.autoAccept || line.status !== 'write' || !line.org || !line.mailbox || !line.grantee) {
      return line;
    }
    const resourceKey = `${line.org.organizationId}\u0000${line.mailbox.id}`;
    const removed = removedBefore.get(resourceKey) ?? new Map<string, number>();
    removedBefore.set(resourceKey, removed);
    if (staying.attending.every((id) => removed.has(id))) {
      const earlier = [...new Set(staying.attending.map((id) => removed.get(id)!))].sort((a, b) => a - b);
      return { ...line, status: 'refused', call: undefined, write: undefined, after: undefined, reason: `${unattendedText(line.grantee, line.mailbox, staying)}: ${noun(earlier.length, 'line')} ${earlier.join(', ')} of this file remove${earlier.length === 1 ? 's' : ''} the other delegates` };
    }
    removed.set(line.grantee.id, line.change.line);
    return line;
  });
}

/** Who answers a resource's requests once a delegate goes, as read when the plan is made. */
interface Staying {
  /** The other delegates that answer requests (attendance.ts). */
  readonly attending: readonly string[];
  readonly absent: Attendance['absent'];
  readonly autoAccept: boolean;
  /** The booking options could not be read (counted as not accepting automatically). */
  readonly optionsUnread: boolean;
}

async function delegatesStaying(
  session: WorkMailSession,
  org: Organization,
  resource: DirectoryEntity,
  delegate: DirectoryEntity,
  signal: AbortSignal | undefined,
  beingRemoved: PlanOptions['delegatesBeingRemoved'],
): Promise<Staying> {
  const others = (await session.routes.listAllResourceDelegates(org, resource.id, signal)).filter((listed) => listed.id !== delegate.id);
  const options = await session.routes.bookingOptions(org, resource.id, signal).catch(() => undefined);
  if (options?.autoAcceptRequests === true) {
    return { attending: [], absent: [], autoAccept: true, optionsUnread: false };
  }
  const leaving = beingRemoved ? await beingRemoved(org, resource.id, others.map((other) => other.id)) : new Set<string>();
  const found = await attendance(session, org, others, leaving, signal, true);
  return { attending: found.attending, absent: found.absent, autoAccept: false, optionsUnread: options === undefined };
}

/**
 * Why removing this delegate leaves the resource unattended. Booking options that cannot be read
 * count as not accepting: the line is refused rather than a room left with nobody to answer it.
 */
function unattendedText(delegate: DirectoryEntity, resource: DirectoryEntity, staying: Staying): string {
  const others = staying.absent.length > 0 ? ` who can answer its requests (the other${staying.absent.length === 1 ? ' is' : 's are'} ${absenceInWords(staying.absent)})` : '';
  return `${entityName(delegate)} is the last booking delegate of ${entityName(resource)}${others}, which ${staying.optionsUnread ? 'may not accept booking requests automatically (its booking options could not be read)' : 'does not accept booking requests automatically'}: its requests would wait for nobody. Add another delegate first (in WorkMail: a line before this one is not applied when the plan is read), turn on automatic acceptance, or remove it in VS Code, which asks`;
}

export interface PlanCounts {
  readonly write: number;
  readonly satisfied: number;
  readonly refused: number;
}

export function planCounts(plan: ChangePlan): PlanCounts {
  return {
    write: plan.lines.filter((l) => l.status === 'write').length,
    satisfied: plan.lines.filter((l) => l.status === 'satisfied').length,
    refused: plan.lines.filter((l) => l.status === 'refused').length,
  };
}

function callText(line: PlannedLine): string {
  if (!line.call) {
    return '';
  }
  return line.call.operation === 'PutMailboxPermissions' ? `PutMailboxPermissions [${line.call.rights.join(', ')}]` : line.call.operation;
}

/** One line per change, for a terminal: "line 3: Put [FULL_ACCESS, SEND_AS] alice → bob (had SEND_AS)". */
export function planLines(plan: ChangePlan): string[] {
  return plan.lines.map((line) => {
    const who = line.mailbox && line.grantee ? `${entityName(line.grantee)} on ${entityName(line.mailbox)}` : `${line.change.grantee} on ${line.change.mailbox}`;
    const had = line.before ? ` (has ${line.before.length > 0 ? line.before.join(', ') : 'nothing'})` : '';
    switch (line.status) {
      case 'write':
        return `line ${line.change.line}: ${line.change.action} ${who}: ${callText(line)}${had}`;
      case 'satisfied':
        return `line ${line.change.line}: ${line.change.action} ${who}: already so, no call${had}`;
      case 'refused':
        return `line ${line.change.line}: ${line.change.action} ${who}: REFUSED: ${line.reason}`;
    }
  });
}

export interface PlanMarkdownOptions {
  readonly title?: string;
  /** Escapes a value from the file or the directory for markdown (VS Code passes its own, which also drops control and bidi characters). */
  readonly escape?: (value: string) => string;
}

/** The plan as a markdown report: counts, then every line with the call it makes or why not. */
export function planMarkdown(plan: ChangePlan, options: PlanMarkdownOptions = {}): string {
  const cell = options.escape ?? markdownCell;
  const title = options.title ?? `Plan for ${plan.file}`;
  const counts = planCounts(plan);
  const out = [
    `# ${cell(title)}`,
    '',
    `Rights read at ${plan.readAt}. Nothing has been written.`,
    '',
    `**${counts.write}** ${noun(counts.write, 'call')} to make, **${counts.satisfied}** ${noun(counts.satisfied, 'line')} already satisfied, **${counts.refused}** refused.`,
    '',
    '| line | action | mailbox | grantee | has now | call | result |',
    '| ---: | --- | --- | --- | --- | --- | --- |',
  ];
  for (const line of plan.lines) {
    const mailbox = line.mailbox ? entityName(line.mailbox) : line.change.mailbox;
    const grantee = line.grantee ? entityName(line.grantee) : line.change.grantee;
    const has = line.before ? (line.before.length > 0 ? line.before.join(', ') : 'nothing') : '';
    const result = line.status === 'write' ? `becomes ${line.after && line.after.length > 0 ? line.after.join(', ') : 'nothing'}` : line.status === 'satisfied' ? 'already so' : `refused: ${line.reason}`;
    out.push(`| ${line.change.line} | ${line.change.action} | ${cell(mailbox)} | ${cell(grantee)} | ${has} | ${callText(line)} | ${cell(result)} |`);
  }
  return `${out.join('\n')}\n`;
}
