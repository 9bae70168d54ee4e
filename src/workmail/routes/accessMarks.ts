// Which protocols an access rule takes away from a person or an application that can open a
// mailbox. WorkMail's own GetAccessControlEffect decides (how rules combine is undocumented); this
// only chooses the questions worth asking: for each DENY rule that can concern the principal, each
// protocol it names, from an address its ranges put in the rule.
import type { EffectAnswer, RouteReads } from '../routeReads';
import type { OpenRoute } from './whoCanOpen';
import type { OrgRef } from '../types';
import { ACCESS_ACTIONS, type AccessAction, type AccessRule } from './accessRules';

export interface Principal {
  readonly userId?: string;
  readonly impersonationRoleId?: string;
}

export interface AccessMark {
  readonly action: AccessAction;
  readonly ipAddress: string;
  /** The rules WorkMail says decided the denial. */
  readonly rules: readonly string[];
}

function toNumber(address: string): number | undefined {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

function toAddress(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const [address, bitsText] = cidr.split('/');
  const base = address === undefined ? undefined : toNumber(address);
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (base & mask) >>> 0, bits };
}

export function inCidr(address: string, cidr: string): boolean {
  const value = toNumber(address);
  const range = parseCidr(cidr);
  if (value === undefined || !range) return false;
  const mask = range.bits === 0 ? 0 : (0xffffffff << (32 - range.bits)) >>> 0;
  return ((value & mask) >>> 0) === range.base;
}

/** Addresses from the documentation ranges first, then public ones: candidates for "from elsewhere". */
const ELSEWHERE = ['203.0.113.10', '192.0.2.10', '198.51.100.10', '8.8.8.8', '1.1.1.1', '100.64.0.10', '10.255.255.10'];

/** An address the rule's ranges put inside the rule, or undefined when none can be found. */
export function addressInRule(rule: Pick<AccessRule, 'ipRanges' | 'notIpRanges'>): string | undefined {
  const excluded = (address: string): boolean => (rule.notIpRanges ?? []).some((cidr) => inCidr(address, cidr));
  const candidates = rule.ipRanges && rule.ipRanges.length > 0 ? rule.ipRanges.flatMap((cidr) => {
    const range = parseCidr(cidr);
    return range ? [toAddress(range.bits >= 31 ? range.base : range.base + 1)] : [];
  }) : ELSEWHERE;
  return candidates.find((address) => !excluded(address));
}

/** Whether the rule's user and role conditions can take in the principal. */
function mayConcern(rule: AccessRule, principal: Principal): boolean {
  if (principal.userId !== undefined) {
    if (rule.impersonationRoleIds && rule.impersonationRoleIds.length > 0 && !(rule.userIds && rule.userIds.length > 0)) return false;
    if (rule.userIds && rule.userIds.length > 0 && !rule.userIds.includes(principal.userId)) return false;
    return !(rule.notUserIds ?? []).includes(principal.userId);
  }
  const roleId = principal.impersonationRoleId ?? '';
  if (rule.userIds && rule.userIds.length > 0 && !(rule.impersonationRoleIds && rule.impersonationRoleIds.length > 0)) return false;
  if (rule.impersonationRoleIds && rule.impersonationRoleIds.length > 0 && !rule.impersonationRoleIds.includes(roleId)) return false;
  return !(rule.notImpersonationRoleIds ?? []).includes(roleId);
}

/** Impersonation roles act over EWS only, and GetAccessControlEffect takes a role with EWS only. */
function actionsOf(rule: AccessRule, principal: Principal): AccessAction[] {
  const named = rule.actions && rule.actions.length > 0 ? ACCESS_ACTIONS.filter((action) => rule.actions!.includes(action)) : ACCESS_ACTIONS.filter((action) => !(rule.notActions ?? []).includes(action));
  return principal.impersonationRoleId !== undefined ? named.filter((action) => action === 'EWS') : named;
}

/** The protocols WorkMail denies the principal, asked once per (protocol, address). */
export async function accessMarks(reads: Pick<RouteReads, 'accessControlEffect'>, org: OrgRef, rules: readonly AccessRule[], principal: Principal, signal?: AbortSignal): Promise<AccessMark[]> {
  const questions = new Map<string, { action: AccessAction; ipAddress: string }>();
  for (const rule of rules) {
    if (rule.effect !== 'DENY' || !mayConcern(rule, principal)) continue;
    const ipAddress = addressInRule(rule);
    if (!ipAddress) continue;
    for (const action of actionsOf(rule, principal)) questions.set(`${action} ${ipAddress}`, { action, ipAddress });
  }
  const marks: AccessMark[] = [];
  for (const { action, ipAddress } of questions.values()) {
    const answer: EffectAnswer = await reads.accessControlEffect(org, { ipAddress, action, ...principal }, signal);
    if (answer.effect === 'DENY') marks.push({ action, ipAddress, rules: answer.matchedRules });
  }
  return marks;
}

/**
 * What access rules take away from each route's person or application, asked of WorkMail once per
 * principal. A person WorkMail does not know is asked nothing.
 */
export async function marksForRoutes(reads: Pick<RouteReads, 'accessControlEffect'>, org: OrgRef, rules: readonly AccessRule[], routes: readonly OpenRoute[], signal?: AbortSignal): Promise<(route: OpenRoute) => AccessMark[]> {
  const keyOf = (route: OpenRoute): string => (route.route === 'impersonation' ? `role:${route.role.id}` : `user:${route.personId}`);
  const marks = new Map<string, AccessMark[]>();
  for (const route of routes) {
    const key = keyOf(route);
    if (marks.has(key)) continue;
    const principal = route.route === 'impersonation' ? { impersonationRoleId: route.role.id } : { userId: route.personId };
    marks.set(key, route.route !== 'impersonation' && !route.person ? [] : await accessMarks(reads, org, rules, principal, signal));
  }
  return (route) => marks.get(keyOf(route)) ?? [];
}
