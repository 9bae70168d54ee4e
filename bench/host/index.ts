// Loaded by a real VS Code extension host as `extensionTestsPath` (bench/host.ts starts it through
// code-server's workbench, one fresh page and extension host per run). Times the extension's
// activation, then measures through the tree exactly what VS Code would ask of it, counting calls
// in the emulator's own log. Reports one JSON line on the console; never fails the run itself, so
// a broken step is reported as an error instead of a silent missing figure.
//
// Environment (inherited from code-server): WORKMAIL_EMULATOR_URL, WORKMAIL_BENCH_ORG (the generated
// organization), WORKMAIL_BENCH_BUCKET_MS (how long the emulator's rate-limit bucket takes to refill),
// WORKMAIL_BENCH_TREE (1: also measure the tree and a grant after activation), WORKMAIL_BENCH_MINIMAL_ID
// (the minimal extension timed beside it), WORKMAIL_BENCH_WARMUP_ID (a copy of it activated before
// either is timed) and WORKMAIL_BENCH_MINIMAL_FIRST (1: activate the minimal one first).
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { WorkMailExtensionApi } from '../../src/extension';
import type { CategoryNode } from '../../src/tree/categoryNode';
import type { MailboxNode } from '../../src/tree/mailboxNode';
import type { GroundTruthGrant, HostResult, LoggedCallRecord } from '../protocol';
import { HOST_RESULT_PREFIX } from '../protocol';

const EXTENSION_ID = 'workmail-tools.workmail-permissions';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set in the extension host's environment`);
  return value;
}

async function admin<T>(method: string, path: string): Promise<T> {
  const response = await fetch(`${env('WORKMAIL_EMULATOR_URL').replace(/\/$/, '')}/__emulator${path}`, { method });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Counts the calls `step` makes. Waits first for the emulator's rate-limit bucket to refill, so a
 * measured step is never throttled because of the loading that came before it.
 */
async function measured<T>(step: () => Promise<T>): Promise<{ value: T; ms: number; calls: LoggedCallRecord[] }> {
  await sleep(Number(process.env.WORKMAIL_BENCH_BUCKET_MS ?? '1200'));
  await admin('DELETE', '/calls');
  const started = performance.now();
  const value = await step();
  const ms = performance.now() - started;
  const calls = (await admin<LoggedCallRecord[]>('GET', '/calls')).map(({ operation, status, errorCode, durationMs }) => ({ operation, status, errorCode, durationMs }));
  return { value, ms, calls };
}

export async function run(): Promise<void> {
  const result: HostResult = { vscodeVersion: vscode.version, nodeVersion: process.version };
  try {
    const extension = vscode.extensions.getExtension<WorkMailExtensionApi>(EXTENSION_ID);
    if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded in this host`);
    // The workbench is still starting its own extensions when this module runs; timing then would
    // measure their competition for the CPU, not this extension. A person opens the view later.
    const settleMs = Number(process.env.WORKMAIL_BENCH_SETTLE_MS ?? '3000');
    await sleep(settleMs);
    result.settleMs = settleMs;
    const minimal = vscode.extensions.getExtension(env('WORKMAIL_BENCH_MINIMAL_ID'));
    if (!minimal) throw new Error(`the minimal extension ${env('WORKMAIL_BENCH_MINIMAL_ID')} is not installed in this host`);
    // Activation is lazy (the view); if something activated it already, the timing would be of nothing.
    result.alreadyActive = extension.isActive;
    result.minimalAlreadyActive = minimal.isActive;
    result.minimalFirst = process.env.WORKMAIL_BENCH_MINIMAL_FIRST === '1';
    // The first activation in a host pays what every later one shares: a third extension takes it.
    const warmup = vscode.extensions.getExtension(env('WORKMAIL_BENCH_WARMUP_ID'));
    if (!warmup) throw new Error(`the warm-up extension ${env('WORKMAIL_BENCH_WARMUP_ID')} is not installed in this host`);
    const warmupStarted = performance.now();
    await warmup.activate();
    result.warmupActivateMs = performance.now() - warmupStarted;
    const timeMinimal = async (): Promise<void> => {
      const started = performance.now();
      await minimal.activate();
      result.minimalActivateMs = performance.now() - started;
    };
    if (result.minimalFirst) await timeMinimal();
    const profiling = process.env.WORKMAIL_BENCH_PROFILE ? await startProfile() : undefined;
    const started = performance.now();
    const api = await extension.activate();
    result.activateMs = performance.now() - started;
    if (profiling) await profiling(process.env.WORKMAIL_BENCH_PROFILE!);
    if (!result.minimalFirst) await timeMinimal();
    if (process.env.WORKMAIL_BENCH_TREE === '1') await measureTree(api, result);
  } catch (error) {
    result.error = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  }
  console.log(`${HOST_RESULT_PREFIX} ${JSON.stringify(result)}`);
}

/** A CPU profile of this extension host from now until the returned function writes it (WORKMAIL_BENCH_PROFILE). */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const inspector = await import('node:inspector');
  const { writeFileSync } = await import('node:fs');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params ?? {}, (error, value) => (error ? reject(error) : resolve(value))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  return async (file) => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

async function measureTree(api: WorkMailExtensionApi, result: HostResult): Promise<void> {
  const orgId = env('WORKMAIL_BENCH_ORG');
  const organizations = await api.explorer.organizations();
  const orgNode = organizations.find((node) => node.org.organizationId === orgId);
  if (!orgNode) throw new Error(`organization ${orgId} is not in the tree (found ${organizations.map((o) => o.org.organizationId).join(', ') || 'none'})`);
  await api.explorer.getChildren(orgNode);
  const users = orgNode.categories.find((c) => c.entityKind === 'user') as CategoryNode;
  const groups = orgNode.categories.find((c) => c.entityKind === 'group') as CategoryNode;

  // Expanding Users: what VS Code calls when the person clicks the category.
  const firstPage = await measured(() => api.explorer.getChildren(users));
  result.firstPage = { ms: firstPage.ms, calls: firstPage.calls, children: firstPage.value.length };

  // Load every group page and as many user pages as it takes to find a mailbox whose grantees are
  // all in pages already loaded: expanding it should then cost exactly its List call.
  while (groups.hasMore || groups.loadedItems.length === 0) {
    const before = groups.loadedItems.length;
    await (groups.loadedItems.length === 0 ? api.explorer.getChildren(groups) : groups.loadMore());
    if (groups.loadedItems.length === before) break;
  }
  const truth = await admin<GroundTruthGrant[]>('GET', `/organizations/${orgId}/grants`);
  const grantsByMailbox = new Map<string, GroundTruthGrant[]>();
  for (const grant of truth) {
    const list = grantsByMailbox.get(grant.mailboxId) ?? [];
    list.push(grant);
    grantsByMailbox.set(grant.mailboxId, list);
  }
  let candidate: MailboxNode | undefined;
  let userPagesLoaded = 1;
  for (;;) {
    const loaded = new Set([...users.loadedItems, ...groups.loadedItems].map((node) => node.entity.id));
    candidate = users.loadedItems
      .filter((node) => {
        const grants = grantsByMailbox.get(node.entity.id) ?? [];
        return grants.length >= 2 && grants.length <= 100 && grants.every((g) => loaded.has(g.granteeId));
      })
      .sort((a, b) => (grantsByMailbox.get(b.entity.id)?.length ?? 0) - (grantsByMailbox.get(a.entity.id)?.length ?? 0))[0];
    if (candidate || !users.hasMore) break;
    await users.loadMore();
    userPagesLoaded++;
  }
  if (!candidate) throw new Error('no mailbox whose grantees are all in loaded directory pages');
  const expectedGrants = grantsByMailbox.get(candidate.entity.id)!;
  const expand = await measured(() => api.explorer.getChildren(candidate));
  const granteeNodes = expand.value.filter((node) => node.contextValue === 'grantee') as Array<{ grantee?: unknown }>;
  result.granteeExpand = {
    ms: expand.ms,
    calls: expand.calls,
    mailboxId: candidate.entity.id,
    grantees: expectedGrants.length,
    granteeNodes: granteeNodes.length,
    namedGrantees: granteeNodes.filter((node) => node.grantee).length,
    userPagesLoaded,
    groupsLoaded: groups.loadedItems.length,
  };

  // One grant through the safe write path: a right the grantee does not hold yet, so it is a real write.
  const enabledUsers = users.loadedItems.filter((node) => node.entity.state === 'ENABLED' && node.entity.userRole !== 'SYSTEM_USER');
  let pair: { mailbox: MailboxNode; grantee: MailboxNode } | undefined;
  for (const mailbox of enabledUsers) {
    const grants = grantsByMailbox.get(mailbox.entity.id) ?? [];
    if (grants.length >= 100) continue;
    const grantee = enabledUsers.find(
      (node) => node !== mailbox && !grants.some((g) => g.granteeId === node.entity.id && g.rights.includes('SEND_ON_BEHALF')),
    );
    if (grantee) {
      pair = { mailbox, grantee };
      break;
    }
  }
  if (!pair) throw new Error('no enabled mailbox and grantee pair to grant on');
  const rightsBefore = (grantsByMailbox.get(pair.mailbox.entity.id) ?? []).find((g) => g.granteeId === pair.grantee.entity.id)?.rights ?? [];
  const grant = await measured(() =>
    api.services.writer().apply({
      org: { region: orgNode.org.region, organizationId: orgId },
      mailboxId: pair.mailbox.entity.id,
      mailboxKind: 'user',
      granteeId: pair.grantee.entity.id,
      change: { kind: 'grant', add: ['SEND_ON_BEHALF'] },
      // As the commands do: the grantee was read from a directory page, so no Describe is needed to prove its ID.
      granteeFromDirectory: true,
    }),
  );
  const truthAfter = await admin<GroundTruthGrant[]>('GET', `/organizations/${orgId}/grants`);
  result.grant = {
    ms: grant.ms,
    calls: grant.calls,
    verified: grant.value.verified,
    noop: grant.value.noop,
    rightsBefore,
    rightsAfter: truthAfter.find((g) => g.mailboxId === pair.mailbox.entity.id && g.granteeId === pair.grantee.entity.id)?.rights ?? [],
  };
}
