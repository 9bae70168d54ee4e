// The reads of the other routes into a mailbox (booking delegates and options, impersonation
// roles, access control rules), one public operation each, through the session's read clients and
// its failure policy (cancellation as CancelledError, anything else as a WorkMailError). Apart from
// session.ts so that file keeps the directory and permission reads it has always had.
import {
  DescribeResourceCommand,
  GetAccessControlEffectCommand,
  GetImpersonationRoleCommand,
  GetImpersonationRoleEffectCommand,
  ListAccessControlRulesCommand,
  ListImpersonationRolesCommand,
  ListResourceDelegatesCommand,
  paginateListResourceDelegates,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import type { AccessAction, AccessRule } from './routes/accessRules';
import type { ImpersonationRole, ImpersonationRoleType, RuleEffect } from './routes/impersonation';
import { toAccessRule, toBookingDelegates, toBookingOptions, toImpersonationRole } from './routes/shapes';
import type { BookingDelegate, BookingOptions } from './routes/booking';
import { clampPageSize } from './sdkShapes';
import type { OrgRef, Page } from './types';

/** What the reads need of the session that owns them. */
export interface RouteReadHost {
  client(region: string): WorkMailClient;
  run<T>(context: { region: string; subject?: string }, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T>;
}

/** A role as ListImpersonationRoles gives it: no rules (one GetImpersonationRole each). */
export interface ImpersonationRoleSummary {
  readonly id: string;
  readonly name: string;
  readonly type: ImpersonationRoleType;
  readonly dateCreated?: Date;
  readonly dateModified?: Date;
}

export interface EffectAnswer {
  readonly effect: RuleEffect;
  /** The names (access rules) or IDs (impersonation rules) of the rules that decided it. */
  readonly matchedRules: readonly string[];
}

const DELEGATES_PAGE = 100;

export class RouteReads {
  constructor(private readonly host: RouteReadHost) {}

  listResourceDelegatesPage(org: OrgRef, resourceId: string, options: { maxResults: number; nextToken?: string }, signal?: AbortSignal): Promise<Page<BookingDelegate>> {
    return this.host.run({ region: org.region, subject: `resource ${resourceId}` }, signal, async () => {
      const output = await this.host.client(org.region).send(
        new ListResourceDelegatesCommand({ OrganizationId: org.organizationId, ResourceId: resourceId, MaxResults: clampPageSize(options.maxResults), NextToken: options.nextToken }),
        { abortSignal: signal },
      );
      return { items: toBookingDelegates(output.Delegates), nextToken: output.NextToken };
    });
  }

  listAllResourceDelegates(org: OrgRef, resourceId: string, signal?: AbortSignal): Promise<BookingDelegate[]> {
    return this.host.run({ region: org.region, subject: `resource ${resourceId}` }, signal, async () => {
      const delegates: BookingDelegate[] = [];
      const pages = paginateListResourceDelegates(
        { client: this.host.client(org.region), pageSize: DELEGATES_PAGE },
        { OrganizationId: org.organizationId, ResourceId: resourceId, MaxResults: DELEGATES_PAGE },
        { abortSignal: signal },
      );
      for await (const page of pages) delegates.push(...toBookingDelegates(page.Delegates));
      return delegates;
    });
  }

  /** DescribeResource's booking options (ListResources does not give them). */
  bookingOptions(org: OrgRef, resourceId: string, signal?: AbortSignal): Promise<BookingOptions | undefined> {
    return this.host.run({ region: org.region, subject: `resource ${resourceId}` }, signal, async () => {
      const output = await this.host.client(org.region).send(new DescribeResourceCommand({ OrganizationId: org.organizationId, ResourceId: resourceId }), { abortSignal: signal });
      return toBookingOptions(output.BookingOptions);
    });
  }

  /** Every role (20 a page at most; the SDK has no paginator for it). */
  listImpersonationRoles(org: OrgRef, signal?: AbortSignal): Promise<ImpersonationRoleSummary[]> {
    return this.host.run({ region: org.region, subject: `the applications of ${org.organizationId}` }, signal, async () => {
      const roles: ImpersonationRoleSummary[] = [];
      let nextToken: string | undefined;
      do {
        const output = await this.host.client(org.region).send(new ListImpersonationRolesCommand({ OrganizationId: org.organizationId, NextToken: nextToken, MaxResults: 20 }), { abortSignal: signal });
        for (const role of output.Roles ?? []) {
          if (role.ImpersonationRoleId) {
            roles.push({ id: role.ImpersonationRoleId, name: role.Name ?? role.ImpersonationRoleId, type: role.Type === 'FULL_ACCESS' ? 'FULL_ACCESS' : 'READ_ONLY', dateCreated: role.DateCreated, dateModified: role.DateModified });
          }
        }
        nextToken = output.NextToken;
      } while (nextToken);
      return roles;
    });
  }

  getImpersonationRole(org: OrgRef, roleId: string, signal?: AbortSignal): Promise<(ImpersonationRole & { readonly unreadableRules: number }) | undefined> {
    return this.host.run({ region: org.region, subject: `impersonation role ${roleId}` }, signal, async () => {
      const output = await this.host.client(org.region).send(new GetImpersonationRoleCommand({ OrganizationId: org.organizationId, ImpersonationRoleId: roleId }), { abortSignal: signal });
      return toImpersonationRole(output);
    });
  }

  /** WorkMail's own answer: may the role act as `targetUser`? */
  impersonationRoleEffect(org: OrgRef, roleId: string, targetUser: string, signal?: AbortSignal): Promise<EffectAnswer> {
    return this.host.run({ region: org.region, subject: `impersonation role ${roleId}` }, signal, async () => {
      const output = await this.host.client(org.region).send(
        new GetImpersonationRoleEffectCommand({ OrganizationId: org.organizationId, ImpersonationRoleId: roleId, TargetUser: targetUser }),
        { abortSignal: signal },
      );
      return { effect: output.Effect === 'ALLOW' ? 'ALLOW' : 'DENY', matchedRules: (output.MatchedRules ?? []).flatMap((rule) => (rule.ImpersonationRuleId ? [rule.ImpersonationRuleId] : [])) };
    });
  }

  /** Every access rule (the list is not paginated; at most 10). `unreadable`: rules with no name or effect. */
  listAccessControlRules(org: OrgRef, signal?: AbortSignal): Promise<{ rules: AccessRule[]; unreadable: number }> {
    return this.host.run({ region: org.region, subject: `the access rules of ${org.organizationId}` }, signal, async () => {
      const output = await this.host.client(org.region).send(new ListAccessControlRulesCommand({ OrganizationId: org.organizationId }), { abortSignal: signal });
      const listed = output.Rules ?? [];
      const rules = listed.flatMap((rule) => {
        const read = toAccessRule(rule);
        return read ? [read] : [];
      });
      return { rules, unreadable: listed.length - rules.length };
    });
  }

  /**
   * WorkMail's own evaluation of its access rules for one user or role, protocol and address: how
   * rules combine is undocumented, so it is asked, never re-implemented.
   */
  accessControlEffect(org: OrgRef, question: { ipAddress: string; action: AccessAction; userId?: string; impersonationRoleId?: string }, signal?: AbortSignal): Promise<EffectAnswer> {
    return this.host.run({ region: org.region, subject: `the access rules of ${org.organizationId}` }, signal, async () => {
      const output = await this.host.client(org.region).send(
        new GetAccessControlEffectCommand({ OrganizationId: org.organizationId, IpAddress: question.ipAddress, Action: question.action, UserId: question.userId, ImpersonationRoleId: question.impersonationRoleId }),
        { abortSignal: signal },
      );
      return { effect: output.Effect === 'ALLOW' ? 'ALLOW' : 'DENY', matchedRules: [...(output.MatchedRules ?? [])] };
    });
  }
}
