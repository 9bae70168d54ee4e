// Impersonation roles: what an application holding one may do (READ_ONLY or FULL_ACCESS, over EWS)
// in the mailboxes of the users its rules target, and the calls on them. The evaluation is the
// documented one (admin guide, managing-impersonation-roles): "If any DENY rule matches, the policy
// denies impersonation … If at least one ALLOW rule matches, and no DENY rule matches, the policy
// allows impersonation. If no rule applies, impersonation is denied." docs/EMULATOR.md.
import crypto from 'node:crypto';
import { ApiError } from './errors';
import { compareKeys } from './pagination';
import { compactRecord, epochSeconds, type Params, type RouteContext } from './routeContext';
import type { SeedImpersonationRole } from './seedDocument';

/** ListImpersonationRoles returns at most this many a page (the model's ImpersonationRoleList). */
export const IMPERSONATION_ROLES_PAGE = 20;

export type RoleType = 'FULL_ACCESS' | 'READ_ONLY';
export type Effect = 'ALLOW' | 'DENY';

interface StoredRule {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly effect: Effect;
  /** User IDs; absent: every user. */
  readonly targetUsers?: readonly string[];
  readonly notTargetUsers?: readonly string[];
}

interface StoredRole {
  readonly id: string;
  readonly name: string;
  readonly type: RoleType;
  readonly description?: string;
  readonly rules: readonly StoredRule[];
  readonly dateCreated: number;
  readonly dateModified: number;
}

/** Ground truth, in the seed's shape (emu.impersonationRoles, GET /__emulator/organizations/{org}/impersonation-roles). */
export interface ImpersonationRoleInfo {
  readonly id: string;
  readonly name: string;
  readonly type: RoleType;
  readonly description?: string;
  readonly rules: Array<{ id: string; name?: string; description?: string; effect: Effect; targetUsers?: string[]; notTargetUsers?: string[] }>;
  /** ISO 8601. */
  readonly dateCreated: string;
  readonly dateModified: string;
}

function ruleMatches(rule: StoredRule, userId: string): boolean {
  if (rule.targetUsers && !rule.targetUsers.includes(userId)) return false;
  return !rule.notTargetUsers?.includes(userId);
}

export class ImpersonationRoles {
  private readonly roles = new Map<string, StoredRole>();
  /** ClientToken → the request it came with and the role it created. */
  private readonly clientTokens = new Map<string, { readonly request: string; readonly roleId: string }>();

  constructor(seed: readonly SeedImpersonationRole[], createdAt: number) {
    for (const role of seed) {
      const dateCreated = role.dateCreated ? Date.parse(role.dateCreated) : createdAt;
      this.roles.set(role.id, {
        id: role.id,
        name: role.name,
        type: role.type,
        description: role.description,
        rules: (role.rules ?? []).map((rule) => ({ ...rule, targetUsers: rule.targetUsers && [...rule.targetUsers], notTargetUsers: rule.notTargetUsers && [...rule.notTargetUsers] })),
        dateCreated,
        dateModified: role.dateModified ? Date.parse(role.dateModified) : dateCreated,
      });
    }
  }

  has(roleId: string): boolean {
    return this.roles.has(roleId);
  }

  list(params: Params, ctx: RouteContext): unknown {
    const sorted = [...this.roles.values()].sort((a, b) => compareKeys(a.id, b.id));
    const { items, nextToken } = ctx.page(params, { operation: 'ListImpersonationRoles', scope: ctx.orgId }, sorted, (r) => r.id, IMPERSONATION_ROLES_PAGE);
    const out: Record<string, unknown> = {
      Roles: items.map((r) => ({ ImpersonationRoleId: r.id, Name: r.name, Type: r.type, DateCreated: epochSeconds(r.dateCreated), DateModified: epochSeconds(r.dateModified) })),
    };
    if (nextToken !== undefined) out['NextToken'] = nextToken;
    return out;
  }

  get(params: Params, ctx: RouteContext): unknown {
    const role = this.role(params, ctx);
    return compactRecord({
      ImpersonationRoleId: role.id,
      Name: role.name,
      Type: role.type,
      Description: role.description,
      Rules: role.rules.map((rule) =>
        compactRecord({
          ImpersonationRuleId: rule.id,
          Name: rule.name,
          Description: rule.description,
          Effect: rule.effect,
          TargetUsers: rule.targetUsers && [...rule.targetUsers],
          NotTargetUsers: rule.notTargetUsers && [...rule.notTargetUsers],
        }),
      ),
      DateCreated: epochSeconds(role.dateCreated),
      DateModified: epochSeconds(role.dateModified),
    });
  }

  /** DENY wins, then ALLOW, else denied; MatchedRules are the rules that produced the effect. */
  effect(params: Params, ctx: RouteContext): unknown {
    const role = this.role(params, ctx);
    const identifier = params['TargetUser'] as string;
    const user = ctx.resolve(identifier);
    if (!user || user.kind !== 'user') throw new ApiError('EntityNotFoundException', `No user ${identifier} in organization ${ctx.orgId}.`);
    if (user.state !== 'ENABLED') throw new ApiError('EntityStateException', `The user ${user.id} in organization ${ctx.orgId} is ${user.state}; it must be ENABLED.`);
    const matching = role.rules.filter((rule) => ruleMatches(rule, user.id));
    const denying = matching.filter((rule) => rule.effect === 'DENY');
    const decisive = denying.length > 0 ? denying : matching.filter((rule) => rule.effect === 'ALLOW');
    return {
      Type: role.type,
      Effect: denying.length === 0 && decisive.length > 0 ? 'ALLOW' : 'DENY',
      MatchedRules: decisive.map((rule) => compactRecord({ ImpersonationRuleId: rule.id, Name: rule.name })),
    };
  }

  create(params: Params, ctx: RouteContext): unknown {
    const token = params['ClientToken'] as string | undefined;
    const { ClientToken: _token, ...request } = params;
    const fingerprint = JSON.stringify(request);
    if (token !== undefined) {
      const earlier = this.clientTokens.get(token);
      if (earlier && earlier.request !== fingerprint) {
        throw new ApiError('InvalidParameterException', `ClientToken ${token} was already used for a different CreateImpersonationRole request.`);
      }
      // A retry of a request that already succeeded: the same role, nothing created again.
      if (earlier) return { ImpersonationRoleId: earlier.roleId };
    }
    const rules = this.rules(params, ctx);
    const now = ctx.now();
    const id = crypto.randomUUID();
    this.roles.set(id, { id, ...this.fields(params), rules, dateCreated: now, dateModified: now });
    if (token !== undefined) this.clientTokens.set(token, { request: fingerprint, roleId: id });
    return { ImpersonationRoleId: id };
  }

  /** A full replacement: name, type, description (removed when left out) and rules. */
  update(params: Params, ctx: RouteContext): unknown {
    const role = this.role(params, ctx);
    const rules = this.rules(params, ctx);
    this.roles.set(role.id, { id: role.id, ...this.fields(params), rules, dateCreated: role.dateCreated, dateModified: ctx.now() });
    return {};
  }

  /** A role that is not there answers 200 (the model lists no not-found error); access rules naming it are left as they are. */
  delete(params: Params): unknown {
    this.roles.delete(params['ImpersonationRoleId'] as string);
    return {};
  }

  info(): ImpersonationRoleInfo[] {
    return [...this.roles.values()]
      .sort((a, b) => compareKeys(a.id, b.id))
      .map((role) => ({
        id: role.id,
        name: role.name,
        type: role.type,
        ...(role.description !== undefined ? { description: role.description } : {}),
        rules: role.rules.map((rule) => JSON.parse(JSON.stringify(rule)) as ImpersonationRoleInfo['rules'][number]),
        dateCreated: new Date(role.dateCreated).toISOString(),
        dateModified: new Date(role.dateModified).toISOString(),
      }));
  }

  private fields(params: Params): { name: string; type: RoleType; description?: string } {
    const description = params['Description'] as string | undefined;
    return { name: params['Name'] as string, type: params['Type'] as RoleType, ...(description !== undefined ? { description } : {}) };
  }

  private role(params: Params, ctx: RouteContext): StoredRole {
    const id = params['ImpersonationRoleId'] as string;
    const role = this.roles.get(id);
    if (!role) throw new ApiError('ResourceNotFoundException', `No impersonation role ${id} in organization ${ctx.orgId}.`);
    return role;
  }

  /**
   * The request's rules, with every target resolved to its user ID (the reference: "A list of user
   * IDs"). Rule IDs are unique in a role; a target that is not a user is not found; a deleted one is
   * refused (a disabled user may be named).
   */
  private rules(params: Params, ctx: RouteContext): StoredRule[] {
    const given = params['Rules'] as Array<Record<string, unknown>>;
    const ids = new Set<string>();
    return given.map((rule) => {
      const id = rule['ImpersonationRuleId'] as string;
      if (ids.has(id)) throw new ApiError('InvalidParameterException', `ImpersonationRuleId ${id} is used by two rules of the role.`);
      ids.add(id);
      const users = (member: string): string[] | undefined => {
        const list = rule[member] as string[] | undefined;
        return list?.map((identifier) => {
          const user = ctx.resolve(identifier);
          if (!user || user.kind !== 'user') throw new ApiError('EntityNotFoundException', `${member} of rule ${id}: no user ${identifier} in organization ${ctx.orgId}.`);
          if (user.state === 'DELETED') throw new ApiError('EntityStateException', `${member} of rule ${id}: the user ${user.id} in organization ${ctx.orgId} is DELETED.`);
          return user.id;
        });
      };
      const targetUsers = users('TargetUsers');
      const notTargetUsers = users('NotTargetUsers');
      return {
        id,
        ...(rule['Name'] !== undefined ? { name: rule['Name'] as string } : {}),
        ...(rule['Description'] !== undefined ? { description: rule['Description'] as string } : {}),
        effect: rule['Effect'] as Effect,
        ...(targetUsers ? { targetUsers: [...new Set(targetUsers)] } : {}),
        ...(notTargetUsers ? { notTargetUsers: [...new Set(notTargetUsers)] } : {}),
      };
    });
  }
}
