// `npm run bench`: the performance figures of docs/PERFORMANCE.md, measured against the local
// WorkMail emulator with a per-call latency and a rate limit, each printed and recorded beside its
// target with whether it is met. Call counts come from the emulator's own call log, never from the
// code under measurement. Where the machine's load would swamp an absolute time, the figure is a
// ratio of two things measured side by side in the same run: activation against a minimal
// extension in the same extension host, the product's export against a boto3 script on the same
// emulator settings, the scan against what the rate limit allows.
//
//   npm run bench                       every figure (about 20 minutes, more when bench/scale.ts is present)
//   npm run bench -- --quick            a small version of everything, in a few minutes
//   npm run bench -- --routes-only --out /tmp/routes.json   the route figures of issue 27 alone
//   npm run bench -- --help             every flag
//
// Exit code: 0 when every measured figure meets its target, 1 when one does not, 2 when the
// benchmark itself could not run.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { EMULATOR_CREDENTIALS, startEmulator, type CallRecord, type Emulator } from '../emulator/index';
import { GENERATED_ORG_ID, generatedSeedDocument } from '../emulator/generate';
import { expandSeed, type SeedDocument, type SeedOrganization } from '../emulator/seed';
import { CODE_SERVER_VERSION } from '../scripts/code-server.mjs';
import { Cleanup, log, REPO_ROOT } from '../scripts/lib/harness.mjs';
import { runInExtensionHost, stageExtension } from './host';
import {
  BUNDLE_FILES,
  evaluate,
  figureFromVerdict,
  formatBytes,
  formatFigureTable,
  idealScanCalls,
  idealSeconds,
  infoFigure,
  isBenchFigure,
  limitLabel,
  median,
  parseBenchArgs,
  roundTrips,
  scanLimits,
  scanLimitSelected,
  tallyCalls,
  targetFigure,
  USAGE,
  UsageError,
  type BenchFigure,
  type BenchParameters,
  type LoggedCall,
  type ScanLimit,
  type ScanWorkload,
} from './lib';
import { measureTreeInNode } from './nodeTree';
import { DEFAULT_MODEL_PATH, runRouteBench } from './routes';
import { runPeer } from './peer';
import { SCAN_RESULT_PREFIX, type HostResult, type ScanChildInput, type ScanChildResult } from './protocol';
import { measureUi } from './ui';

const REGION = 'us-east-1';
/** The emulator settings of the side-by-side comparison with the boto3 script (issue 15). */
const PEER_LIMIT = { rateLimitPerSecond: 50, latencyMs: 200 } as const;

function bench(message: string): void {
  log('bench', message);
}

/** The generated organization of a seed expanded by the emulator's own generator. */
function generatedOrg(seed: SeedDocument): SeedOrganization {
  const org = seed.accounts.flatMap((account) => account.organizations ?? []).find((o) => o.id === GENERATED_ORG_ID);
  if (!org) throw new Error(`the generated seed has no organization ${GENERATED_ORG_ID}`);
  return org;
}

function seedFor(users: number): { seed: SeedDocument; org: SeedOrganization } {
  const seed = expandSeed(generatedSeedDocument(users));
  return { seed, org: generatedOrg(seed) };
}

// ---------------------------------------------------------------------------------------------
// Bundle and package

interface BundleFigures {
  /** dist/extension.js (what activation loads), dist/deferred.js (commands loaded after it) and dist/workmail.js (the SDK, loaded on first call). */
  bundleBytes: number;
  extensionJsBytes: number;
  deferredJsBytes: number;
  workmailJsBytes: number;
  vsixBytes: number;
  notes: string[];
  /** The staged copy of the production bundle that was measured. */
  bundlePath: string;
}

function measureBundle(stage: string): BundleFigures {
  bench('building the production bundle (node scripts/build.mjs --production)');
  const built = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs'), '--production'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`the production build failed (exit ${built.status ?? built.signal})`);
  // Packaged from a copy, so another build writing dist/ meanwhile cannot change what is measured.
  const pkg = join(stage, 'package');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  for (const file of BUNDLE_FILES) {
    cpSync(join(REPO_ROOT, 'dist', file), join(pkg, 'dist', file));
  }
  for (const file of ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (existsSync(join(REPO_ROOT, file))) cpSync(join(REPO_ROOT, file), join(pkg, file));
  }
  cpSync(join(REPO_ROOT, 'media'), join(pkg, 'media'), { recursive: true });
  cpSync(join(REPO_ROOT, 'docs', 'images'), join(pkg, 'docs', 'images'), { recursive: true });
  const vsix = join(stage, 'workmail-permissions.vsix');
  const vsce = join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  const pack = (extra: string[]) =>
    spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', ...extra, '--out', vsix], { cwd: pkg, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  let packaged = pack([]);
  const notes: string[] = [];
  if (packaged.status !== 0 && /Couldn't detect the repository/.test(`${packaged.stderr}${packaged.stdout}`)) {
    // vsce refuses relative README images without a repository URL; the size does not depend on the URL.
    notes.push('vsce needed --baseContentUrl/--baseImagesUrl: package.json has no "repository" and README.md links relative images');
    packaged = pack(['--baseContentUrl', 'https://example.invalid/', '--baseImagesUrl', 'https://example.invalid/']);
  }
  if (packaged.status !== 0) throw new Error(`vsce package failed (exit ${packaged.status ?? packaged.signal}):\n${packaged.stderr}${packaged.stdout}`);
  const extensionJsBytes = statSync(join(pkg, 'dist', 'extension.js')).size;
  const deferredJsBytes = statSync(join(pkg, 'dist', 'deferred.js')).size;
  const workmailJsBytes = statSync(join(pkg, 'dist', 'workmail.js')).size;
  return { bundleBytes: extensionJsBytes + deferredJsBytes + workmailJsBytes, extensionJsBytes, deferredJsBytes, workmailJsBytes, vsixBytes: statSync(vsix).size, notes, bundlePath: join(pkg, 'dist', 'extension.js') };
}

/**
 * `require` of the production bundle in fresh plain Node processes (vscode stubbed): the part of
 * activation that is only evaluating modules, to tell it apart from what activate() itself does.
 */
function measureModuleLoad(bundle: string, runs: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const probe = spawnSync(process.execPath, [join(REPO_ROOT, 'bench', 'load-probe.cjs'), bundle], { encoding: 'utf8' });
    if (probe.status !== 0) throw new Error(`loading the bundle in plain Node failed:\n${probe.stderr}`);
    samples.push((JSON.parse(probe.stdout.trim()) as { loadMs: number }).loadMs);
  }
  return samples;
}

// ---------------------------------------------------------------------------------------------
// The scan, in a child process

async function runScanChild(emulator: Emulator): Promise<ScanChildResult> {
  const input: ScanChildInput = {
    endpoint: emulator.url,
    region: REGION,
    organizationId: GENERATED_ORG_ID,
    accessKeyId: EMULATOR_CREDENTIALS.default.accessKeyId,
    secretAccessKey: EMULATOR_CREDENTIALS.default.secretAccessKey,
  };
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [join(REPO_ROOT, 'bench', 'scanChild.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, WORKMAIL_BENCH_SCAN: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  const line = stdout.split('\n').find((l) => l.startsWith(SCAN_RESULT_PREFIX));
  if (code !== 0 || !line) throw new Error(`the scan process failed (exit ${code}):\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(SCAN_RESULT_PREFIX.length)) as ScanChildResult;
}

function scanWorkload(org: SeedOrganization, emulator: Emulator): ScanWorkload {
  const users = org.users ?? [];
  const groups = org.groups ?? [];
  const resources = org.resources ?? [];
  const directoryIds = new Set([...users, ...groups, ...resources].map((e) => e.id));
  const grantsPerMailbox = new Map<string, number>();
  const unknown = new Set<string>();
  for (const grant of emulator.grants(GENERATED_ORG_ID)) {
    grantsPerMailbox.set(grant.mailboxId, (grantsPerMailbox.get(grant.mailboxId) ?? 0) + 1);
    if (!directoryIds.has(grant.granteeId)) unknown.add(grant.granteeId);
  }
  return {
    users: users.length,
    groups: groups.length,
    resources: resources.length,
    grantsPerMailbox,
    // The scan reads every mailbox the directory lists: users (all states and roles), groups, resources.
    mailboxIds: [...users, ...groups, ...resources].map((e) => e.id),
    unknownGrantees: unknown.size,
  };
}

// ---------------------------------------------------------------------------------------------

function machine(): Record<string, unknown> {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model,
    totalMemoryMb: Math.round(totalmem() / (1024 * 1024)),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    // Other work on the machine changes every timing here; the load average says how much there was.
    loadAverageAtEnd: loadavg().map((n) => Number(n.toFixed(2))),
  };
}

function callsOf(emulator: Emulator): LoggedCall[] {
  return emulator.calls().map((call: CallRecord) => ({ operation: call.operation, status: call.status, errorCode: call.errorCode }));
}

function worst(values: readonly number[]): number | null {
  return values.length ? Math.max(...values) : null;
}

interface ScanAtLimit {
  readonly limit: ScanLimit;
  readonly ratio: number;
  readonly failed: number;
  readonly peakRssMb: number;
  readonly detail: Record<string, unknown>;
}

/** One scan of a generated organization at one rate limit and latency, in its own process. */
async function scanAt(emulator: Emulator, limit: ScanLimit): Promise<ScanAtLimit> {
  const { org, seed } = seedFor(limit.users);
  emulator.reset(seed);
  // The bucket holds one second of calls, as the emulator's default.
  emulator.setFaults({ latencyMs: limit.latencyMs, rateLimitPerSecond: limit.rateLimitPerSecond, rateLimitBurst: limit.rateLimitPerSecond });
  const workload = scanWorkload(org, emulator);
  const ideal = idealScanCalls(workload);
  const idealS = idealSeconds(ideal.total, limit.rateLimitPerSecond, limit.rateLimitPerSecond);
  bench(`scan at ${limitLabel(limit)}: ${limit.users} users (${workload.mailboxIds.length} mailboxes), at least ${ideal.total} calls, ideal ${idealS.toFixed(1)} s`);
  // Let the bucket fill, as the ideal time assumes it starts full.
  await new Promise((resolve) => setTimeout(resolve, 1200));
  emulator.clearCalls();
  const wallStarted = performance.now();
  const child = await runScanChild(emulator);
  const wallMs = performance.now() - wallStarted;
  const tally = tallyCalls(callsOf(emulator));
  emulator.clearCalls();
  const ratio = idealS === 0 ? 1 : idealS / (child.durationMs / 1000);
  const peakRssMb = child.maxRssBytes / (1024 * 1024);
  bench(`scan at ${limitLabel(limit)}: ${(child.durationMs / 1000).toFixed(1)} s, ideal/measured ${ratio.toFixed(3)}, ${tally.total} calls (${tally.throttled} throttled), ${child.failures} failed mailboxes, peak RSS ${peakRssMb.toFixed(0)} MB`);
  const c = child.concurrency;
  bench(
    `scan at ${limitLabel(limit)}: directory listed in ${((child.directoryMs ?? Number.NaN) / 1000).toFixed(1)} s` +
      (c ? `; limit ${String(c.initial)} → peak ${String(c.peak)}, lowest after it ${String(c.lowestAfterPeak)}, ${String(c.decreases)} cuts, ${String(c.throttles)} throttles heard, ${String(c.limit)} at the end` : ''),
  );
  return {
    limit,
    ratio,
    failed: child.failures,
    peakRssMb,
    detail: {
      ...limit,
      mailboxes: workload.mailboxIds.length,
      mailboxesScanned: child.mailboxes,
      grants: child.grants,
      failedMailboxes: child.failures,
      failureCodes: child.failureCodes,
      idealCalls: ideal,
      idealSeconds: idealS,
      measuredSeconds: child.durationMs / 1000,
      processWallSeconds: wallMs / 1000,
      ratio,
      emulatorCalls: tally,
      callsAboveIdeal: tally.answered - ideal.total,
      sdkCalls: child.sdkCalls,
      sdkCallOutcomes: child.sdkCallOutcomes,
      peakRssBytes: child.maxRssBytes,
      sampledPeakRssBytes: child.sampledPeakRssBytes,
      heapUsedBytesAtEnd: child.heapUsedBytesAtEnd,
      directorySeconds: child.directoryMs === undefined ? null : child.directoryMs / 1000,
      concurrency: child.concurrency ?? null,
    },
  };
}

/** Figures of bench/scale.ts (written on the scan branch), when the file exists. */
async function scaleFigures(quick: boolean): Promise<{ figures: BenchFigure[]; note?: string }> {
  const file = join(REPO_ROOT, 'bench', 'scale.ts');
  if (!existsSync(file)) return { figures: [], note: 'bench/scale.ts is not in this tree: the 100,000-user figures (peak RSS, reverse-lookup index, tree page, resumed scan) were not measured' };
  const scale = (await import(pathToFileURL(file).href)) as { runScaleBench?: (options: { quick: boolean; log: (line: string) => void }) => Promise<unknown> };
  if (typeof scale.runScaleBench !== 'function') return { figures: [], note: 'bench/scale.ts exports no runScaleBench: its figures were not measured' };
  const returned = await scale.runScaleBench({ quick, log: (line) => bench(line) });
  if (!Array.isArray(returned) || !returned.every(isBenchFigure)) throw new Error(`bench/scale.ts returned something other than BenchFigure[]: ${JSON.stringify(returned).slice(0, 500)}`);
  return { figures: returned };
}

/**
 * Per-host ratios: each of two activations timed in the same host, seconds apart. With
 * `minimalFirstOnly`, only the hosts where the minimal extension went first: after the extension's
 * activation the workbench is still taking in its tree view and commands, and the minimal
 * extension's activation waits for that (measured: 25–45 ms instead of 5–9), which would make the
 * extension look no slower than it.
 */
function activationRatios(results: readonly HostResult[], minimalFirstOnly = false): number[] {
  return results.flatMap((r) =>
    (!minimalFirstOnly || r.minimalFirst === true) &&
    r.activateMs !== undefined && r.minimalActivateMs !== undefined && !r.alreadyActive && !r.minimalAlreadyActive && r.minimalActivateMs > 0 ? [r.activateMs / r.minimalActivateMs] : [],
  );
}

async function main(params: BenchParameters): Promise<number> {
  const cleanup = new Cleanup();
  cleanup.installSignalHandlers(2);
  const startedAt = new Date();
  const loadAverageAtStart = loadavg().map((n) => Number(n.toFixed(2)));
  const stage = mkdtempSync(join(tmpdir(), 'workmail-bench-stage-'));
  cleanup.add('stage folder', () => rmSync(stage, { recursive: true, force: true }));
  const figures: BenchFigure[] = [];
  const notMeasured: string[] = [];
  const detail: Record<string, unknown> = {};
  let measuredIn = '';
  /**
   * Writes the results as far as they go: after every part of the run, so a run stopped before its
   * end (a deadline, a crash) still leaves the figures it measured, marked incomplete.
   */
  const record = (complete: boolean) => {
    const measuredFigures = figures.filter((f) => f.met !== null);
    const results = {
      date: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      complete,
      allMet: measuredFigures.every((f) => f.met),
      parameters: params,
      machine: { ...machine(), loadAverageAtStart },
      measuredIn,
      // JSON has no NaN: a figure not measured is recorded with measured null.
      figures: figures.map((f) => ({ ...f, measured: Number.isFinite(f.measured) ? f.measured : null })),
      notMeasured,
      detail,
    };
    mkdirSync(dirname(params.out), { recursive: true });
    writeFileSync(`${params.out}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
    renameSync(`${params.out}.tmp`, params.out);
    return results;
  };
  const one = (figure: string, value: number | null): BenchFigure => figureFromVerdict(evaluate({ [figure]: value }).find((v) => v.figure === figure)!);
  /** The scans at the four limits (or those --scan-limits names), their figures and detail. */
  const runScans = async (emulator: Emulator): Promise<void> => {
    const scans: ScanAtLimit[] = [];
    if (params.skipScan) {
      notMeasured.push('scans at the four limits (--skip-scan)');
    } else {
      for (const limit of scanLimits(params.quick, params.scanUsers)) {
        if (scanLimitSelected(limit, params.scanLimitFilter)) scans.push(await scanAt(emulator, limit));
        else notMeasured.push(`scan at ${limitLabel(limit)} (not in --scan-limits)`);
      }
    }
    for (const limit of scanLimits(params.quick, params.scanUsers)) {
      const scan = scans.find((s) => s.limit === limit || (s.limit.rateLimitPerSecond === limit.rateLimitPerSecond && s.limit.latencyMs === limit.latencyMs));
      figures.push(targetFigure(`scan at ${limitLabel(limit)}: ideal / measured`, scan?.ratio ?? null, '', 'ge', 0.9, scan ? `${scan.limit.users} users, ${String(scan.detail.mailboxes)} mailboxes` : undefined));
      figures.push(targetFigure(`scan at ${limitLabel(limit)}: failed mailboxes`, scan?.failed ?? null, 'mailboxes', 'eq', 0));
    }
    const largest = scans.length ? scans.reduce((a, b) => (a.limit.users >= b.limit.users ? a : b)) : undefined;
    const rss = one('peakRssMb', largest?.peakRssMb ?? null);
    figures.push(largest ? { ...rss, note: `${largest.limit.users} users` } : rss);
    detail.scans = scans.map((s) => s.detail);
  };
  /** Issue 27: the route reads' calls and the who-can-open time (bench/routes.ts, its own emulator). */
  const runRoutes = async (): Promise<void> => {
    if (params.skipRoutes) {
      notMeasured.push('route reads and who-can-open (--skip-routes)');
      return;
    }
    const routes = await runRouteBench({ users: params.routesUsers, samples: params.routesSamples, log: (line) => bench(line), modelPath: DEFAULT_MODEL_PATH });
    figures.push(...routes.figures);
    detail.routes = routes.detail;
  };
  try {
    if (params.routesOnly) {
      measuredIn = 'node (--routes-only: the route figures alone, emulator in the same process)';
      notMeasured.push('bundle, activation, tree, editor, scan, peer and scale figures (--routes-only)');
      await runRoutes();
      const results = record(true);
      process.stdout.write(`\nWorkMail Permissions benchmark, route figures only, ${startedAt.toISOString()} – ${results.finishedAt}\n\n${formatFigureTable(figures)}\n\n`);
      for (const line of notMeasured) process.stdout.write(`not measured: ${line}\n`);
      process.stdout.write(`results: ${relative(process.cwd(), params.out) || params.out}\n`);
      return results.allMet ? 0 : 1;
    }
    if (params.scanOnly) {
      const emulator = await startEmulator({ port: 0, seed: seedFor(1).seed });
      cleanup.add('emulator', () => emulator.stop());
      measuredIn = 'node (--scan-only: the scans alone)';
      notMeasured.push('bundle, activation, tree, editor, peer and scale figures (--scan-only)');
      await runScans(emulator);
      const results = record(true);
      process.stdout.write(`\nWorkMail Permissions benchmark, scans only, ${startedAt.toISOString()} – ${results.finishedAt}\n\n${formatFigureTable(figures)}\n\n`);
      for (const line of notMeasured) process.stdout.write(`not measured: ${line}\n`);
      process.stdout.write(`results: ${relative(process.cwd(), params.out) || params.out}\n`);
      return results.allMet ? 0 : 1;
    }
    const bundle = measureBundle(stage);
    bench(`dist/extension.js ${formatBytes(bundle.extensionJsBytes)} + dist/deferred.js ${formatBytes(bundle.deferredJsBytes)} + dist/workmail.js ${formatBytes(bundle.workmailJsBytes)}, .vsix ${formatBytes(bundle.vsixBytes)}`);

    const moduleLoadSamples = measureModuleLoad(bundle.bundlePath, params.activationRuns);
    bench(`require() of the bundle in plain Node: median ${median(moduleLoadSamples).toFixed(1)} ms`);

    const faults = { latencyMs: params.latencyMs, rateLimitPerSecond: params.rateLimitPerSecond, rateLimitBurst: params.rateLimitBurst };
    const tree = seedFor(params.users);
    const emulator = await startEmulator({ port: 0, seed: tree.seed, faults });
    cleanup.add('emulator', () => emulator.stop());
    bench(`emulator at ${emulator.url}: ${params.users} users, ${params.latencyMs} ms per call, ${params.rateLimitPerSecond} requests/s (burst ${params.rateLimitBurst})`);
    const bucketRefillMs = Math.ceil((params.rateLimitBurst / params.rateLimitPerSecond) * 1000) + 200;

    // Activation (side by side with the minimal extension) and the tree figures.
    let hostResults: HostResult[];
    if (params.noHost) {
      measuredIn = 'node (same session and directory-cache calls as the tree nodes; no extension host)';
      hostResults = [await measureTreeInNode({ emulator, organizationId: GENERATED_ORG_ID, region: REGION, bucketRefillMs })];
    } else {
      hostResults = await runInExtensionHost(
        {
          emulatorUrl: emulator.url,
          organizationId: GENERATED_ORG_ID,
          runs: params.activationRuns,
          bucketRefillMs,
          verbose: params.verbose,
          cleanup,
          // The copy measured above, so a build running elsewhere meanwhile cannot swap it.
          bundlePath: bundle.bundlePath,
        },
        // The tree figures are call counts (the worst of the runs): two runs show them, and on a busy
        // machine each costs minutes at 10,000 users, which the activation samples do not need.
        Math.min(2, params.activationRuns),
      );
      measuredIn = `extension host (code-server ${CODE_SERVER_VERSION}, VS Code ${hostResults[0]?.vscodeVersion ?? '?'}, Node ${hostResults[0]?.nodeVersion ?? '?'})`;
    }
    const activationSamples = hostResults.filter((r) => r.activateMs !== undefined && !r.alreadyActive).map((r) => r.activateMs!);
    const minimalSamples = hostResults.filter((r) => r.minimalActivateMs !== undefined && !r.minimalAlreadyActive).map((r) => r.minimalActivateMs!);
    const ratios = activationRatios(hostResults, true);
    const allRatios = activationRatios(hostResults);
    const firstPages = hostResults.flatMap((r) => (r.firstPage ? [r.firstPage] : []));
    const expands = hostResults.flatMap((r) => (r.granteeExpand ? [r.granteeExpand] : []));
    const grants = hostResults.flatMap((r) => (r.grant ? [r.grant] : []));

    figures.push(one('bundleBytes', bundle.bundleBytes));
    figures.push(
      targetFigure(
        'activation ÷ minimal extension (same host, minimal first, median)',
        ratios.length ? median(ratios) : null,
        '×',
        'le',
        3,
        ratios.length ? `per run: ${ratios.map((r) => r.toFixed(1)).join(', ')}` : undefined,
      ),
    );
    figures.push(
      infoFigure(
        'activation ÷ minimal extension (either order, median)',
        allRatios.length ? median(allRatios) : null,
        '×',
        'when the extension goes first, the minimal one waits for the workbench to take in its view and commands',
      ),
    );
    figures.push(infoFigure('activation (median)', activationSamples.length ? median(activationSamples) : null, 'ms', 'absolute, depends on the machine’s load'));
    figures.push(infoFigure('minimal extension activation (median)', minimalSamples.length ? median(minimalSamples) : null, 'ms'));
    figures.push(one('firstPageCalls', worst(firstPages.map((p) => p.calls.length))));
    figures.push(one('granteeExpandCalls', worst(expands.map((e) => e.calls.length))));
    figures.push(one('grantCalls', worst(grants.map((g) => g.calls.length))));
    Object.assign(detail, {
      bundleBytes: { extensionJs: bundle.extensionJsBytes, deferredJs: bundle.deferredJsBytes, workmailJs: bundle.workmailJsBytes, vsix: bundle.vsixBytes, notes: bundle.notes },
      activation: {
        medianMs: activationSamples.length ? median(activationSamples) : null,
        minimalMedianMs: minimalSamples.length ? median(minimalSamples) : null,
        ratios,
        ratiosEitherOrder: allRatios,
        samples: hostResults.map((r) => ({ extensionMs: r.activateMs ?? null, minimalMs: r.minimalActivateMs ?? null, minimalFirst: r.minimalFirst ?? null, warmupMs: r.warmupActivateMs ?? null, alreadyActive: r.alreadyActive ?? null })),
        settleMs: hostResults[0]?.settleMs ?? null,
        moduleLoadMsPlainNode: { median: median(moduleLoadSamples), samples: moduleLoadSamples },
      },
      firstPageMs: firstPages.length ? median(firstPages.map((p) => p.ms)) : null,
      // The emulator's own time for the call (its latency included): what is left is the client's share.
      firstPageServerMs: firstPages.length ? median(firstPages.map((p) => p.calls.reduce((sum, c) => sum + (c.durationMs ?? 0), 0))) : null,
      firstPage: firstPages,
      granteeExpand: expands,
      grant: grants,
    });

    record(false);

    // What a person waits for in the editor, at the tree figures' latency.
    if (params.skipUi || params.noHost) {
      notMeasured.push('editor waits (--skip-ui or --no-host)');
      figures.push(targetFigure('editor: click Users → first page visible (median)', null, 'round trips', 'le', 2));
    } else {
      const extensionPath = stageExtension(join(stage, 'ui'), bundle.bundlePath);
      const samples = await measureUi({
        emulator,
        organizationAlias: tree.org.alias ?? 'generated',
        organizationId: GENERATED_ORG_ID,
        extensionPath,
        users: tree.org.users ?? [],
        samples: params.uiSamples,
        bucketRefillMs,
        verbose: params.verbose,
      });
      // The target: Users clicked a moment after the organization, whose opening read the first page
      // ahead (one ListUsers between the two clicks, none on the Users click). A sample without that
      // call showed a list the window had restored and loaded by itself: not this path, left out.
      const readAhead = samples.filter((s) => s.usersReadAheadCalls === 1 && s.usersFirstPage.calls.total === 0);
      const usersMs = median(readAhead.map((s) => s.usersFirstPage.ms));
      // Users after Refresh: nothing read ahead, the click waits for its one ListUsers.
      const refreshed = samples.filter((s) => s.usersFirstPageAfterRefresh.calls.total > 0);
      const refreshedMs = median(refreshed.map((s) => s.usersFirstPageAfterRefresh.ms));
      const granteesMs = median(samples.map((s) => s.mailboxGrantees.ms));
      const organizationMs = median(samples.map((s) => s.organizationExpand.ms));
      figures.push(
        targetFigure(
          'editor: click Users → first page visible (median)',
          readAhead.length ? roundTrips(usersMs, params.latencyMs) : null,
          'round trips',
          'le',
          2,
          `${usersMs.toFixed(0)} ms at ${params.latencyMs} ms latency; read ahead when the organization opened (${readAhead.length} of ${samples.length} samples), no call on the click`,
        ),
      );
      figures.push(
        infoFigure(
          'editor: click Users after its Refresh (nothing read ahead) → first page visible',
          refreshed.length ? roundTrips(refreshedMs, params.latencyMs) : null,
          'round trips',
          `${refreshedMs.toFixed(0)} ms; calls ${worst(samples.map((s) => s.usersFirstPageAfterRefresh.calls.total))}`,
        ),
      );
      figures.push(
        infoFigure('editor: expand a mailbox → grantees visible (median)', roundTrips(granteesMs, params.latencyMs), 'round trips', `${granteesMs.toFixed(0)} ms at ${params.latencyMs} ms latency; calls ${worst(samples.map((s) => s.mailboxGrantees.calls.total))}`),
      );
      figures.push(
        infoFigure('editor: click an organization → its categories (no call)', roundTrips(organizationMs, params.latencyMs), 'round trips', `${organizationMs.toFixed(0)} ms`),
      );
      figures.push(
        infoFigure('editor: Users after its Refresh, beyond that cost', refreshed.length ? roundTrips(refreshedMs - organizationMs, params.latencyMs) : null, 'round trips', `${(refreshedMs - organizationMs).toFixed(0)} ms`),
      );
      const phased = refreshed.flatMap((s) => (s.usersFirstPageAfterRefresh.phases ? [s.usersFirstPageAfterRefresh.phases] : []));
      if (phased.length) {
        const before = median(phased.map((p) => p.beforeFirstCallMs));
        const during = median(phased.map((p) => p.callsMs));
        const after = median(phased.map((p) => p.afterLastCallMs));
        figures.push(
          infoFigure('editor: Users after Refresh, the call itself', roundTrips(during, params.latencyMs), 'round trips', `click → call ${before.toFixed(0)} ms, call ${during.toFixed(0)} ms, answer → rows ${after.toFixed(0)} ms (medians)`),
        );
      }
      detail.editor = { organizationExpandMs: organizationMs, readAheadSamples: readAhead.length, usersAfterRefreshMs: refreshedMs, latencyMs: params.latencyMs, usersFirstPageMs: usersMs, mailboxGranteesMs: granteesMs, samples };
    }

    record(false);

    await runScans(emulator);
    record(false);

    await runRoutes();
    record(false);

    // The peer, side by side, at 200 ms and 50 requests/s.
    if (params.skipPeer) {
      notMeasured.push('the boto3 peer (--skip-peer)');
      figures.push(targetFigure('boto3 script ÷ product export: wall time', null, '×', 'ge', 2));
    } else {
      const { seed } = seedFor(params.peerUsers);
      emulator.reset(seed);
      emulator.setFaults({ latencyMs: PEER_LIMIT.latencyMs, rateLimitPerSecond: PEER_LIMIT.rateLimitPerSecond, rateLimitBurst: PEER_LIMIT.rateLimitPerSecond });
      const peer = await runPeer({ emulator, organizationId: GENERATED_ORG_ID, region: REGION, bucketRefillMs: 1200, dir: stage, log: (line) => bench(line) });
      const context = `${params.peerUsers} users at ${limitLabel(PEER_LIMIT)}: product ${peer.product.wallSeconds.toFixed(1)} s, boto3 ${peer.boto3.wallSeconds.toFixed(1)} s`;
      figures.push(targetFigure('boto3 script ÷ product export: wall time', peer.ratio, '×', 'ge', 2, context));
      figures.push(
        targetFigure('boto3 and product exports hold the same rows', peer.comparison.equal ? 1 : 0, 'yes/no', 'eq', 1, `${peer.comparison.rowsA} rows (product), ${peer.comparison.rowsB} (boto3)`),
      );
      detail.peer = { users: params.peerUsers, ...PEER_LIMIT, ...peer };
    }
    emulator.setFaults(faults);

    record(false);

    // 100,000 users, the reverse-lookup index, a tree page, a resumed scan (bench/scale.ts).
    if (params.skipScale) {
      notMeasured.push('bench/scale.ts (--skip-scale)');
    } else {
      const scale = await scaleFigures(params.quick);
      if (scale.note) {
        notMeasured.push(scale.note);
        bench(scale.note);
      }
      figures.push(...scale.figures);
      detail.scale = scale.figures;
    }

    const results = record(true);
    const allMet = results.allMet;
    const out = params.out;

    process.stdout.write(`\nWorkMail Permissions benchmark${params.quick ? ' (--quick)' : ''}, ${startedAt.toISOString()} – ${results.finishedAt}\n`);
    process.stdout.write(`tree, grant and editor figures: ${params.users} users, ${params.latencyMs} ms latency, ${params.rateLimitPerSecond} requests/s; measured in: ${measuredIn}\n\n`);
    process.stdout.write(`${formatFigureTable(figures)}\n\n`);
    const ms = (value: unknown): string => (typeof value === 'number' ? `${value.toFixed(1)} ms` : '—');
    process.stdout.write(`package (.vsix): ${formatBytes(bundle.vsixBytes)}\n`);
    process.stdout.write(
      `activation samples: ${activationSamples.map((v) => v.toFixed(1)).join(', ') || '—'} ms; minimal extension: ${minimalSamples.map((v) => v.toFixed(1)).join(', ') || '—'} ms; require() of the bundle alone in plain Node: median ${ms(median(moduleLoadSamples))}\n`,
    );
    process.stdout.write(`first page through the API in the host: ${ms(detail.firstPageMs)} (emulator side ${ms(detail.firstPageServerMs)})\n`);
    for (const line of notMeasured) process.stdout.write(`not measured: ${line}\n`);
    process.stdout.write(`results: ${relative(process.cwd(), out) || out}\n`);
    return allMet ? 0 : 1;
  } finally {
    await cleanup.run();
  }
}

let parsed: BenchParameters | 'help';
try {
  parsed = parseBenchArgs(process.argv.slice(2), join(REPO_ROOT, 'bench', 'results.json'));
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  throw error;
}
if (parsed === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
main(parsed).then(
  (code) => process.exit(code),
  (error: unknown) => {
    log('bench', error instanceof Error ? error.stack ?? error.message : String(error));
    process.exit(2);
  },
);
