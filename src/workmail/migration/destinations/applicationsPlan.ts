// The shapes of the applications (impersonation roles) and access rules in a destination plan. Their
// own file, without code, so that the plan's shape (common.ts) and their planning (applications.ts,
// which uses common's helpers) both read them without importing each other.
import type { SnapshotAccessRule, SnapshotEntity, SnapshotImpersonationRole, SnapshotImpersonationRule } from '../schema';

/** The WorkMail "right" of an application, as the checklists and their CSV name it. */
export const IMPERSONATION_ROLE = 'IMPERSONATION_ROLE';
/** An access control rule, as the checklists and their CSV name it. */
export const ACCESS_RULE = 'ACCESS_RULE';

/** A user a role or rule names or reaches, with its destination address or why it has none. */
export interface PlannedUser {
  readonly user: SnapshotEntity;
  /** The destination address (mapped, safe in a script); absent with `problem`. */
  readonly address?: string;
  readonly problem?: string;
  /** The rules that decide this user: the matching ALLOW rules of a user reached, the matching DENY rules (or none) of one left out. */
  readonly rules: readonly SnapshotImpersonationRule[];
}

export interface PlannedRole {
  readonly role: SnapshotImpersonationRole;
  /** The rules that could be read. */
  readonly rules: readonly SnapshotImpersonationRule[];
  /** An ALLOW rule names no TargetUsers: the role reaches every user but those left out, users created later too. */
  readonly open: boolean;
  /** The users the role acts as, by address. */
  readonly reached: readonly PlannedUser[];
  /** Users that could be impersonated and are not (open roles: what a destination's scope must leave out). */
  readonly leftOut: readonly PlannedUser[];
  /** Identifiers the rules name that are no user of the snapshot, as the rules give them. */
  readonly unknownTargets: readonly string[];
  readonly rulesUnreadable?: string;
}

export interface PlannedAccessRule {
  readonly rule: SnapshotAccessRule;
  /** Its place in WorkMail's list (1 = first), the order WorkMail evaluates rules in. */
  readonly position: number;
  /** The users of userIds / notUserIds, looked up in the snapshot (an ID no user has is in `unknownUsers`). */
  readonly users: readonly PlannedUser[];
  readonly notUsers: readonly PlannedUser[];
  readonly unknownUsers: readonly string[];
  /** The impersonation roles the rule names, by name where the snapshot has them. */
  readonly roles: readonly string[];
  readonly notRoles: readonly string[];
}

export interface ApplicationsPlan {
  readonly roles: readonly PlannedRole[];
  /** Why no role is known: the snapshot did not record them, or they could not be read. */
  readonly rolesUnread?: string;
  readonly accessRules: readonly PlannedAccessRule[];
  /** Why the rules (or some of them) are unknown. */
  readonly accessRulesUnread?: string;
}
