// Access control rules: which users and applications may reach the organization's mailboxes over
// which protocols, from which addresses (administrator guide, "access-rules"). Shown, never
// changed by this product: a wrong rule locks a whole organization out. How ALLOW and DENY rules
// combine is not documented, so nothing here decides an effect: GetAccessControlEffect does.
export const ACCESS_ACTIONS = ['ActiveSync', 'AutoDiscover', 'EWS', 'IMAP', 'SMTP', 'WindowsOutlook', 'WebMail'] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/**
 * The lists a rule's conditions are made of, in the order WorkMail's API gives them. A list that is
 * not set does not limit the rule (a rule with none at all applies to everyone, everywhere).
 */
export const ACCESS_RULE_CONDITIONS = ['ipRanges', 'notIpRanges', 'actions', 'notActions', 'userIds', 'notUserIds', 'impersonationRoleIds', 'notImpersonationRoleIds'] as const;
export type AccessRuleCondition = (typeof ACCESS_RULE_CONDITIONS)[number];

/**
 * An access rule as WorkMail lists it: the one declaration of its shape. A snapshot and an export
 * hold the same rule with its dates as text (AccessRuleRecord), so a field added here reaches both.
 */
export interface AccessRule extends Readonly<Partial<Record<AccessRuleCondition, readonly string[]>>> {
  readonly name: string;
  readonly effect: 'ALLOW' | 'DENY';
  readonly description?: string;
  readonly dateCreated?: Date;
  readonly dateModified?: Date;
}

/** What a rule says, without when it was made: all the words of a rule need, from WorkMail or from a file. */
export type AccessRuleTerms = Omit<AccessRule, 'dateCreated' | 'dateModified'>;

/** An access rule as a file holds it (a snapshot, an export): its dates as ISO 8601 text. */
export type AccessRuleRecord = AccessRuleTerms & { readonly [K in 'dateCreated' | 'dateModified']?: string };

/**
 * The rule as a file records it: only what is set (no empty list, no undefined key, so a written
 * line carries nothing the rule does not say), lists copied, dates as ISO 8601 text, a date WorkMail
 * gave that is no date left out.
 */
export function accessRuleRecord(rule: AccessRule): AccessRuleRecord {
  const iso = (date: Date | undefined): string | undefined => (date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined);
  const conditions = ACCESS_RULE_CONDITIONS.flatMap((field) => {
    const list = rule[field];
    return list && list.length > 0 ? [[field, [...list]] as const] : [];
  });
  const dateCreated = iso(rule.dateCreated);
  const dateModified = iso(rule.dateModified);
  return {
    name: rule.name,
    effect: rule.effect,
    ...(rule.description !== undefined ? { description: rule.description } : {}),
    ...Object.fromEntries(conditions),
    ...(dateCreated ? { dateCreated } : {}),
    ...(dateModified ? { dateModified } : {}),
  };
}

/**
 * The rule every organization starts with, allowing everyone on every protocol from everywhere: a
 * rule with no condition at all. (Deleting every rule blocks every mailbox, so its absence matters.)
 */
export function isAllowEverything(rule: Pick<AccessRule, 'effect' | AccessRuleCondition>): boolean {
  return rule.effect === 'ALLOW' && ACCESS_RULE_CONDITIONS.every((field) => (rule[field]?.length ?? 0) === 0);
}

/** Whether the organization has no rule at all: WorkMail then blocks every mailbox. */
export function blocksEveryone(rules: readonly AccessRule[]): boolean {
  return rules.length === 0;
}
