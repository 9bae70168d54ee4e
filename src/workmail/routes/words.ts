// The other routes in words, the same in the tree, the reports and the command line: a resource's
// booking options, an impersonation rule, an access rule. Names come from `nameOf`, which gives an
// entity's or role's name for an identifier, or undefined for one the directory does not know (then
// the identifier is shown as given, marked, never dropped).
import type { AccessRuleTerms } from './accessRules';
import { isAllowEverything } from './accessRules';
import type { BookingOptions } from './booking';
import type { ImpersonationRule } from './impersonation';

export type { BookingOptions } from './booking';

export type NameOf = (identifier: string) => string | undefined;

/** "Accepts automatically · declines recurring meetings", or "Delegates approve every request". */
export function bookingOptionsInWords(options: BookingOptions | undefined): string {
  if (!options) return 'Booking options not read';
  // WorkMail's default for a new resource is to accept automatically.
  const accepts = options.autoAcceptRequests !== false;
  const parts = [accepts ? 'Accepts automatically' : 'Delegates approve every request'];
  if (accepts && options.autoDeclineRecurringRequests) parts.push('declines recurring meetings');
  if (accepts && options.autoDeclineConflictingRequests) parts.push('declines conflicts');
  return parts.join(' · ');
}

function named(identifiers: readonly string[], nameOf: NameOf): string {
  return identifiers.map((identifier) => nameOf(identifier) ?? `${identifier} (unknown)`).join(', ');
}

/** "Allow: everyone", "Deny: Alice Johnson", "Allow: everyone except Bob Martinez". */
export function impersonationRuleInWords(rule: ImpersonationRule, nameOf: NameOf): string {
  const effect = rule.effect === 'ALLOW' ? 'Allow' : 'Deny';
  const who = rule.targetUsers && rule.targetUsers.length > 0 ? named(rule.targetUsers, nameOf) : 'everyone';
  const except = rule.notTargetUsers && rule.notTargetUsers.length > 0 ? ` except ${named(rule.notTargetUsers, nameOf)}` : '';
  return `${effect}: ${who}${except}`;
}

function listPart(label: string, included: readonly string[] | undefined, excluded: readonly string[] | undefined, all: string, show: (items: readonly string[]) => string): string {
  if (included && included.length > 0) return `${label}${show(included)}${excluded && excluded.length > 0 ? ` except ${show(excluded)}` : ''}`;
  if (excluded && excluded.length > 0) return `${label}all but ${show(excluded)}`;
  return `${label}${all}`;
}

/**
 * "Deny IMAP from outside 10.0.0.0/8, for everyone"; the default rule reads "Allow everything, for
 * everyone (the default rule)".
 */
export function accessRuleInWords(rule: AccessRuleTerms, nameOf: NameOf): string {
  const effect = rule.effect === 'ALLOW' ? 'Allow' : 'Deny';
  if (isAllowEverything(rule)) return `${effect} every protocol from every address, for everyone (the default rule)`;
  const plain = (items: readonly string[]): string => items.join(', ');
  const what = listPart('', rule.actions, rule.notActions, 'every protocol', plain);
  const where =
    rule.ipRanges && rule.ipRanges.length > 0
      ? ` from ${plain(rule.ipRanges)}${rule.notIpRanges && rule.notIpRanges.length > 0 ? ` except ${plain(rule.notIpRanges)}` : ''}`
      : rule.notIpRanges && rule.notIpRanges.length > 0
        ? ` from outside ${plain(rule.notIpRanges)}`
        : ' from every address';
  const users = rule.userIds?.length || rule.notUserIds?.length ? listPart('', rule.userIds, rule.notUserIds, '', (items) => named(items, nameOf)) : '';
  const roles = rule.impersonationRoleIds?.length || rule.notImpersonationRoleIds?.length ? listPart('applications: ', rule.impersonationRoleIds, rule.notImpersonationRoleIds, '', (items) => named(items, nameOf)) : '';
  const who = [users, roles].filter(Boolean).join('; ') || 'everyone';
  return `${effect} ${what}${where}, for ${who}`;
}
