// The scale figures of issue 15: a scan of 100,000 users (plus groups, resources and 500,000
// grants) in its own process (peak RSS), the reverse-lookup index built from that organization's
// grants, a tree page load at that size, and a resumed scan's calls against the calls the remainder
// needed. Everything runs against the emulator in this process; call counts come from its call log.
//
//   npx tsx bench/scale.ts [--quick]      standalone: prints the figures
//   (await import('./scale')).runScaleBench({ quick, log })   from the benchmark harness
//
// --quick: 5,000 users (and 2,000 for the resume figure), a minute or two.
// The same file is also the resume figure's scan process (`--checkpoint-child`, input in the
// environment, kept off the command line because it holds the emulator's access key).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { EMULATOR_CREDENTIALS, startEmulator, type Emulator } from '../emulator/index';
import { GENERATED_ORG_ID, generatedSeedDocument } from '../emulator/generate';
import { expandSeed, type SeedDocument, type SeedOrganization } from '../emulator/seed';
import { CheckpointWriter, checkpointKeyFor, readCheckpoint } from '../src/workmail/checkpoint';
import type { GroupMember, Membership } from '../src/workmail/groups';
import { AccessIndex } from '../src/workmail/reverse';
import { collectScan, listDirectory, type GrantRecord } from '../src/workmail/scan';
import { WorkMailSession } from '../src/workmail/session';
import type { OrgRef, Right } from '../src/workmail/types';
import { measureTreeInNode } from './nodeTree';
import { SCAN_RESULT_PREFIX, type ScanChildInput, type ScanChildResult } from './protocol';

export interface BenchFigure {
  name: string;
  measured: number;
  unit: string;
  target: string;
  met: boolean | null;
  note?: string;
}

const REGION = 'us-east-1';
const REPO_ROOT = path.resolve(__dirname, '..');
const CHILD_PREFIX = 'WORKMAIL-SCALE-CHILD:';
const TREE_LATENCY_MS = 50;

interface CheckpointChildInput extends ScanChildInput {
  readonly checkpoint: string;
  readonly resume: boolean;
}

interface CheckpointChildResult {
  readonly mailboxes: number;
  readonly grants: number;
  readonly failures: number;
  readonly resumedMailboxes: number;
}

function seedFor(users: number): { seed: SeedDocument; org: SeedOrganization } {
  const seed = expandSeed(generatedSeedDocument(users));
  const org = seed.accounts.flatMap((account) => account.organizations ?? []).find((o) => o.id === GENERATED_ORG_ID);
  if (!org) throw new Error(`the generated seed has no organization ${GENERATED_ORG_ID}`);
  return { seed, org };
}

function childInput(emulator: Emulator): ScanChildInput {
  return {
    endpoint: emulator.url,
    region: REGION,
    organizationId: GENERATED_ORG_ID,
    accessKeyId: EMULATOR_CREDENTIALS.default.accessKeyId,
    secretAccessKey: EMULATOR_CREDENTIALS.default.secretAccessKey,
  };
}

/** Runs a tsx script with its input in one environment variable; resolves with the line after `prefix`. */
async function runChild(script: string, args: string[], envName: string, input: unknown, prefix: string, log: (line: string) => void, killWhen?: () => boolean): Promise<{ line?: string; killed: boolean; code: number | null }> {
  // Node itself with tsx as a loader (not the tsx wrapper, which runs the script in a grandchild):
  // SIGKILL must end the process that is scanning.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, [envName]: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  let killed = false;
  const watch = killWhen
    ? setInterval(() => {
        if (!killed && killWhen()) {
          killed = true;
          child.kill('SIGKILL');
        }
      }, 20)
    : undefined;
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  if (watch) clearInterval(watch);
  const line = stdout.split('\n').find((l) => l.startsWith(prefix));
  if (!killed && (code !== 0 || !line)) {
    log(`[scale] child ${path.basename(script)} failed (exit ${code}):\n${stderr.slice(-2000)}`);
    throw new Error(`the ${path.basename(script)} process failed (exit ${code})`);
  }
  return { line: line?.slice(prefix.length).trim(), killed, code };
}

/** The scan as the extension keeps it, in bench/scanChild.ts: its peak RSS is its own. */
async function scanPeakRss(emulator: Emulator, users: number, log: (line: string) => void): Promise<BenchFigure[]> {
  log(`[scale] scanning ${users} users in a child process (bench/scanChild.ts)`);
  const started = performance.now();
  const { line } = await runChild(path.join(REPO_ROOT, 'bench', 'scanChild.ts'), [], 'WORKMAIL_BENCH_SCAN', childInput(emulator), SCAN_RESULT_PREFIX, log);
  const result = JSON.parse(line!) as ScanChildResult;
  const mb = result.maxRssBytes / (1024 * 1024);
  log(`[scale] scan: ${result.mailboxes} mailboxes, ${result.grants} grants, ${result.failures} failed, ${(result.durationMs / 1000).toFixed(1)} s, peak RSS ${mb.toFixed(0)} MB`);
  const note = `${result.mailboxes} mailboxes, ${result.grants} grants kept in memory as the extension keeps a finished scan; ${(result.durationMs / 1000).toFixed(0)} s without latency or rate limit (wall ${((performance.now() - started) / 1000).toFixed(0)} s); sampled peak ${(result.sampledPeakRssBytes / (1024 * 1024)).toFixed(0)} MB, heap at end ${(result.heapUsedBytesAtEnd / (1024 * 1024)).toFixed(0)} MB`;
  return [
    { name: `scan of ${users.toLocaleString('en-US')} users: peak RSS`, measured: Math.round(mb), unit: 'MB', target: '< 500', met: mb < 500, note },
    { name: `scan of ${users.toLocaleString('en-US')} users: failed mailboxes`, measured: result.failures, unit: 'mailboxes', target: '= 0', met: result.failures === 0 },
  ];
}

/**
 * The reverse-lookup index (who can open what) built from the organization's grants: the directory
 * as the scan lists it, grant records in the shape the scan yields them (from the emulator's ground
 * truth, so the organization is not read twice), membership from the seed.
 */
async function indexBuild(emulator: Emulator, org: SeedOrganization, log: (line: string) => void): Promise<BenchFigure> {
  const session = new WorkMailSession({ endpoint: emulator.url, credentials: async () => ({ ...EMULATOR_CREDENTIALS.default }) });
  try {
    const ref: OrgRef = { region: REGION, organizationId: GENERATED_ORG_ID };
    const directory = await listDirectory(session, ref);
    const readAt = new Date();
    const grants: GrantRecord[] = emulator.grants(GENERATED_ORG_ID).flatMap((grant) => {
      const mailbox = directory.entities.get(grant.mailboxId);
      if (!mailbox) return [];
      return [{ type: 'grant', org: ref, mailbox, granteeId: grant.granteeId, granteeType: grant.granteeType, grantee: directory.entities.get(grant.granteeId) ?? null, rights: grant.rights as Right[], readAt }];
    });
    const membership = new Map<string, GroupMember[]>();
    for (const group of org.groups ?? []) {
      membership.set(
        group.id,
        (group.members ?? []).map((id) => {
          const entity = directory.entities.get(id);
          return { id, kind: entity?.kind === 'group' ? 'group' : 'user', name: entity?.name, state: entity?.state };
        }),
      );
    }
    log(`[scale] building the reverse-lookup index from ${grants.length} grants and ${membership.size} groups`);
    const started = performance.now();
    const index = new AccessIndex(grants, membership as Membership, directory.entities);
    const built = (performance.now() - started) / 1000;
    const asked = performance.now();
    let entries = 0;
    for (const user of directory.users.slice(0, 1000)) entries += index.accessOf(user).length;
    const perQueryMs = (performance.now() - asked) / Math.min(1000, directory.users.length);
    log(`[scale] index built in ${built.toFixed(2)} s; ${perQueryMs.toFixed(3)} ms per person asked`);
    return {
      name: 'reverse-lookup index build',
      measured: Number(built.toFixed(3)),
      unit: 's',
      target: '< 5',
      met: built < 5,
      note: `${grants.length} grant records (the scan's shape, from the emulator's ground truth), ${membership.size} groups; then ${perQueryMs.toFixed(3)} ms per "what can this person open" (${entries} entries for 1,000 users)`,
    };
  } finally {
    session.dispose();
  }
}

/** The first page of Users as the tree loads it (bench/nodeTree.ts), at 50 ms latency. */
async function treePage(emulator: Emulator, users: number, log: (line: string) => void): Promise<BenchFigure> {
  emulator.setFaults({ latencyMs: TREE_LATENCY_MS });
  try {
    const result = await measureTreeInNode({ emulator, organizationId: GENERATED_ORG_ID, region: REGION, bucketRefillMs: 0 });
    const page = result.firstPage!;
    log(`[scale] first page of Users: ${page.ms.toFixed(1)} ms, ${page.calls.length} call(s)`);
    const serverMs = page.calls.reduce((sum, call) => sum + (call.durationMs ?? 0), 0);
    return {
      name: `tree: first page of Users at ${users.toLocaleString('en-US')} users`,
      measured: Number(page.ms.toFixed(1)),
      unit: 'ms',
      target: 'information',
      met: null,
      note: `${page.calls.length} call(s), ${page.children} rows; emulator side ${serverMs.toFixed(1)} ms of which ${TREE_LATENCY_MS} ms configured latency; measured in Node through the tree's calls (bench/nodeTree.ts)`,
    };
  } finally {
    emulator.setFaults({});
  }
}

/**
 * A checkpointed scan killed (SIGKILL) part-way, then resumed in a new process: its calls, from
 * the emulator's log, against the calls the mailboxes missing from the checkpoint need.
 */
async function resumedScan(emulator: Emulator, org: SeedOrganization, log: (line: string) => void): Promise<BenchFigure[]> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'workmail-scale-'));
  const checkpoint = path.join(folder, 'export.csv.scan-checkpoint.jsonl');
  const session = new WorkMailSession({ endpoint: emulator.url, credentials: async () => ({ ...EMULATOR_CREDENTIALS.default }) });
  try {
    const mailboxIds = [...(org.users ?? []), ...(org.groups ?? []), ...(org.resources ?? [])].map((e) => e.id);
    const directoryIds = new Set(mailboxIds);
    const script = path.join(REPO_ROOT, 'bench', 'scale.ts');
    const input = (resume: boolean): CheckpointChildInput => ({ ...childInput(emulator), checkpoint, resume });
    const killAt = Math.round(mailboxIds.length * 0.4);
    log(`[scale] resume: scanning ${mailboxIds.length} mailboxes with a checkpoint, killed after about ${killAt}`);
    emulator.clearCalls();
    const first = await runChild(script, ['--checkpoint-child'], 'WORKMAIL_SCALE_CHILD', input(false), CHILD_PREFIX, log, () =>
      emulator.calls().reduce((n, call) => n + (call.operation === 'ListMailboxPermissions' ? 1 : 0), 0) >= killAt,
    );
    if (!first.killed) throw new Error('the scan to interrupt finished before it was killed');
    const key = await checkpointKeyFor(session, { region: REGION, organizationId: GENERATED_ORG_ID });
    const found = readCheckpoint(checkpoint, key);
    if (found.state !== 'found') throw new Error(`no checkpoint to resume: ${found.state === 'refused' ? found.reason : 'none written'}`);
    const done = found.resume.done;

    // What the remainder needs: every page of every mailbox not in the checkpoint, and one
    // Describe per grantee outside the directory that the checkpoint has not described.
    const grantsPer = new Map<string, number>();
    const unknownIn = new Map<string, Set<string>>();
    for (const grant of emulator.grants(GENERATED_ORG_ID)) {
      grantsPer.set(grant.mailboxId, (grantsPer.get(grant.mailboxId) ?? 0) + 1);
      if (!directoryIds.has(grant.granteeId)) {
        let set = unknownIn.get(grant.mailboxId);
        if (!set) unknownIn.set(grant.mailboxId, (set = new Set()));
        set.add(grant.granteeId);
      }
    }
    let remainder = 0;
    const describes = new Set<string>();
    for (const id of mailboxIds) {
      if (done.has(id)) continue;
      remainder += Math.max(1, Math.ceil((grantsPer.get(id) ?? 0) / 100));
      for (const grantee of unknownIn.get(id) ?? []) if (!found.resume.described.has(grantee)) describes.add(grantee);
    }
    remainder += describes.size;

    emulator.clearCalls();
    const second = await runChild(script, ['--checkpoint-child'], 'WORKMAIL_SCALE_CHILD', input(true), CHILD_PREFIX, log);
    const result = JSON.parse(second.line!) as CheckpointChildResult;
    const calls = emulator.calls().filter((call) => call.errorCode !== 'ThrottlingException');
    const byOperation: Record<string, number> = {};
    for (const call of calls) byOperation[call.operation ?? '?'] = (byOperation[call.operation ?? '?'] ?? 0) + 1;
    const ratio = calls.length / remainder;
    const complete = result.grants === emulator.grants(GENERATED_ORG_ID).length && result.failures === 0 && !fs.existsSync(checkpoint);
    log(`[scale] resumed: ${calls.length} calls for a remainder of ${remainder} (${done.size} of ${mailboxIds.length} mailboxes were in the checkpoint); ratio ${ratio.toFixed(4)}`);
    return [
      {
        name: 'resumed scan: calls / calls of the remainder',
        measured: Number(ratio.toFixed(4)),
        unit: 'ratio',
        target: '≤ 1.02',
        met: ratio <= 1.02,
        note: `${mailboxIds.length} mailboxes; killed (SIGKILL) with ${done.size} in the checkpoint; resumed in a new process: ${calls.length} calls (${Object.entries(byOperation).map(([op, n]) => `${op} ${n}`).join(', ')}) for a remainder of ${remainder}`,
      },
      {
        name: 'resumed scan: complete and equal to the organization',
        measured: complete ? 1 : 0,
        unit: 'yes/no',
        target: '= 1',
        met: complete,
        note: `${result.grants} grants read (earlier part from the checkpoint), ${result.failures} failed mailboxes, checkpoint ${fs.existsSync(checkpoint) ? 'still there' : 'deleted'} at the end`,
      },
    ];
  } finally {
    session.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

export async function runScaleBench(options: { quick: boolean; log: (line: string) => void }): Promise<BenchFigure[]> {
  const { log } = options;
  const users = options.quick ? 5_000 : 100_000;
  const resumeUsers = options.quick ? 2_000 : 10_000;
  const figures: BenchFigure[] = [];
  log(`[scale] generating an organization of ${users} users`);
  const big = seedFor(users);
  log(`[scale] ${big.org.users?.length} users, ${big.org.groups?.length} groups, ${big.org.resources?.length} resources, ${big.org.grants?.length} grants`);
  const emulator = await startEmulator({ port: 0, seed: big.seed, faults: {} });
  try {
    figures.push(...(await scanPeakRss(emulator, users, log)));
    figures.push(await indexBuild(emulator, big.org, log));
    figures.push(await treePage(emulator, users, log));
    const small = seedFor(resumeUsers);
    emulator.reset(small.seed);
    emulator.clearCalls();
    figures.push(...(await resumedScan(emulator, small.org, log)));
  } finally {
    await emulator.stop();
  }
  return figures;
}

// ---------------------------------------------------------------------------------------------
// The resume figure's scan process.

async function checkpointChild(): Promise<void> {
  const input = JSON.parse(process.env.WORKMAIL_SCALE_CHILD ?? '{}') as CheckpointChildInput;
  delete process.env.WORKMAIL_SCALE_CHILD;
  const session = new WorkMailSession({
    endpoint: input.endpoint,
    credentials: async () => ({ accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey }),
  });
  const org: OrgRef = { region: input.region, organizationId: input.organizationId };
  const key = await checkpointKeyFor(session, org);
  let resume;
  if (input.resume) {
    const found = readCheckpoint(input.checkpoint, key);
    if (found.state !== 'found') throw new Error(found.state === 'refused' ? found.reason : 'no checkpoint to resume');
    resume = found.resume;
  }
  const snapshot = await collectScan(session, org, { checkpoint: new CheckpointWriter(input.checkpoint, key), resume });
  const result: CheckpointChildResult = {
    mailboxes: snapshot.directory.users.length + snapshot.directory.groups.length + snapshot.directory.resources.length,
    grants: snapshot.grants.length,
    failures: snapshot.failures.length,
    resumedMailboxes: resume?.done.size ?? 0,
  };
  session.dispose();
  process.stdout.write(`${CHILD_PREFIX} ${JSON.stringify(result)}\n`);
}

function formatFigures(figures: readonly BenchFigure[]): string {
  const rows = figures.map((f) => [f.name, `${f.measured} ${f.unit}`, f.target, f.met === null ? '—' : f.met ? 'pass' : 'FAIL']);
  const header = ['figure', 'measured', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const notes = figures.filter((f) => f.note).map((f) => `- ${f.name}: ${f.note}`);
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line), '', ...notes].join('\n');
}

if (path.basename(process.argv[1] ?? '') === 'scale.ts') {
  const args = process.argv.slice(2);
  if (args.includes('--checkpoint-child')) {
    checkpointChild().catch((error: unknown) => {
      process.stderr.write(`[scale child] ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exit(1);
    });
  } else {
    const unknown = args.filter((a) => a !== '--quick');
    if (unknown.length) {
      process.stderr.write(`Unknown argument ${unknown.join(' ')}\nUsage: npx tsx bench/scale.ts [--quick]\n`);
      process.exit(2);
    }
    runScaleBench({ quick: args.includes('--quick'), log: (line) => process.stderr.write(`${line}\n`) }).then(
      (figures) => {
        process.stdout.write(`${formatFigures(figures)}\n`);
        process.exit(figures.every((f) => f.met !== false) ? 0 : 1);
      },
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
        process.exit(2);
      },
    );
  }
}
