// Access control rules: which users and impersonation roles may reach the organization's mailboxes
// by which protocol from which addresses, in addition to mailbox permissions. Every organization
// starts with a default rule that allows everyone everywhere; with no rule at all every access is
// denied (admin guide, access-rules). How ALLOW and DENY combine is not documented: the variant
// access-rule-combination. docs/EMULATOR.md.
import { ApiError } from './errors';
import { compactRecord, epochSeconds, type Params, type RouteContext } from './routeContext';
import { ACCESS_CONTROL_ACTIONS, type SeedAccessControlRule } from './seedDocument';

/** ListAccessControlRules returns at most this many (the model's AccessControlRulesList). */
export const ACCESS_RULES_LISTED = 10;

/** The rule every organization starts with (its name and wording are the emulator's: nothing publishes them). */
export const DEFAULT_ACCESS_RULE: SeedAccessControlRule = {
  name: 'default-rule',
  effect: 'ALLOW',
  description: 'Default rule: allows every user and impersonation role, on every protocol, from every address',
};

type Effect = 'ALLOW' | 'DENY';
const LIST_MEMBERS = ['ipRanges', 'notIpRanges', 'actions', 'notActions', 'userIds', 'notUserIds', 'impersonationRoleIds', 'notImpersonationRoleIds'] as const;
type ListMember = (typeof LIST_MEMBERS)[number];

type StoredRule = { readonly name: string; readonly effect: Effect; readonly description: string; readonly dateCreated: number; readonly dateModified: number } & {
  readonly [M in ListMember]?: readonly string[];
};

/** Ground truth, in the seed's shape and in evaluation (creation) order (emu.accessControlRules). */
export type AccessControlRuleInfo = SeedAccessControlRule & { readonly description: string; readonly dateCreated: string; readonly dateModified: string };

/** The API member for a stored list: ipRanges → IpRanges. */
function apiMember(member: ListMember): string {
  return member.charAt(0).toUpperCase() + member.slice(1);
}

function ipv4(text: string): number {
  return text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function inRange(ip: number, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const prefix = Number(bits);
  if (prefix === 0) return true;
  const size = 2 ** (32 - prefix);
  return Math.floor(ip / size) === Math.floor(ipv4(base) / size);
}

/** What a GetAccessControlEffect request asks about. */
interface Request {
  readonly ip: number;
  readonly action: string;
  readonly userId?: string;
  readonly roleId?: string;
}

/**
 * A rule matches when every condition it sets holds: the address in IpRanges (when set) and in no
 * NotIpRanges, the action in Actions and not in NotActions, and, when it names users or roles, the
 * request's user among UserIds or its role among ImpersonationRoleIds; a user in NotUserIds or a role
 * in NotImpersonationRoleIds never matches. A rule that sets nothing matches everything.
 */
function ruleMatches(rule: StoredRule, request: Request): boolean {
  if (rule.ipRanges && !rule.ipRanges.some((range) => inRange(request.ip, range))) return false;
  if (rule.notIpRanges?.some((range) => inRange(request.ip, range))) return false;
  if (rule.actions && !rule.actions.includes(request.action)) return false;
  if (rule.notActions?.includes(request.action)) return false;
  if (rule.userIds || rule.impersonationRoleIds) {
    const named = (request.userId !== undefined && rule.userIds?.includes(request.userId)) || (request.roleId !== undefined && rule.impersonationRoleIds?.includes(request.roleId));
    if (!named) return false;
  }
  if (request.userId !== undefined && rule.notUserIds?.includes(request.userId)) return false;
  return !(request.roleId !== undefined && rule.notImpersonationRoleIds?.includes(request.roleId));
}

export class AccessControlRules {
  /** In creation order: the order ListAccessControlRules lists them and first-match evaluates them. */
  private rules: StoredRule[];

  /** `seed` absent: the default rule alone. */
  constructor(seed: readonly SeedAccessControlRule[] | undefined, createdAt: number) {
    this.rules = (seed ?? [DEFAULT_ACCESS_RULE]).map((rule) => {
      const dateCreated = rule.dateCreated ? Date.parse(rule.dateCreated) : createdAt;
      const stored: Record<string, unknown> = { name: rule.name, effect: rule.effect, description: rule.description ?? '', dateCreated, dateModified: rule.dateModified ? Date.parse(rule.dateModified) : dateCreated };
      for (const member of LIST_MEMBERS) if (rule[member]?.length) stored[member] = [...rule[member]];
      return stored as StoredRule;
    });
  }

  /** Every rule as ListAccessControlRules shows it: the first ACCESS_RULES_LISTED, in order. */
  list(): unknown {
    return { Rules: this.rules.slice(0, ACCESS_RULES_LISTED).map((rule) => this.shown(rule)) };
  }

  /**
   * Adds the rule, or replaces the rule of the same name (documented) in its place, keeping its
   * DateCreated (the new DateModified tells it changed). Every user, action and role it names must
   * exist; a new name past the limit (variant access-rule-limit) answers LimitExceededException.
   */
  put(params: Params, ctx: RouteContext, roleExists: (id: string) => boolean): unknown {
    const name = params['Name'] as string;
    const stored: Record<string, unknown> = { name, effect: params['Effect'], description: params['Description'] };
    for (const member of LIST_MEMBERS) {
      const values = params[apiMember(member)] as string[] | undefined;
      if (!values?.length) continue;
      stored[member] = [...new Set(values.map((value) => this.checked(member, value, ctx, roleExists)))];
    }
    const now = ctx.now();
    const index = this.rules.findIndex((rule) => rule.name === name);
    if (index >= 0) {
      this.rules[index] = { ...(stored as Omit<StoredRule, 'dateCreated' | 'dateModified'>), dateCreated: this.rules[index]!.dateCreated, dateModified: now };
      return {};
    }
    const limit = Number(ctx.variants()['access-rule-limit']);
    if (this.rules.length >= limit) {
      throw new ApiError('LimitExceededException', `Organization ${ctx.orgId} already has ${this.rules.length} access control rules, the most it can hold; delete one or replace one by its name.`);
    }
    this.rules.push({ ...(stored as Omit<StoredRule, 'dateCreated' | 'dateModified'>), dateCreated: now, dateModified: now });
    return {};
  }

  /** A rule that is not there answers 200 (documented). Deleting the last rule blocks every access. */
  delete(params: Params): unknown {
    this.rules = this.rules.filter((rule) => rule.name !== params['Name']);
    return {};
  }

  /**
   * The effect for one address, protocol and user or role, over every rule (also those past what the
   * list shows): under deny-wins any matching DENY, else any matching ALLOW, else DENY; under
   * first-match the first matching rule in order, else DENY. MatchedRules are the rules that decided.
   */
  effect(params: Params, ctx: RouteContext, roleExists: (id: string) => boolean): unknown {
    const action = params['Action'] as string;
    const userIdentifier = params['UserId'] as string | undefined;
    const roleId = params['ImpersonationRoleId'] as string | undefined;
    if ((userIdentifier === undefined) === (roleId === undefined)) {
      throw new ApiError('InvalidParameterException', 'Give either UserId or ImpersonationRoleId, not both and not neither.');
    }
    this.checkAction(action, 'Action');
    if (roleId !== undefined && action !== 'EWS') {
      throw new ApiError('InvalidParameterException', `Impersonation role ID can only be used with Action EWS; got ${action}.`);
    }
    let userId: string | undefined;
    if (userIdentifier !== undefined) {
      // "The user ID": an ID, not a name or an email.
      const user = ctx.entity(userIdentifier);
      if (!user || user.kind !== 'user') throw new ApiError('EntityNotFoundException', `No user ${userIdentifier} in organization ${ctx.orgId}.`);
      userId = user.id;
    }
    if (roleId !== undefined && !roleExists(roleId)) throw new ApiError('ResourceNotFoundException', `No impersonation role ${roleId} in organization ${ctx.orgId}.`);
    const request: Request = { ip: ipv4(params['IpAddress'] as string), action, userId, roleId };
    const matching = this.rules.filter((rule) => ruleMatches(rule, request));
    if (ctx.variants()['access-rule-combination'] === 'first-match') {
      const first = matching[0];
      return { Effect: first?.effect ?? 'DENY', MatchedRules: first ? [first.name] : [] };
    }
    const denying = matching.filter((rule) => rule.effect === 'DENY');
    const decisive = denying.length > 0 ? denying : matching.filter((rule) => rule.effect === 'ALLOW');
    return { Effect: denying.length === 0 && decisive.length > 0 ? 'ALLOW' : 'DENY', MatchedRules: decisive.map((rule) => rule.name) };
  }

  info(): AccessControlRuleInfo[] {
    return this.rules.map((rule) => {
      const out: Record<string, unknown> = { name: rule.name, effect: rule.effect, description: rule.description };
      for (const member of LIST_MEMBERS) if (rule[member]) out[member] = [...rule[member]];
      out['dateCreated'] = new Date(rule.dateCreated).toISOString();
      out['dateModified'] = new Date(rule.dateModified).toISOString();
      return out as unknown as AccessControlRuleInfo;
    });
  }

  private shown(rule: StoredRule): Record<string, unknown> {
    const out: Record<string, unknown> = { Name: rule.name, Effect: rule.effect, Description: rule.description };
    for (const member of LIST_MEMBERS) if (rule[member]) out[apiMember(member)] = [...rule[member]];
    out['DateCreated'] = epochSeconds(rule.dateCreated);
    out['DateModified'] = epochSeconds(rule.dateModified);
    return compactRecord(out);
  }

  private checkAction(action: string, member: string): void {
    if (!(ACCESS_CONTROL_ACTIONS as readonly string[]).includes(action)) {
      throw new ApiError('InvalidParameterException', `${member} ${action} is not a protocol access control rules know; use one of ${ACCESS_CONTROL_ACTIONS.join(', ')}.`);
    }
  }

  /** One value of a list member, checked. */
  private checked(member: ListMember, value: string, ctx: RouteContext, roleExists: (id: string) => boolean): string {
    switch (member) {
      case 'actions':
      case 'notActions':
        this.checkAction(value, apiMember(member));
        return value;
      case 'userIds':
      case 'notUserIds': {
        // "User IDs": IDs, not names or emails (the model's minimum length, 12, is an ID's).
        const user = ctx.entity(value);
        if (!user || user.kind !== 'user') throw new ApiError('EntityNotFoundException', `${apiMember(member)}: no user ${value} in organization ${ctx.orgId}.`);
        return user.id;
      }
      case 'impersonationRoleIds':
      case 'notImpersonationRoleIds':
        if (!roleExists(value)) throw new ApiError('ResourceNotFoundException', `${apiMember(member)}: no impersonation role ${value} in organization ${ctx.orgId}.`);
        return value;
      default:
        // IP ranges: the model's pattern has checked them.
        return value;
    }
  }
}
