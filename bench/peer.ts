// The peer, side by side: what an administrator would otherwise write (bench/peer/workmail_export.py,
// boto3, one call after another with boto3's standard retries) and the product's own export
// (dist/cli.js `export --format csv`), run one after the other against the same emulator with the
// same latency and rate limit. Both processes are timed from start to exit, and their CSVs must
// hold the same permission rows (PEER_COMPARISON: the peer writes no other route, nor when it read).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Emulator } from '../emulator/index';
import { codeServerEnv, REPO_ROOT } from '../scripts/lib/harness.mjs';
import { compareExports, PEER_COMPARISON, tallyCalls, type ExportComparison } from './lib';

export interface PeerRunResult {
  readonly wallSeconds: number;
  readonly exitCode: number | null;
  readonly calls: ReturnType<typeof tallyCalls>;
  readonly stderrTail: string;
}

export interface PeerResult {
  readonly product: PeerRunResult;
  readonly boto3: PeerRunResult & { readonly boto3Version: string };
  /** boto3 wall time / product wall time. */
  readonly ratio: number;
  readonly comparison: ExportComparison;
}

function hasBoto3(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import boto3, sys; sys.stdout.write(boto3.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/**
 * boto3 comes from Debian (python3-boto3): PyPI is not reachable from the machines this runs on.
 * As root the bench installs it with apt-get, the way scripts/ensure-system.mjs installs Chromium.
 */
export function ensureBoto3(log: (line: string) => void): string {
  const present = hasBoto3();
  if (present) return present;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) throw new Error('python3 with boto3 is needed for the peer figures: sudo apt-get install -y python3-boto3');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'python3-boto3']]) {
    log(`apt-get ${args.join(' ')}`);
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
  const installed = hasBoto3();
  if (!installed) throw new Error('python3-boto3 was installed but python3 cannot import boto3');
  return installed;
}

async function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ wallSeconds: number; exitCode: number | null; stderr: string }> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { wallSeconds: (performance.now() - started) / 1000, exitCode, stderr };
}

export async function runPeer(options: {
  emulator: Emulator;
  organizationId: string;
  region: string;
  /** Waited before each of the two runs, so each starts with a full rate-limit bucket. */
  bucketRefillMs: number;
  dir: string;
  log: (line: string) => void;
}): Promise<PeerResult> {
  const { emulator, organizationId, region, dir, log } = options;
  const boto3Version = ensureBoto3(log);
  const env = codeServerEnv({ emulatorUrl: emulator.url });
  const connection = ['--organization', organizationId, '--region', region, '--endpoint', emulator.url, '--profile', 'emulator'];
  const productCsv = join(dir, 'product-export.csv');
  const boto3Csv = join(dir, 'boto3-export.csv');

  const run = async (label: string, command: string, args: readonly string[]): Promise<PeerRunResult> => {
    await new Promise((resolve) => setTimeout(resolve, options.bucketRefillMs));
    emulator.clearCalls();
    log(`peer: ${label} …`);
    const result = await timed(command, args, env);
    const calls = tallyCalls(emulator.calls());
    emulator.clearCalls();
    log(`peer: ${label}: ${result.wallSeconds.toFixed(1)} s, ${calls.total} calls (${calls.throttled} throttled), exit ${result.exitCode}`);
    return { wallSeconds: result.wallSeconds, exitCode: result.exitCode, calls, stderrTail: result.stderr.slice(-1000) };
  };

  // The product as a person runs it from a shell: the bundled command-line tool, its default settings.
  const product = await run('product (dist/cli.js export)', process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'export', ...connection, '--format', 'csv', '--out', productCsv, '--quiet']);
  const boto3 = await run(`boto3 ${boto3Version} script (bench/peer/workmail_export.py)`, 'python3', [join(REPO_ROOT, 'bench', 'peer', 'workmail_export.py'), ...connection, '--out', boto3Csv]);
  if (product.exitCode !== 0) throw new Error(`the product's export failed (exit ${product.exitCode}):\n${product.stderrTail}`);
  if (boto3.exitCode !== 0) throw new Error(`the boto3 script failed (exit ${boto3.exitCode}):\n${boto3.stderrTail}`);
  const comparison = compareExports(readFileSync(productCsv, 'utf8'), readFileSync(boto3Csv, 'utf8'), PEER_COMPARISON);
  return { product, boto3: { ...boto3, boto3Version }, ratio: boto3.wallSeconds / product.wallSeconds, comparison };
}
