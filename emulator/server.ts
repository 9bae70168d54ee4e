// HTTP front end: AWS JSON 1.1 framing, SigV4, fault injection, model validation, the call log,
// and the unsigned admin API under /__emulator.
import crypto from 'node:crypto';
import http from 'node:http';
import { verifySignature } from './auth';
import type { Variants } from './variants';
import type { FaultInjector, FaultSettings } from './faults';
import { formatValidationMessage, type RequestValidator } from './model';
import type { SeedDocument, SeedUser } from './seed';
import { ApiError, type WorkMailStore } from './store';

export const TARGET_PREFIX = 'WorkMailService.';
export const ADMIN_PREFIX = '/__emulator';
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** The operations the emulator serves; any other target is an unknown operation. */
export const SUPPORTED_OPERATIONS: ReadonlySet<string> = new Set([
  'ListOrganizations',
  'DescribeOrganization',
  'ListUsers',
  'ListGroups',
  'ListResources',
  'DescribeUser',
  'DescribeGroup',
  'DescribeResource',
  'DescribeEntity',
  'ListGroupMembers',
  'ListAliases',
  'ListMailboxPermissions',
  'PutMailboxPermissions',
  'DeleteMailboxPermissions',
  'UpdateResource',
  'ListResourceDelegates',
  'AssociateDelegateToResource',
  'DisassociateDelegateFromResource',
  'ListImpersonationRoles',
  'GetImpersonationRole',
  'GetImpersonationRoleEffect',
  'CreateImpersonationRole',
  'UpdateImpersonationRole',
  'DeleteImpersonationRole',
  'ListAccessControlRules',
  'GetAccessControlEffect',
  'PutAccessControlRule',
  'DeleteAccessControlRule',
]);

/** The regions WorkMail has endpoints in (documented). */
const WORKMAIL_ENDPOINT_REGIONS: ReadonlySet<string> = new Set(['us-east-1', 'us-west-2', 'eu-west-1']);

const WRITE_OPERATIONS: ReadonlySet<string> = new Set(['PutMailboxPermissions', 'DeleteMailboxPermissions', 'AssociateDelegateToResource', 'DisassociateDelegateFromResource']);
const DELEGATE_WRITES: ReadonlySet<string> = new Set(['AssociateDelegateToResource', 'DisassociateDelegateFromResource']);

/** "orgId/mailbox/grantee" (a permission write) or "orgId/resource/delegate/entity" (a delegate write), as the request names them. */
export function writePairOf(params: Record<string, unknown>, operation = 'PutMailboxPermissions'): string {
  const parts = DELEGATE_WRITES.has(operation)
    ? [params['OrganizationId'], params['ResourceId'], 'delegate', params['EntityId']]
    : [params['OrganizationId'], params['EntityId'], params['GranteeId']];
  return parts.map((part) => String(part)).join('/');
}

export interface CallRecord {
  readonly seq: number;
  /** ISO 8601, when the request arrived. */
  readonly time: string;
  /** The operation named by X-Amz-Target (or the raw target when it is not a WorkMail one). */
  readonly operation?: string;
  readonly region?: string;
  readonly accessKeyId?: string;
  /** The JSON body as parsed. Credentials never appear here: they travel in headers. */
  readonly params?: unknown;
  /** HTTP status answered; 0 when the connection was reset on purpose. */
  readonly status: number;
  readonly errorCode?: string;
  readonly durationMs: number;
}

export interface ServerDependencies {
  readonly store: WorkMailStore;
  readonly faults: FaultInjector;
  readonly validator: RequestValidator;
  /** Restores the starting seed, or loads the given one. */
  readonly reset: (seed?: SeedDocument) => void;
  readonly clock?: () => number;
  readonly variants?: () => Variants;
  readonly setVariants?: (chosen: Readonly<Record<string, string>>) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

export class EmulatorHttpServer {
  readonly server: http.Server;
  private callLog: CallRecord[] = [];
  private seq = 0;
  private readonly clock: () => number;

  constructor(private readonly deps: ServerDependencies) {
    this.clock = deps.clock ?? Date.now;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // Never reached by design; answer something rather than hang the client.
        console.error('emulator: unexpected failure', error);
        if (!res.headersSent) this.sendError(res, crypto.randomUUID(), 500, 'InternalFailure', 'The emulator failed unexpectedly.');
      });
    });
  }

  private readonly inFlight = new Map<string, number>();
  private overlaps: Array<{ pair: string; operation: string; time: string }> = [];

  calls(): CallRecord[] {
    return this.callLog.map((c) => ({ ...c }));
  }

  clearCalls(): void {
    this.callLog = [];
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      return;
    }
    if (url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)) {
      this.handleAdmin(req.method ?? 'GET', url.pathname.slice(ADMIN_PREFIX.length), body, res);
      return;
    }

    const requestId = crypto.randomUUID();
    const time = new Date(this.clock()).toISOString();
    const rawTarget = req.headers['x-amz-target'];
    const target = Array.isArray(rawTarget) ? rawTarget[0] : rawTarget;
    const operation = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    let params: unknown;
    let bodyIsJson = true;
    try {
      params = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      bodyIsJson = false;
    }

    // Known once the signature is checked; the call record reads them when it is written.
    // eslint-disable-next-line prefer-const
    let region: string | undefined;
    // eslint-disable-next-line prefer-const
    let accessKeyId: string | undefined;
    const record = (status: number, errorCode?: string): void => {
      const entry: CallRecord = {
        seq: ++this.seq,
        time,
        operation,
        region,
        accessKeyId,
        params,
        status,
        errorCode,
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      };
      for (const key of Object.keys(entry) as (keyof CallRecord)[]) if (entry[key] === undefined) delete entry[key];
      this.callLog.push(entry);
    };
    const fail = (status: number, code: string, message: string): void => {
      this.sendError(res, requestId, status, code, message);
      record(status, code);
    };

    const auth = await verifySignature(
      { method: req.method ?? 'POST', path: url.pathname, query: queryOf(url), headers: req.headers, body },
      (id) => this.deps.store.credential(id),
      this.clock(),
    );
    region = auth.region;
    accessKeyId = auth.accessKeyId;
    if (!auth.ok) return fail(403, auth.code, auth.message);
    // WorkMail has endpoints in three regions only; a request for any other reaches no server at
    // all (workmail.<region>.amazonaws.com does not resolve), so it gets a connection failure here.
    if (!WORKMAIL_ENDPOINT_REGIONS.has(auth.region)) {
      record(0, 'NoWorkMailEndpoint');
      req.socket.destroy();
      return;
    }

    if (req.method !== 'POST' || url.pathname !== '/' || operation === undefined || !target?.startsWith(TARGET_PREFIX) || !SUPPORTED_OPERATIONS.has(operation)) {
      return fail(400, 'UnknownOperationException', `Unknown operation ${target ?? '(no X-Amz-Target header)'}.`);
    }
    if (!bodyIsJson || typeof params !== 'object' || params === null || Array.isArray(params)) {
      return fail(400, 'SerializationException', 'The request body must be a JSON object.');
    }

    // Writes in flight, per pair: a write that starts while another to the same pair may still be
    // carried out is what the write path promises never to do (see writeOverlaps()).
    const pair = WRITE_OPERATIONS.has(operation) ? writePairOf(params as Record<string, unknown>, operation) : undefined;
    if (pair !== undefined) {
      const running = this.inFlight.get(pair) ?? 0;
      if (running > 0) this.overlaps.push({ pair, operation, time });
      this.inFlight.set(pair, running + 1);
    }
    try {
      await this.serve(req, res, operation, params as Record<string, unknown>, auth, requestId, fail, record);
    } finally {
      if (pair !== undefined) {
        const left = (this.inFlight.get(pair) ?? 1) - 1;
        if (left > 0) this.inFlight.set(pair, left);
        else this.inFlight.delete(pair);
      }
    }
  }

  /** Permission and delegate writes the emulator has received and not finished (held ones included), by pair. */
  writesInFlight(): string[] {
    return [...this.inFlight.keys()];
  }

  /** Every Put or Delete that arrived while another write to the same pair was still in flight. */
  writeOverlaps(): Array<{ pair: string; operation: string; time: string }> {
    return this.overlaps.map((o) => ({ ...o }));
  }

  clearWriteOverlaps(): void {
    this.overlaps = [];
  }

  private async serve(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    operation: string,
    params: Record<string, unknown>,
    auth: { accountId: string; region: string },
    requestId: string,
    fail: (status: number, code: string, message: string) => void,
    record: (status: number, errorCode?: string) => void,
  ): Promise<void> {
    const { faults } = this.deps;
    const latency = faults.latencyForCall();
    if (latency > 0) await sleep(latency);
    const rule = faults.takeRule(operation, params);
    if (rule) {
      if (rule.delayMs) await sleep(rule.delayMs);
      if (rule.resetConnection === true) {
        record(0, 'ConnectionReset');
        req.socket.destroy();
        return;
      }
      if (rule.error) {
        const status = rule.status ?? 400;
        return fail(status, rule.error, rule.message ?? `Injected fault: ${rule.error}.`);
      }
    }
    if (!faults.takeRateToken(`${auth.accountId}/${auth.region}`)) return fail(400, 'ThrottlingException', 'Rate exceeded');
    if (faults.shouldFailRandomly()) return fail(500, 'InternalFailure', 'The request processing has failed because of an unknown error (injected).');

    const violations = this.deps.validator.validate(operation, params);
    if (violations.length > 0) return fail(400, 'InvalidParameterException', formatValidationMessage(violations));

    let result: unknown;
    try {
      result = this.deps.store.execute(operation, params as Record<string, unknown>, { accountId: auth.accountId, region: auth.region });
    } catch (error) {
      if (error instanceof ApiError) return fail(error.status, error.code, error.message);
      console.error(`emulator: ${operation} failed`, error);
      return fail(500, 'InternalFailure', 'The request processing has failed because of an unknown error.');
    }
    if (rule?.resetConnection === 'after') {
      record(0, 'ConnectionReset');
      req.socket.destroy();
      return;
    }
    const payload = JSON.stringify(result);
    res.writeHead(200, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': requestId,
    });
    res.end(payload);
    record(200);
  }

  private sendError(res: http.ServerResponse, requestId: string, status: number, code: string, message: string): void {
    const payload = JSON.stringify({ __type: code, Message: message });
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(payload),
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': code,
    });
    res.end(payload);
  }

  private handleAdmin(method: string, route: string, body: string, res: http.ServerResponse): void {
    const send = (status: number, value?: unknown): void => {
      const payload = value === undefined ? '' : JSON.stringify(value);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    };
    let json: unknown;
    try {
      json = body.trim() === '' ? undefined : JSON.parse(body);
    } catch {
      return send(400, { error: 'Body must be JSON' });
    }
    const { store, faults } = this.deps;
    const segments = route.split('/').filter((s) => s !== '').map(decodeURIComponent);
    const is = (m: string, ...pattern: string[]): boolean =>
      method === m && segments.length === pattern.length && pattern.every((p, i) => p === '*' || p === segments[i]);
    const field = (name: string): unknown => (typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[name] : undefined);
    try {
      if (is('GET', 'health')) return send(200, { ok: true });
      if (is('GET', 'calls')) return send(200, this.calls());
      if (is('DELETE', 'calls')) {
        this.clearCalls();
        return send(204);
      }
      if (is('GET', 'variants')) return send(200, this.deps.variants?.() ?? {});
      if (is('PUT', 'variants')) {
        this.deps.setVariants?.((json ?? {}) as Record<string, string>);
        return send(200, this.deps.variants?.() ?? {});
      }
      if (is('GET', 'faults')) return send(200, faults.current());
      if (is('PUT', 'faults')) {
        faults.configure((json ?? {}) as FaultSettings);
        return send(200, faults.current());
      }
      if (is('POST', 'reset')) {
        this.deps.reset(json as SeedDocument | undefined);
        return send(200, { organizations: store.organizations() });
      }
      if (is('GET', 'organizations')) return send(200, store.organizations());
      if (is('GET', 'organizations', '*', 'grants')) return send(200, store.grants(segments[1]!));
      if (is('GET', 'organizations', '*', 'booking')) return send(200, store.booking(segments[1]!));
      if (is('GET', 'organizations', '*', 'impersonation-roles')) return send(200, store.impersonationRoles(segments[1]!));
      if (is('GET', 'organizations', '*', 'access-control-rules')) return send(200, store.accessControlRules(segments[1]!));
      if (is('PUT', 'organizations', '*', 'mailboxes', '*', 'grants', '*')) {
        const rights = field('rights');
        if (!Array.isArray(rights)) return send(400, { error: 'Body must be { "rights": [...] }' });
        store.putGrantDirect(segments[1]!, segments[3]!, segments[5]!, rights as string[]);
        return send(200, store.grants(segments[1]!).filter((g) => g.mailboxId === segments[3]));
      }
      if (is('PUT', 'organizations', '*', 'entities', '*', 'state')) {
        store.setEntityState(segments[1]!, segments[3]!, String(field('state')));
        return send(204);
      }
      if (is('POST', 'organizations', '*', 'users')) {
        store.addUser(segments[1]!, (json ?? {}) as SeedUser);
        return send(204);
      }
      if (is('PUT', 'organizations', '*', 'state')) {
        store.setOrganizationState(segments[1]!, String(field('state')));
        return send(204);
      }
      return send(404, { error: `No admin route ${method} ${ADMIN_PREFIX}${route}` });
    } catch (error) {
      // AdminError, InvalidFaultSettingsError, InvalidSeedError: all mistakes in the admin request.
      return send(400, { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
