// Impersonation roles: which users an application holding a role may act as, by the rules the
// administrator guide documents ("managing-impersonation-roles"): if any DENY rule matches, the
// role may not impersonate the user; else if an ALLOW rule matches, it may; if no rule applies, it
// may not. A rule matches a user named in its TargetUsers (or every user when it has none) who is
// not named in its NotTargetUsers; "ALLOW with no conditions" therefore reaches every user.
//
// Rules name users by EntityIdentifier (an ID, a user name or an email address), as they were
// given; a user matches by any of the three, names and addresses in any case. WorkMail checks
// these by GetImpersonationRoleEffect; the tests hold this reading to the emulator's answer.
import type { DirectoryEntity } from '../types';

export type ImpersonationRoleType = 'FULL_ACCESS' | 'READ_ONLY';
export type RuleEffect = 'ALLOW' | 'DENY';

export interface ImpersonationRule {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly effect: RuleEffect;
  /** Users the rule is about; none = every user. */
  readonly targetUsers?: readonly string[];
  /** Users the rule leaves out. */
  readonly notTargetUsers?: readonly string[];
}

export interface ImpersonationRole {
  readonly id: string;
  readonly name: string;
  readonly type: ImpersonationRoleType;
  readonly description?: string;
  readonly rules: readonly ImpersonationRule[];
  readonly dateCreated?: Date;
  readonly dateModified?: Date;
}

export interface ImpersonationEffect {
  readonly effect: RuleEffect;
  /** The rules that produced the effect (the matching DENY rules, else the matching ALLOW rules). */
  readonly matchedRules: readonly ImpersonationRule[];
}

type UserKeys = Pick<DirectoryEntity, 'id' | 'name' | 'email'>;

/** Whether `identifier` (as a rule gives it) names `user`. */
export function namesUser(identifier: string, user: UserKeys): boolean {
  if (identifier === user.id) return true;
  const folded = identifier.toLowerCase();
  return folded === user.name?.toLowerCase() || folded === user.email?.toLowerCase();
}

export function ruleMatches(rule: ImpersonationRule, user: UserKeys): boolean {
  const targeted = !rule.targetUsers || rule.targetUsers.length === 0 || rule.targetUsers.some((identifier) => namesUser(identifier, user));
  const excluded = (rule.notTargetUsers ?? []).some((identifier) => namesUser(identifier, user));
  return targeted && !excluded;
}

/**
 * Whether WorkMail lets any role act as the user: a user (not a group or resource) that is neither
 * disabled nor deleted (GetImpersonationRoleEffect answers EntityStateException for those).
 */
export function canBeImpersonated(user: Pick<DirectoryEntity, 'kind' | 'state'>): boolean {
  return user.kind === 'user' && user.state !== 'DISABLED' && user.state !== 'DELETED';
}

/** What the role allows for one user: DENY wins, then ALLOW, else denied. */
export function impersonationEffect(role: Pick<ImpersonationRole, 'rules'>, user: UserKeys): ImpersonationEffect {
  const matching = role.rules.filter((rule) => ruleMatches(rule, user));
  const denying = matching.filter((rule) => rule.effect === 'DENY');
  if (denying.length > 0) return { effect: 'DENY', matchedRules: denying };
  const allowing = matching.filter((rule) => rule.effect === 'ALLOW');
  return allowing.length > 0 ? { effect: 'ALLOW', matchedRules: allowing } : { effect: 'DENY', matchedRules: [] };
}

/** The users of `users` the role may impersonate. */
export function impersonatedUsers<U extends UserKeys>(role: Pick<ImpersonationRole, 'rules'>, users: Iterable<U>): U[] {
  return [...users].filter((user) => impersonationEffect(role, user).effect === 'ALLOW');
}

/**
 * Identifiers a role's rules name that are no user of the directory: the rule is kept and shown,
 * never dropped, with the name it gives.
 */
export function unknownTargets(role: Pick<ImpersonationRole, 'rules'>, users: readonly UserKeys[]): string[] {
  const named = role.rules.flatMap((rule) => [...(rule.targetUsers ?? []), ...(rule.notTargetUsers ?? [])]);
  return [...new Set(named)].filter((identifier) => !users.some((user) => namesUser(identifier, user)));
}
