// The doctor's look at the other routes into a mailbox, read only: whether the organization has
// booking delegates, impersonation roles and access rules and whether these credentials may read
// them (a refusal names the IAM permission to ask for), and, for each behaviour of these routes the
// documentation does not give (ROUTE_VARIANTS, docs/EMULATOR.md), which variant the service matched
// when a read can tell, and why not when it cannot. Nothing here writes: a variant only a write
// shows (a delegate associated, a rule added) is reported as not checked.
import { checkRecorder, type DoctorCheck } from '../doctorCheck';
import { WorkMailError } from '../errors';
import { counted } from '../plural';
import type { WorkMailSession } from '../session';
import type { DirectoryEntity, OrgRef } from '../types';
import { ACCESS_ACTIONS, isAllowEverything, type AccessAction, type AccessRule } from './accessRules';
import type { BookingOptions } from './booking';

export interface RouteDoctorOptions {
  readonly signal?: AbortSignal;
  /** How many resources to read the delegates and booking options of (default 25). */
  readonly resourceSample?: number;
}

/** ListAccessControlRules returns at most this many (the model's AccessControlRulesList). */
const RULES_LISTED = 10;

/** Addresses to ask about when a rule says only where it does not apply (documentation ranges first). */
const CANDIDATE_ADDRESSES = ['192.0.2.10', '198.51.100.10', '203.0.113.10', '10.20.30.40', '172.16.5.6', '100.64.1.2'];

function ipv4(text: string): number {
  return text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function dotted(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function inRange(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(address) / size) === Math.floor(ipv4(base) / size);
}

/** An address inside `cidr` (its first host where there is one). */
function addressIn(cidr: string): string {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const network = Math.floor(ipv4(base) / size) * size;
  return dotted(size > 2 ? network + 1 : network);
}

/**
 * A question (user, protocol, address) that `rule` applies to by its own conditions: a user it
 * names (or any user it does not leave out), a protocol it names (or one it does not leave out), an
 * address in its ranges and outside its excluded ranges. Undefined when it names only applications.
 */
export function questionFor(rule: AccessRule, users: readonly DirectoryEntity[]): { userId: string; action: AccessAction; ipAddress: string } | undefined {
  if (!rule.userIds?.length && rule.impersonationRoleIds?.length) return undefined;
  const userId = rule.userIds?.[0] ?? users.find((user) => user.kind === 'user' && user.state === 'ENABLED' && !rule.notUserIds?.includes(user.id))?.id;
  const action = (rule.actions?.find((a) => (ACCESS_ACTIONS as readonly string[]).includes(a)) ?? ACCESS_ACTIONS.find((a) => !rule.notActions?.includes(a))) as AccessAction | undefined;
  const excluded = (address: string): boolean => (rule.notIpRanges ?? []).some((range) => inRange(address, range));
  const candidates = rule.ipRanges?.length ? rule.ipRanges.map(addressIn) : CANDIDATE_ADDRESSES;
  const ipAddress = candidates.find((address) => !excluded(address));
  return userId && action && ipAddress ? { userId, action, ipAddress } : undefined;
}

/** The IAM permission a refused read needs, in the words the doctor prints. */
function refused(error: WorkMailError, permission: string): string | undefined {
  return error.code === 'AccessDenied' ? `not allowed: these credentials need ${permission} (IAM)` : undefined;
}

export async function checkRoutes(session: WorkMailSession, org: OrgRef, users: readonly DirectoryEntity[], options: RouteDoctorOptions = {}): Promise<{ checks: DoctorCheck[]; variants: Record<string, string> }> {
  const { signal } = options;
  const { checks, variants, add, guard } = checkRecorder(signal);
  const failed = (name: string, error: WorkMailError, permission: string): void => {
    const denied = refused(error, permission);
    add(name, 'warning', denied ?? `could not be read (${error.message})`);
  };
  const reads = session.routes;

  // Booking delegates and options of the first resources.
  const resources = await guard(() => session.listEntitiesPage(org, 'resource', { maxResults: 100 }, signal));
  if (resources instanceof WorkMailError) {
    failed('booking delegates', resources, 'workmail:ListResources');
  } else if (resources.items.length === 0) {
    add('booking delegates', 'not-checked', 'no resources (rooms or equipment) in the organization');
  } else {
    const sample = resources.items.slice(0, options.resourceSample ?? 25);
    let delegated = 0;
    let delegates = 0;
    let deniedDelegates: WorkMailError | undefined;
    let deniedOptions: WorkMailError | undefined;
    const unattended: string[] = [];
    const keptFlags: string[] = [];
    for (const resource of sample) {
      const listed = await guard(() => reads.listResourceDelegatesPage(org, resource.id, { maxResults: 100 }, signal));
      const described = await guard(() => reads.bookingOptions(org, resource.id, signal));
      if (listed instanceof WorkMailError) deniedDelegates ??= listed;
      else if (listed.items.length > 0) {
        delegated++;
        delegates += listed.items.length;
      }
      if (described instanceof WorkMailError) {
        deniedOptions ??= described;
        continue;
      }
      const bookingOptions: BookingOptions | undefined = described;
      const label = resource.name ?? resource.id;
      if (bookingOptions?.autoAcceptRequests === false) {
        if (!(listed instanceof WorkMailError) && listed.items.length === 0 && !listed.nextToken) unattended.push(label);
        if (bookingOptions.autoDeclineRecurringRequests || bookingOptions.autoDeclineConflictingRequests) keptFlags.push(label);
      }
    }
    const read = `${counted(sample.length, 'resource')} read${resources.nextToken || sample.length < resources.items.length ? ' (the first ones)' : ''}`;
    if (deniedDelegates) failed('booking delegates', deniedDelegates, 'workmail:ListResourceDelegates');
    else add('booking delegates', 'ok', `${read}: ${delegated} with delegates (${counted(delegates, 'delegate')})`);
    if (deniedOptions) {
      failed('booking options', deniedOptions, 'workmail:DescribeResource');
    } else {
      add(
        'booking options',
        unattended.length > 0 ? 'warning' : 'ok',
        unattended.length > 0 ? `${unattended.join(', ')}: requests wait for a delegate and there is none, so no one can approve them` : `${read}; every resource that does not accept automatically has a delegate`,
      );
      if (keptFlags.length > 0) {
        variants['auto-decline-without-auto-accept'] = 'kept';
        add('auto-decline flags without automatic acceptance', 'ok', `${keptFlags[0]} does not accept automatically and still reports an auto-decline flag (variant auto-decline-without-auto-accept=kept)`);
      } else {
        add('auto-decline flags without automatic acceptance', 'not-checked', 'no resource that does not accept automatically reports an auto-decline flag: cleared or never set, a read cannot tell (variant auto-decline-without-auto-accept)');
      }
    }
  }
  add('delegates while accepting automatically', 'not-checked', 'only associating a delegate could tell (variant delegate-with-auto-accept)');
  add('removing the last delegate', 'not-checked', 'only removing one could tell (variant last-delegate-removal)');
  add('who receives a group delegate\'s requests', 'not-checked', 'no call shows it (variant group-delegate-members); the product counts every member');
  add('what UpdateResource leaves out', 'not-checked', 'only an update could tell (variant update-resource-omitted)');

  // Impersonation roles.
  const roles = await guard(() => reads.listImpersonationRoles(org, signal));
  if (roles instanceof WorkMailError) {
    failed('impersonation roles', roles, 'workmail:ListImpersonationRoles');
  } else if (roles.length === 0) {
    add('impersonation roles', 'ok', 'none: no application acts as a user of this organization');
  } else {
    let rules = 0;
    const everyone: string[] = [];
    let denied: WorkMailError | undefined;
    for (const summary of roles) {
      const role = await guard(() => reads.getImpersonationRole(org, summary.id, signal));
      if (role instanceof WorkMailError) {
        denied ??= role;
        continue;
      }
      rules += role?.rules.length ?? 0;
      if (role?.rules.some((rule) => rule.effect === 'ALLOW' && !rule.targetUsers && !rule.notTargetUsers)) everyone.push(role.name);
    }
    const types = `${roles.filter((r) => r.type === 'READ_ONLY').length} READ_ONLY, ${roles.filter((r) => r.type === 'FULL_ACCESS').length} FULL_ACCESS`;
    if (denied) failed('impersonation roles', denied, 'workmail:GetImpersonationRole');
    else add('impersonation roles', 'ok', `${counted(roles.length, 'role')} (${types}), ${counted(rules, 'rule')}${everyone.length > 0 ? `; acting as every user their DENY rules do not name: ${everyone.join(', ')}` : ''}`);
  }

  // Access rules, and what GetAccessControlEffect says of them.
  const listed = await guard(() => reads.listAccessControlRules(org, signal));
  if (listed instanceof WorkMailError) {
    failed('access rules', listed, 'workmail:ListAccessControlRules');
    return { checks, variants };
  }
  const accessRules = listed.rules;
  add(
    'access rules',
    accessRules.length === 0 ? 'warning' : 'ok',
    accessRules.length === 0
      ? 'none: WorkMail blocks every mailbox of this organization'
      : `${counted(accessRules.length, 'rule')} listed${accessRules.some(isAllowEverything) ? ', the default (allow everything) among them' : ', none allowing everything'}${listed.unreadable > 0 ? `; ${listed.unreadable} could not be read` : ''}`,
  );
  const names = new Set(accessRules.map((rule) => rule.name));
  const unlisted = new Set<string>();
  let effectDenied: WorkMailError | undefined;
  let answered = 0;
  const ask = async (question: { userId: string; action: AccessAction; ipAddress: string }) => {
    answered++;
    const answer = await guard(() => reads.accessControlEffect(org, question, signal));
    if (answer instanceof WorkMailError) {
      effectDenied ??= answer;
      return undefined;
    }
    answer.matchedRules.filter((name) => !names.has(name)).forEach((name) => unlisted.add(name));
    return answer;
  };

  // access-rule-combination: a DENY rule after a rule that allows everything, asked about a question
  // the DENY applies to. Any DENY winning answers DENY naming it; the first match answers ALLOW with
  // a rule listed before it.
  const allowAll = accessRules.findIndex(isAllowEverything);
  const deny = accessRules.map((rule, index) => ({ rule, index, question: questionFor(rule, users) })).find(({ rule, index, question }) => rule.effect === 'DENY' && allowAll >= 0 && index > allowAll && question);
  if (!deny?.question) {
    add('how ALLOW and DENY rules combine', 'not-checked', 'no DENY rule listed after a rule that allows everything, about a user, so no question could tell (variant access-rule-combination)');
  } else {
    const answer = await ask(deny.question);
    const asked = `${deny.question.action} from ${deny.question.ipAddress}, which "${deny.rule.name}" denies and "${accessRules[allowAll]!.name}" allows`;
    if (!answer) {
      // Reported below with the permission.
    } else if (answer.effect === 'DENY' && answer.matchedRules.includes(deny.rule.name)) {
      variants['access-rule-combination'] = 'deny-wins';
      add('how ALLOW and DENY rules combine', 'ok', `${asked}: DENY (variant access-rule-combination=deny-wins)`);
    } else if (answer.matchedRules.length === 1 && accessRules.findIndex((rule) => rule.name === answer.matchedRules[0]) < deny.index && accessRules.findIndex((rule) => rule.name === answer.matchedRules[0]) >= 0) {
      variants['access-rule-combination'] = 'first-match';
      add('how ALLOW and DENY rules combine', 'ok', `${asked}: ${answer.effect} by "${answer.matchedRules[0]}", the first rule that applies (variant access-rule-combination=first-match)`);
    } else {
      add('how ALLOW and DENY rules combine', 'warning', `${asked}: ${answer.effect} by ${answer.matchedRules.join(', ') || 'no rule'}, which no variant foresees: tell the team`);
    }
  }

  // access-rule-limit: the list shows 10 at most; a rule the evaluation names that the list does not
  // show proves there are more. One question per protocol, for one user.
  if (accessRules.length + listed.unreadable < RULES_LISTED) {
    add('access rules past the list', 'not-checked', `${counted(accessRules.length + listed.unreadable, 'rule')}, fewer than the ${RULES_LISTED} the list shows at most; only adding rules could tell how many an organization may hold (variant access-rule-limit)`);
  } else {
    const userId = users.find((user) => user.kind === 'user' && user.state === 'ENABLED')?.id;
    for (const action of userId ? ACCESS_ACTIONS : []) {
      if (effectDenied) break;
      await ask({ userId: userId!, action, ipAddress: CANDIDATE_ADDRESSES[0]! });
    }
    if (unlisted.size > 0) {
      variants['access-rule-limit'] = '20';
      add('access rules past the list', 'warning', `GetAccessControlEffect decided by ${[...unlisted].map((name) => `"${name}"`).join(', ')}, which ListAccessControlRules does not list: the organization holds more than the ${RULES_LISTED} rules the list shows (variant access-rule-limit=20); the tree and the reports show only the first ${RULES_LISTED}`);
    } else if (!effectDenied) {
      add('access rules past the list', 'not-checked', `${RULES_LISTED} rules listed, the most the list shows; no answer asked named a rule past them (variant access-rule-limit)`);
    }
  }
  const someone = users.find((user) => user.kind === 'user' && user.state === 'ENABLED');
  if (answered === 0 && someone) {
    // Nothing above needed an answer: one question, to know whether the reports can have them.
    await ask({ userId: someone.id, action: 'EWS', ipAddress: CANDIDATE_ADDRESSES[0]! });
  }
  if (answered === 0) {
    add('access rule evaluation', 'not-checked', 'no enabled user on the first page to ask about');
  } else if (effectDenied) {
    failed('access rule evaluation', effectDenied, 'workmail:GetAccessControlEffect');
  } else {
    add('access rule evaluation', 'ok', 'GetAccessControlEffect answers: Who Can Open marks what the rules deny');
  }
  return { checks, variants };
}
