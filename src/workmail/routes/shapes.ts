// The SDK's answers about the other routes, as the project's types: what a field the service may
// leave out becomes, and which answers are dropped (a delegate without an ID names nobody). Types
// only from the SDK, so this module stays out of the SDK bundle.
import type { AccessControlRule, BookingOptions as SdkBookingOptions, Delegate, GetImpersonationRoleResponse, ImpersonationRule as SdkImpersonationRule } from '@aws-sdk/client-workmail';
import type { AccessRule } from './accessRules';
import type { ImpersonationRole, ImpersonationRoleType, ImpersonationRule } from './impersonation';
import type { BookingDelegate, BookingOptions } from './booking';

export function toBookingDelegates(delegates: readonly Delegate[] | undefined): BookingDelegate[] {
  return (delegates ?? []).flatMap((delegate) => (delegate.Id ? [{ id: delegate.Id, type: delegate.Type === 'GROUP' ? ('GROUP' as const) : ('USER' as const) }] : []));
}

export function toBookingOptions(options: SdkBookingOptions | undefined): BookingOptions | undefined {
  if (!options) return undefined;
  return {
    autoAcceptRequests: options.AutoAcceptRequests,
    autoDeclineRecurringRequests: options.AutoDeclineRecurringRequests,
    autoDeclineConflictingRequests: options.AutoDeclineConflictingRequests,
  };
}

function toRule(rule: SdkImpersonationRule): ImpersonationRule[] {
  if (!rule.ImpersonationRuleId || (rule.Effect !== 'ALLOW' && rule.Effect !== 'DENY')) return [];
  return [
    {
      id: rule.ImpersonationRuleId,
      name: rule.Name,
      description: rule.Description,
      effect: rule.Effect,
      targetUsers: rule.TargetUsers && rule.TargetUsers.length > 0 ? [...rule.TargetUsers] : undefined,
      notTargetUsers: rule.NotTargetUsers && rule.NotTargetUsers.length > 0 ? [...rule.NotTargetUsers] : undefined,
    },
  ];
}

/**
 * A role as GetImpersonationRole gives it. A rule whose effect is neither ALLOW nor DENY cannot be
 * read as either, so the role is returned with `unreadableRules` counting it, never silently less.
 */
export function toImpersonationRole(output: GetImpersonationRoleResponse): (ImpersonationRole & { readonly unreadableRules: number }) | undefined {
  if (!output.ImpersonationRoleId) return undefined;
  const rules = (output.Rules ?? []).flatMap(toRule);
  return {
    id: output.ImpersonationRoleId,
    name: output.Name ?? output.ImpersonationRoleId,
    type: (output.Type === 'FULL_ACCESS' ? 'FULL_ACCESS' : 'READ_ONLY') as ImpersonationRoleType,
    description: output.Description,
    rules,
    dateCreated: output.DateCreated,
    dateModified: output.DateModified,
    unreadableRules: (output.Rules?.length ?? 0) - rules.length,
  };
}

const list = (items: readonly string[] | undefined): readonly string[] | undefined => (items && items.length > 0 ? [...items] : undefined);

export function toAccessRule(rule: AccessControlRule): AccessRule | undefined {
  if (!rule.Name || (rule.Effect !== 'ALLOW' && rule.Effect !== 'DENY')) return undefined;
  return {
    name: rule.Name,
    effect: rule.Effect,
    description: rule.Description,
    ipRanges: list(rule.IpRanges),
    notIpRanges: list(rule.NotIpRanges),
    actions: list(rule.Actions),
    notActions: list(rule.NotActions),
    userIds: list(rule.UserIds),
    notUserIds: list(rule.NotUserIds),
    impersonationRoleIds: list(rule.ImpersonationRoleIds),
    notImpersonationRoleIds: list(rule.NotImpersonationRoleIds),
    dateCreated: rule.DateCreated,
    dateModified: rule.DateModified,
  };
}
