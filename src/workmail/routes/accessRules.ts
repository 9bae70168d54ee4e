// Access control rules: which users and applications may reach the organization's mailboxes over
// which protocols, from which addresses (administrator guide, "access-rules"). Shown, never
// changed by this product: a wrong rule locks a whole organization out. How ALLOW and DENY rules
// combine is not documented, so nothing here decides an effect: GetAccessControlEffect does.
export const ACCESS_ACTIONS = ['ActiveSync', 'AutoDiscover', 'EWS', 'IMAP', 'SMTP', 'WindowsOutlook', 'WebMail'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export interface AccessRule {
  readonly name: string;
  readonly effect: 'ALLOW' | 'DENY';
  readonly description?: string;
  readonly ipRanges?: readonly string[];
  readonly notIpRanges?: readonly string[];
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly userIds?: readonly string[];
  readonly notUserIds?: readonly string[];
  readonly impersonationRoleIds?: readonly string[];
  readonly notImpersonationRoleIds?: readonly string[];
  readonly dateCreated?: Date;
  readonly dateModified?: Date;
}

/**
 * The rule every organization starts with, allowing everyone on every protocol from everywhere: a
 * rule with no condition at all. (Deleting every rule blocks every mailbox, so its absence matters.)
 */
export function isAllowEverything(rule: AccessRule): boolean {
  const none = (list: readonly string[] | undefined): boolean => !list || list.length === 0;
  return (
    rule.effect === 'ALLOW' &&
    [rule.ipRanges, rule.notIpRanges, rule.actions, rule.notActions, rule.userIds, rule.notUserIds, rule.impersonationRoleIds, rule.notImpersonationRoleIds].every(none)
  );
}

/** Whether the organization has no rule at all: WorkMail then blocks every mailbox. */
export function blocksEveryone(rules: readonly AccessRule[]): boolean {
  return rules.length === 0;
}
