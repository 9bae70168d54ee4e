// The WorkMail clients of one session, per region and per kind of call, and what they share: the
// profile's credentials (whose secrets are remembered so error text can be scrubbed of them), the
// call log, the throttling listeners, and the session's lifetime (a write already started keeps
// its clients even when the session is closed meanwhile).
//
// Three kinds, because a read and a write must not be retried alike:
// - read: the SDK retries a failed read on its own, with its adaptive client-side rate limiter;
// - paced: for reads whose caller paces itself (the scan's adaptive concurrency), standard retries
//   without that rate limiter, which would be a second controller holding the rate below what the
//   account allows;
// - write: exactly one attempt per send, see `write`.
import { WorkMailClient } from '@aws-sdk/client-workmail';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { observeThrottling, recordCalls, type CallRecord } from './callMiddlewares';
import { credentialProviderFor } from './credentials';
import { toWorkMailError, WorkMailError } from './errors';

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

export class ClientPool {
  readonly profile: string | undefined;
  private readonly readClients = new Map<string, WorkMailClient>();
  private readonly pacedClients = new Map<string, WorkMailClient>();
  private readonly writeClients = new Map<string, WorkMailClient>();
  private readonly credentials: AwsCredentialIdentityProvider;
  private secretsInUse: string[] = [];
  private readonly throttleListeners = new Set<(region: string) => void>();
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
  read(region: string): WorkMailClient {
    return this.clientFor(this.readClients, region, this.options.maxAttempts ?? 4);
  }

  /** The client for reads whose caller paces itself: the SDK's standard retries, no client-side rate limiter. */
  paced(region: string): WorkMailClient {
    return this.clientFor(this.pacedClients, region, this.options.maxAttempts ?? 4, 'standard');
  }

  /**
   * The client for Put and Delete: exactly one attempt per send. An SDK retry after a timeout,
   * reset or server error could be a second copy of a write the service is still holding, which
   * lands later and undoes a newer change; the writer re-sends only what was refused unread.
   */
  write(region: string): WorkMailClient {
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
      if (this.options.onCall) recordCalls(client, region, this.options.onCall);
      observeThrottling(client, region, this.throttleListeners);
      clients.set(region, client);
    }
    return client;
  }

  /** Hears every throttled attempt of every client of the pool. Returns the function that stops listening. */
  onThrottled(listener: (region: string) => void): () => void {
    this.throttleListeners.add(listener);
    return () => {
      this.throttleListeners.delete(listener);
    };
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

  /** Keeps the clients usable until the returned function is called, even if the pool is closed meanwhile. */
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
    for (const client of [...this.readClients.values(), ...this.pacedClients.values(), ...this.writeClients.values()]) {
      client.destroy();
    }
    this.readClients.clear();
    this.pacedClients.clear();
    this.writeClients.clear();
  }
}
