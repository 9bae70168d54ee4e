// One WorkMail session per AWS profile (and endpoint): the reads every other part of the extension
// uses, mapped to the project's own types (sdkShapes.ts), each one a public operation that
// answers cancellation as CancelledError and every other failure as a WorkMailError. The clients
// they go through, per region and kind of call, and the session's lifetime are the pool's
// (clientPool.ts); the write path (permissions.ts) takes its one-attempt client from here too.
import {
  DescribeEntityCommand,
  DescribeGroupCommand,
  DescribeOrganizationCommand,
  DescribeResourceCommand,
  DescribeUserCommand,
  ListGroupMembersCommand,
  ListGroupsCommand,
  ListMailboxPermissionsCommand,
  ListResourcesCommand,
  ListUsersCommand,
  paginateListAliases,
  paginateListMailboxPermissions,
  paginateListOrganizations,
  type WorkMailClient,
} from '@aws-sdk/client-workmail';
import { ClientPool, type SessionOptions } from './clientPool';
import { RouteReads } from './routeReads';
import { CancelledError, isCancellation, WorkMailError } from './errors';
import { clampPageSize, groupEntity, hasId, isNotFound, namedFilter, resourceEntity, toGrant, userEntity, userFilter } from './sdkShapes';
import type { DirectoryEntity, DirectoryFilter, EntityKind, EntityState, Grant, OrgRef, Organization, Page } from './types';
import { validateIdentifier } from './validation';

export type { CallRecord } from './callMiddlewares';
export type { SessionOptions } from './clientPool';

export type GroupMember = { id: string; kind: 'user' | 'group'; name?: string; state?: EntityState };

const LIST_ORGANIZATIONS_PAGE = 100;
const LIST_PERMISSIONS_PAGE = 100;
const LIST_ALIASES_PAGE = 100;

export class WorkMailSession {
  private readonly clients: ClientPool;
  private readonly accounts = new Map<string, Promise<string>>();
  private routeReads: RouteReads | undefined;

  constructor(options: SessionOptions) {
    this.clients = new ClientPool(options);
  }

  get profile(): string | undefined {
    return this.clients.profile;
  }

  get endpoint(): string | undefined {
    return this.clients.endpoint;
  }

  /** Per HTTP request: after this long the client gives up waiting (the service may still act). */
  get requestTimeoutMs(): number {
    return this.clients.requestTimeoutMs;
  }

  /** The client for reads: the SDK retries a failed read on its own. */
  client(region: string): WorkMailClient {
    return this.clients.read(region);
  }

  /** `paced`: the caller limits its own rate (the scan), so the SDK's client-side rate limiter stays out. */
  private readClient(region: string, paced: boolean | undefined): WorkMailClient {
    return paced ? this.clients.paced(region) : this.clients.read(region);
  }

  /** The client for Put and Delete: exactly one attempt per send (see ClientPool.write). */
  writeClient(region: string): WorkMailClient {
    return this.clients.write(region);
  }

  /**
   * The AWS account that owns the organization, from its ARN (DescribeOrganization, once per
   * organization and session). '?' when it cannot be read (a policy without
   * workmail:DescribeOrganization): the organization ID alone already names one account.
   */
  accountOf(org: OrgRef, signal?: AbortSignal): Promise<string> {
    const key = `${org.region}/${org.organizationId}`;
    let account = this.accounts.get(key);
    if (!account) {
      account = this.run({ region: org.region, subject: `organization ${org.organizationId}` }, signal, async () => {
        WorkMailSession.checkIds([['OrganizationId', org.organizationId]]);
        const output = await this.client(org.region).send(new DescribeOrganizationCommand({ OrganizationId: org.organizationId }), { abortSignal: signal });
        return /^arn:[^:]+:workmail:[^:]*:([0-9]{12}):/.exec(output.ARN ?? '')?.[1] ?? '?';
      }).catch((err: unknown) => {
        this.accounts.delete(key);
        if (err instanceof CancelledError) {
          throw err;
        }
        const code = (err as { code?: string }).code;
        if (code === 'AccessDenied' || code === 'AccessDeniedException') {
          return '?';
        }
        throw err;
      });
      this.accounts.set(key, account);
    }
    return account;
  }

  /**
   * Hears every attempt the service throttled, including those the SDK retries on its own (one
   * call may be throttled several times before it succeeds): what an adaptive scan slows down on.
   * Returns the function that stops listening.
   */
  onThrottled(listener: (region: string) => void): () => void {
    return this.clients.onThrottled(listener);
  }

  /** The reads of booking delegates and options, impersonation roles and access rules (routeReads.ts). */
  get routes(): RouteReads {
    this.routeReads ??= new RouteReads({ client: (region) => this.client(region), run: (context, signal, work) => this.run(context, signal, work) });
    return this.routeReads;
  }

  /** Runs one public operation: cancellation first, then every failure as a WorkMailError. */
  private async run<T>(context: { region: string; subject?: string }, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    if (signal?.aborted) {
      throw new CancelledError();
    }
    try {
      return await work();
    } catch (err) {
      if (signal?.aborted || isCancellation(err)) {
        throw new CancelledError();
      }
      throw this.toError(err, context);
    }
  }

  /** Maps a raw SDK failure with this session's profile, endpoint and secrets. */
  toError(err: unknown, context: { region: string; subject?: string }): WorkMailError {
    return this.clients.toError(err, context);
  }

  private static checkIds(values: ReadonlyArray<['OrganizationId' | 'EntityIdentifier' | 'Email', string]>): void {
    for (const [kind, value] of values) {
      const problem = validateIdentifier(kind, value);
      if (problem) {
        throw new WorkMailError('InvalidInput', problem);
      }
    }
  }

  listOrganizations(region: string, signal?: AbortSignal): Promise<Organization[]> {
    return this.run({ region, subject: `WorkMail in ${region}` }, signal, async () => {
      const organizations: Organization[] = [];
      const pages = paginateListOrganizations({ client: this.client(region), pageSize: LIST_ORGANIZATIONS_PAGE }, { MaxResults: LIST_ORGANIZATIONS_PAGE }, { abortSignal: signal });
      for await (const page of pages) {
        for (const summary of page.OrganizationSummaries ?? []) {
          if (!summary.OrganizationId) {
            continue;
          }
          organizations.push({
            region,
            organizationId: summary.OrganizationId,
            alias: summary.Alias,
            state: summary.State,
            defaultMailDomain: summary.DefaultMailDomain,
            errorMessage: summary.ErrorMessage,
          });
        }
      }
      return organizations;
    });
  }

  listEntitiesPage(
    org: OrgRef,
    kind: EntityKind,
    options: { maxResults: number; nextToken?: string; filter?: DirectoryFilter; paced?: boolean },
    signal?: AbortSignal,
  ): Promise<Page<DirectoryEntity>> {
    return this.run({ region: org.region, subject: `organization ${org.organizationId}` }, signal, async () => {
      WorkMailSession.checkIds([['OrganizationId', org.organizationId]]);
      const client = this.readClient(org.region, options.paced);
      const base = { OrganizationId: org.organizationId, MaxResults: clampPageSize(options.maxResults), NextToken: options.nextToken };
      const filter = options.filter && options.filter.prefix !== '' ? options.filter : undefined;
      const abort = { abortSignal: signal };
      if (kind === 'user') {
        const output = await client.send(new ListUsersCommand({ ...base, Filters: filter && userFilter(filter) }), abort);
        return { items: (output.Users ?? []).filter(hasId).map(userEntity), nextToken: output.NextToken };
      }
      if (kind === 'group') {
        const output = await client.send(new ListGroupsCommand({ ...base, Filters: filter && namedFilter(filter) }), abort);
        return { items: (output.Groups ?? []).filter(hasId).map(groupEntity), nextToken: output.NextToken };
      }
      const output = await client.send(new ListResourcesCommand({ ...base, Filters: filter && namedFilter(filter) }), abort);
      return { items: (output.Resources ?? []).filter(hasId).map(resourceEntity), nextToken: output.NextToken };
    });
  }

  /** `paced`: the caller limits its own rate (the scan), so the SDK's client-side rate limiter stays out. */
  listGrantsPage(org: OrgRef, mailboxId: string, options: { maxResults: number; nextToken?: string; paced?: boolean }, signal?: AbortSignal): Promise<Page<Grant>> {
    return this.run({ region: org.region, subject: `mailbox ${mailboxId}` }, signal, async () => {
      WorkMailSession.checkIds([['OrganizationId', org.organizationId], ['EntityIdentifier', mailboxId]]);
      const output = await this.readClient(org.region, options.paced).send(
        new ListMailboxPermissionsCommand({
          OrganizationId: org.organizationId,
          EntityId: mailboxId,
          MaxResults: clampPageSize(options.maxResults),
          NextToken: options.nextToken,
        }),
        { abortSignal: signal },
      );
      return { items: (output.Permissions ?? []).flatMap(toGrant), nextToken: output.NextToken };
    });
  }

  listAllGrants(org: OrgRef, mailboxId: string, signal?: AbortSignal): Promise<Grant[]> {
    return this.run({ region: org.region, subject: `mailbox ${mailboxId}` }, signal, async () => {
      WorkMailSession.checkIds([['OrganizationId', org.organizationId], ['EntityIdentifier', mailboxId]]);
      const grants: Grant[] = [];
      const pages = paginateListMailboxPermissions(
        { client: this.client(org.region), pageSize: LIST_PERMISSIONS_PAGE },
        { OrganizationId: org.organizationId, EntityId: mailboxId, MaxResults: LIST_PERMISSIONS_PAGE },
        { abortSignal: signal },
      );
      for await (const page of pages) {
        grants.push(...(page.Permissions ?? []).flatMap(toGrant));
      }
      return grants;
    });
  }

  /** Every alias of one user, group or resource (ListAliases, every page), as WorkMail lists them. */
  listAllAliases(org: OrgRef, entityId: string, signal?: AbortSignal): Promise<string[]> {
    return this.run({ region: org.region, subject: `the aliases of ${entityId}` }, signal, async () => {
      WorkMailSession.checkIds([['OrganizationId', org.organizationId], ['EntityIdentifier', entityId]]);
      const aliases: string[] = [];
      const pages = paginateListAliases(
        { client: this.client(org.region), pageSize: LIST_ALIASES_PAGE },
        { OrganizationId: org.organizationId, EntityId: entityId, MaxResults: LIST_ALIASES_PAGE },
        { abortSignal: signal },
      );
      for await (const page of pages) {
        aliases.push(...(page.Aliases ?? []).filter((alias) => alias !== ''));
      }
      return aliases;
    });
  }

  describeEntity(org: OrgRef, id: string, kind: EntityKind, signal?: AbortSignal): Promise<DirectoryEntity | undefined> {
    return this.run({ region: org.region, subject: id }, signal, async () => {
      WorkMailSession.checkIds([['OrganizationId', org.organizationId], ['EntityIdentifier', id]]);
      try {
        return await this.describeRaw(org, id, kind, signal);
      } catch (err) {
        if (isNotFound(err)) {
          return undefined;
        }
        throw err;
      }
    });
  }

  private async describeRaw(org: OrgRef, id: string, kind: EntityKind, signal: AbortSignal | undefined): Promise<DirectoryEntity | undefined> {
    const client = this.client(org.region);
    const abort = { abortSignal: signal };
    if (kind === 'user') {
      const user = await client.send(new DescribeUserCommand({ OrganizationId: org.organizationId, UserId: id }), abort);
      return user.UserId ? userEntity({ ...user, Id: user.UserId }) : undefined;
    }
    if (kind === 'group') {
      const group = await client.send(new DescribeGroupCommand({ OrganizationId: org.organizationId, GroupId: id }), abort);
      return group.GroupId ? groupEntity({ ...group, Id: group.GroupId }) : undefined;
    }
    const resource = await client.send(new DescribeResourceCommand({ OrganizationId: org.organizationId, ResourceId: id }), abort);
    return resource.ResourceId ? resourceEntity({ ...resource, Id: resource.ResourceId }) : undefined;
  }

  /**
   * Finds what a person typed as a grantee: an email address through DescribeEntity, anything
   * else as a user and then as a group (the API accepts an ID or a name for both). The result
   * carries the canonical ID, which is what ListMailboxPermissions reports.
   */
  findEntity(org: OrgRef, nameEmailOrId: string, signal?: AbortSignal, kinds: readonly EntityKind[] = ['user', 'group']): Promise<DirectoryEntity | undefined> {
    const wanted = nameEmailOrId.trim();
    return this.run({ region: org.region, subject: `"${wanted}"` }, signal, async () => {
      const isEmail = wanted.includes('@');
      WorkMailSession.checkIds([['OrganizationId', org.organizationId], [isEmail ? 'Email' : 'EntityIdentifier', wanted]]);
      if (isEmail) {
        let found;
        try {
          found = await this.client(org.region).send(new DescribeEntityCommand({ OrganizationId: org.organizationId, Email: wanted }), { abortSignal: signal });
        } catch (err) {
          if (isNotFound(err)) {
            return undefined;
          }
          throw err;
        }
        if (!found.EntityId || !found.Type) {
          return undefined;
        }
        const kind: EntityKind = found.Type === 'GROUP' ? 'group' : found.Type === 'RESOURCE' ? 'resource' : 'user';
        const described = await this.describeRaw(org, found.EntityId, kind, signal).catch((err: unknown) => {
          if (isNotFound(err)) {
            return undefined;
          }
          throw err;
        });
        return described ?? { id: found.EntityId, kind, name: found.Name, email: wanted };
      }
      for (const [index, kind] of kinds.entries()) {
        try {
          const entity = await this.describeRaw(org, wanted, kind, signal);
          if (entity) {
            return entity;
          }
        } catch (err) {
          // Not of this kind: WorkMail says not found, or (undocumented: variant
          // describe-user-of-group) refuses a group's ID given as a user's. Try the next kind.
          const wrongKind = isNotFound(err) || (index < kinds.length - 1 && (err as { name?: unknown } | null)?.name === 'InvalidParameterException');
          if (!wrongKind) {
            throw err;
          }
        }
      }
      return undefined;
    });
  }

  listGroupMembersPage(
    org: OrgRef,
    groupId: string,
    options: { maxResults: number; nextToken?: string },
    signal?: AbortSignal,
  ): Promise<Page<GroupMember>> {
    return this.run({ region: org.region, subject: `group ${groupId}` }, signal, async () => {
      WorkMailSession.checkIds([['OrganizationId', org.organizationId], ['EntityIdentifier', groupId]]);
      const output = await this.client(org.region).send(
        new ListGroupMembersCommand({
          OrganizationId: org.organizationId,
          GroupId: groupId,
          MaxResults: clampPageSize(options.maxResults),
          NextToken: options.nextToken,
        }),
        { abortSignal: signal },
      );
      const items: GroupMember[] = [];
      for (const member of output.Members ?? []) {
        if (member.Id) {
          items.push({ id: member.Id, kind: member.Type === 'GROUP' ? 'group' : 'user', name: member.Name, state: member.State as EntityState | undefined });
        }
      }
      return { items, nextToken: output.NextToken };
    });
  }

  /**
   * Keeps the session usable until the returned function is called, even if it is closed meanwhile
   * (a profile switch): a write already started must be finished and read back with the account it
   * started with, not abandoned half-way.
   */
  retain(): () => void {
    return this.clients.retain();
  }

  dispose(): void {
    this.clients.dispose();
  }
}
