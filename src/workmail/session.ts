// One WorkMail session per AWS profile (and endpoint): a client per region, the call log hook,
// and the reads every other part of the extension uses, mapped to the project's own types.
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
  WorkMailClient,
  paginateListMailboxPermissions,
  paginateListOrganizations,
  type Group,
  type Permission,
  type Resource,
  type User,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-workmail';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, FinalizeHandler, FinalizeHandlerArguments } from '@smithy/types';
import { credentialProviderFor } from './credentials';
import { CancelledError, isCancellation, isThrottling, toWorkMailError, WorkMailError } from './errors';
import type { DirectoryEntity, DirectoryFilter, EntityKind, EntityState, Grant, OrgRef, Organization, Page, Right } from './types';
import { validateIdentifier } from './validation';

export interface CallRecord {
  operation: string;
  region: string;
  organizationId?: string;
  durationMs: number;
  /** 'ok' or the error's code (its name), never its message. */
  outcome: 'ok' | string;
  requestId?: string;
}

export interface SessionOptions {
  /** undefined or '' = the SDK's default chain. */
  profile?: string;
  /** e.g. the emulator's URL; undefined = the real regional AWS endpoint. */
  endpoint?: string;
  /** One record per SDK call, after its retries. */
  onCall?: (record: CallRecord) => void;
  /** Attempts per call including the first (default 4). */
  maxAttempts?: number;
  /** Per HTTP request (default 30 s). */
  requestTimeoutMs?: number;
  /** Overrides the profile's credentials, for tests. */
  credentials?: AwsCredentialIdentityProvider;
}

export type GroupMember = { id: string; kind: 'user' | 'group'; name?: string; state?: EntityState };

const LIST_ORGANIZATIONS_PAGE = 100;
const LIST_PERMISSIONS_PAGE = 100;

export class WorkMailSession {
  readonly profile: string | undefined;
  private readonly clients = new Map<string, WorkMailClient>();
  private readonly writeClients = new Map<string, WorkMailClient>();
  private readonly accounts = new Map<string, Promise<string>>();
  private readonly credentials: AwsCredentialIdentityProvider;
  private secretsInUse: string[] = [];
  private readonly throttleListeners = new Set<(region: string) => void>();
  private readonly pacedClients = new Map<string, WorkMailClient>();
  private disposed = false;
  /** Operations that must finish on this session even if it is closed meanwhile (writes). */
  private users = 0;

  constructor(private readonly options: SessionOptions) {
    this.profile = options.profile || undefined;
    const provider = options.credentials ?? credentialProviderFor(this.profile);
    // Remember the secret values actually in use so error text copied from a raw failure can be
    // scrubbed of them whatever their shape.
    this.credentials = async (identityProperties?: Record<string, unknown>): Promise<AwsCredentialIdentity> => {
      const identity = await provider(identityProperties);
      this.secretsInUse = [identity.secretAccessKey, identity.sessionToken ?? ''].filter(Boolean);
      return identity;
    };
  }

  get endpoint(): string | undefined {
    return this.options.endpoint;
  }

  /** Per HTTP request: after this long the client gives up waiting (the service may still act). */
  get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs ?? 30_000;
  }

  /** The client for reads: the SDK retries a failed read on its own. */
  client(region: string): WorkMailClient {
    return this.clientFor(this.clients, region, this.options.maxAttempts ?? 4);
  }

  /**
   * The client for reads whose caller paces itself (the scan's adaptive concurrency): the SDK still
   * retries, with its standard back-off, but without its own client-side rate limiter, which would
   * otherwise be a second controller holding the rate below what the account allows.
   */
  private pacedClient(region: string): WorkMailClient {
    return this.clientFor(this.pacedClients, region, this.options.maxAttempts ?? 4, 'standard');
  }

  private readClient(region: string, paced: boolean | undefined): WorkMailClient {
    return paced ? this.pacedClient(region) : this.client(region);
  }

  /**
   * The client for Put and Delete: exactly one attempt per send. An SDK retry after a timeout,
   * reset or server error could be a second copy of a write the service is still holding, which
   * lands later and undoes a newer change; the writer re-sends only what was refused unread.
   */
  writeClient(region: string): WorkMailClient {
    return this.clientFor(this.writeClients, region, 1);
  }

  private clientFor(clients: Map<string, WorkMailClient>, region: string, maxAttempts: number, retryMode?: 'standard'): WorkMailClient {
    if (this.disposed && this.users === 0) {
      throw new WorkMailError('Disposed', 'This WorkMail session has been closed; refresh and try again.');
    }
    let client = clients.get(region);
    if (!client) {
      client = new WorkMailClient({
        region,
        endpoint: this.options.endpoint,
        credentials: this.credentials,
        maxAttempts,
        retryMode: retryMode ?? (maxAttempts > 1 ? 'adaptive' : 'standard'),
        requestHandler: {
          requestTimeout: this.requestTimeoutMs,
          connectionTimeout: Math.min(this.options.requestTimeoutMs ?? 10_000, 10_000),
          // Otherwise a stalled request only logs a warning and the tree spins forever.
          throwOnRequestTimeout: true,
        },
      });
      this.recordCalls(client, region);
      this.observeAttempts(client, region);
      clients.set(region, client);
    }
    return client;
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
    this.throttleListeners.add(listener);
    return () => {
      this.throttleListeners.delete(listener);
    };
  }

  private observeAttempts(client: WorkMailClient, region: string): void {
    // Just inside the SDK's retry loop, so it sees each attempt, after deserialization named the error.
    client.middlewareStack.addRelativeTo(
      (next: FinalizeHandler<ServiceInputTypes, ServiceOutputTypes>) => async (args: FinalizeHandlerArguments<ServiceInputTypes>) => {
        try {
          return await next(args);
        } catch (err) {
          if (this.throttleListeners.size > 0 && isThrottling(err)) {
            for (const listener of [...this.throttleListeners]) {
              try {
                listener(region);
              } catch {
                // A listener's failure must never fail the call.
              }
            }
          }
          throw err;
        }
      },
      { relation: 'after', toMiddleware: 'retryMiddleware', name: 'workmailThrottleObserver' },
    );
  }

  private recordCalls(client: WorkMailClient, region: string): void {
    const onCall = this.options.onCall;
    if (!onCall) {
      return;
    }
    // In the initialize step, so one record covers a call with all of its retries.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const started = performance.now();
        const input = args.input as { OrganizationId?: unknown };
        const record = (outcome: string, requestId: string | undefined): void => {
          try {
            onCall({
              operation: String(context.commandName ?? 'Unknown').replace(/Command$/, ''),
              region,
              organizationId: typeof input.OrganizationId === 'string' ? input.OrganizationId : undefined,
              durationMs: performance.now() - started,
              outcome,
              requestId,
            });
          } catch {
            // A failing log must never fail the call it describes.
          }
        };
        try {
          const result = await next(args);
          record('ok', (result.output as { $metadata?: { requestId?: string } }).$metadata?.requestId);
          return result;
        } catch (err) {
          const raw = err as { name?: string; $metadata?: { requestId?: string } };
          record(isCancellation(err) ? 'Cancelled' : raw?.name || 'Error', raw?.$metadata?.requestId);
          throw err;
        }
      },
      { step: 'initialize', name: 'workmailCallRecorder', priority: 'high' },
    );
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
    return toWorkMailError(err, {
      profile: this.profile,
      subject: context.subject,
      region: context.region,
      endpoint: this.options.endpoint ?? `https://workmail.${context.region}.amazonaws.com`,
      secrets: this.secretsInUse,
    });
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
    this.users++;
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      this.users--;
      if (this.disposed && this.users === 0) {
        this.destroyClients();
      }
    };
  }

  dispose(): void {
    this.disposed = true;
    if (this.users === 0) {
      this.destroyClients();
    }
  }

  private destroyClients(): void {
    for (const client of [...this.clients.values(), ...this.pacedClients.values(), ...this.writeClients.values()]) {
      client.destroy();
    }
    this.clients.clear();
    this.pacedClients.clear();
    this.writeClients.clear();
  }
}

function clampPageSize(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(1, Math.trunc(value))) : 100;
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'EntityNotFoundException';
}

function hasId<T extends { Id?: string }>(item: T): item is T & { Id: string } {
  return typeof item.Id === 'string' && item.Id !== '';
}

function userFilter(filter: DirectoryFilter) {
  switch (filter.field) {
    case 'name':
      return { UsernamePrefix: filter.prefix };
    case 'displayName':
      return { DisplayNamePrefix: filter.prefix };
    case 'email':
      return { PrimaryEmailPrefix: filter.prefix };
  }
}

/** Groups and resources have no display name: their name is what people see. */
function namedFilter(filter: DirectoryFilter) {
  return filter.field === 'email' ? { PrimaryEmailPrefix: filter.prefix } : { NamePrefix: filter.prefix };
}

function userEntity(user: User & { Id: string }): DirectoryEntity {
  return {
    id: user.Id,
    kind: 'user',
    name: user.Name,
    displayName: user.DisplayName,
    email: user.Email,
    state: user.State as EntityState | undefined,
    userRole: user.UserRole,
  };
}

function groupEntity(group: Group & { Id: string }): DirectoryEntity {
  return { id: group.Id, kind: 'group', name: group.Name, email: group.Email, state: group.State as EntityState | undefined };
}

function resourceEntity(resource: Resource & { Id: string }): DirectoryEntity {
  return {
    id: resource.Id,
    kind: 'resource',
    name: resource.Name,
    email: resource.Email,
    state: resource.State as EntityState | undefined,
    resourceType: resource.Type,
  };
}

function toGrant(permission: Permission): Grant[] {
  if (!permission.GranteeId) {
    return [];
  }
  // Values are passed through as the service sent them: one this version does not know must
  // survive a read-merge-write rather than be dropped.
  return [
    {
      granteeId: permission.GranteeId,
      granteeType: permission.GranteeType === 'GROUP' ? 'GROUP' : 'USER',
      rights: [...(permission.PermissionValues ?? [])] as Right[],
    },
  ];
}
