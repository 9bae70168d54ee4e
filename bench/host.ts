// Runs bench/host/index.ts inside real VS Code extension hosts: code-server (installed by
// scripts/code-server.mjs) and Debian's Chromium, through the workbench's test `payload` URL, the
// same way scripts/run-host-tests.mjs runs the host tests. Every run is a fresh page, so a fresh
// extension host in which the extension has not been activated yet.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { ensureCodeServer } from '../scripts/code-server.mjs';
import { Cleanup, codeServerEnv, createProfile, freePort, launchChromium, log, REPO_ROOT, startCodeServer, workbenchUrl } from '../scripts/lib/harness.mjs';
import { formatAutomationLog } from '../scripts/lib/summary.mjs';
import { BUNDLE_FILES } from './lib';
import { HOST_RESULT_PREFIX, type HostResult } from './protocol';

export interface HostRunOptions {
  readonly emulatorUrl: string;
  readonly organizationId: string;
  readonly runs: number;
  /** How long the emulator's rate-limit bucket takes to refill from empty. */
  readonly bucketRefillMs: number;
  readonly verbose: boolean;
  readonly cleanup: Cleanup;
  /** The bundle to load as dist/extension.js; the repository's dist/extension.js when absent. */
  readonly bundlePath?: string;
}

/** A throwaway extension folder holding what the .vsix holds: package.json, the production bundle, media. */
export function stageExtension(root: string, bundlePath: string): string {
  const dir = join(root, 'extension');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  cpSync(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  // The bundle given, and the ones built beside it.
  for (const file of BUNDLE_FILES) cpSync(file === 'extension.js' ? bundlePath : join(dirname(bundlePath), file), join(dir, 'dist', file));
  cpSync(join(REPO_ROOT, 'media'), join(dir, 'media'), { recursive: true });
  // The manifest's titles are %keys% resolved from package.nls.json, and the extension's messages
  // come from l10n/: the package ships both, and without them the activity bar shows
  // "%viewsContainers.workmail.title%".
  cpSync(join(REPO_ROOT, 'package.nls.json'), join(dir, 'package.nls.json'));
  cpSync(join(REPO_ROOT, 'l10n'), join(dir, 'l10n'), { recursive: true });
  return dir;
}

/**
 * The baseline of the activation ratio: bench/minimal-extension (one command, no dependencies),
 * packaged with vsce and installed with code-server's own `--install-extension` into an extensions
 * folder every run's code-server uses, so it runs in the same extension host as the extension.
 */
export const MINIMAL_EXTENSION_ID = 'workmail-bench.minimal-extension';

/**
 * A second copy of the minimal extension under another name, activated first in every host: the
 * first activation in an extension host pays costs every later one shares (measured: the same
 * minimal extension took 4× longer first than second), so neither timed extension should pay them.
 */
export const WARMUP_EXTENSION_ID = 'workmail-bench.minimal-extension-warmup';

function installMinimalExtension(root: string, codeServerBin: string): string {
  const extensionsDir = join(root, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  const vsce = join(REPO_ROOT, 'node_modules', '.bin', 'vsce');
  for (const id of [MINIMAL_EXTENSION_ID, WARMUP_EXTENSION_ID]) {
    const name = id.split('.')[1]!;
    const source = join(root, name);
    cpSync(join(REPO_ROOT, 'bench', 'minimal-extension'), source, { recursive: true });
    cpSync(join(REPO_ROOT, 'LICENSE'), join(source, 'LICENSE'));
    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { name: string; contributes: { commands: Array<{ command: string }> } };
    manifest.name = name;
    // Command IDs are global: the copy gets its own.
    for (const command of manifest.contributes.commands) command.command = `${command.command}.${name}`;
    writeFileSync(join(source, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (id === WARMUP_EXTENSION_ID) {
      const main = join(source, 'extension.js');
      writeFileSync(main, readFileSync(main, 'utf8').replace("'workmailBench.minimal.hello'", `'workmailBench.minimal.hello.${name}'`));
    }
    const vsix = join(root, `${name}.vsix`);
    const packed = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: source, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (packed.status !== 0) throw new Error(`vsce package of ${name} failed (exit ${packed.status ?? packed.signal}):\n${packed.stderr}${packed.stdout}`);
    const installed = spawnSync(codeServerBin, ['--extensions-dir', extensionsDir, '--install-extension', vsix], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (installed.status !== 0) throw new Error(`code-server --install-extension of ${name} failed (exit ${installed.status ?? installed.signal}):\n${installed.stderr}${installed.stdout}`);
  }
  return extensionsDir;
}

async function bundleHostModule(root: string): Promise<string> {
  const outfile = join(root, 'bench-host', 'index.js');
  await esbuild.build({
    entryPoints: [join(REPO_ROOT, 'bench', 'host', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}

function ensureChromium(): void {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'ensure-system.mjs')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('Chromium is missing and could not be installed (see the message above)');
}

/**
 * One result per run. The first `treeRuns` runs also measure the tree and a grant; the others only
 * time activation. The production bundle must already be in dist/extension.js.
 */
export async function runInExtensionHost(options: HostRunOptions, treeRuns: number): Promise<HostResult[]> {
  ensureChromium();
  const codeServerBin = ensureCodeServer({ log: (line) => log('bench', line) });
  const root = mkdtempSync(join(tmpdir(), 'workmail-bench-'));
  options.cleanup.add('bench folder', () => rmSync(root, { recursive: true, force: true }));
  const extensionPath = stageExtension(root, options.bundlePath ?? join(REPO_ROOT, 'dist', 'extension.js'));
  const testsPath = await bundleHostModule(root);
  const extensionsDir = installMinimalExtension(root, codeServerBin);

  const results: HostResult[] = [];
  for (let run = 0; run < options.runs; run++) {
    const measureTree = run < treeRuns;
    // A code-server per run: its extension hosts and caches start cold the same way every time,
    // and nothing from the previous run's host can be still running beside it.
    const runCleanup = new Cleanup();
    try {
      // Every run's code-server shares the extensions folder holding the minimal extension.
      const profile = { ...createProfile({ emulatorUrl: options.emulatorUrl, baseDir: join(root, `profile-${run}`) }), extensionsDir };
      const env = codeServerEnv({
        emulatorUrl: options.emulatorUrl,
        extra: {
          WORKMAIL_BENCH_ORG: options.organizationId,
          WORKMAIL_BENCH_BUCKET_MS: String(options.bucketRefillMs),
          WORKMAIL_BENCH_TREE: measureTree ? '1' : '0',
          // Which extension is activated first alternates from run to run, so neither always pays
          // (or always skips) whatever the host does on the first activation.
          WORKMAIL_BENCH_MINIMAL_FIRST: run % 2 === 0 ? '1' : '0',
          WORKMAIL_BENCH_MINIMAL_ID: MINIMAL_EXTENSION_ID,
          WORKMAIL_BENCH_WARMUP_ID: WARMUP_EXTENSION_ID,
          // A CPU profile of each run's activation, for finding where it goes (not part of the figures).
          ...(process.env.WORKMAIL_BENCH_PROFILE ? { WORKMAIL_BENCH_PROFILE: `${process.env.WORKMAIL_BENCH_PROFILE}-${run + 1}.cpuprofile` } : {}),
        },
      });
      const echo = options.verbose ? (text: string) => process.stderr.write(text.replace(/^/gm, '[code-server] ')) : undefined;
      const server = await startCodeServer({ bin: codeServerBin, port: await freePort(), profile, env, cleanup: runCleanup, onOutput: echo });
      const browser = await launchChromium({ cleanup: runCleanup });
      const page = await browser.newPage();
      let reported: HostResult | undefined;
      let finish: (code: number) => void = () => {};
      const exited = new Promise<number>((resolve) => (finish = resolve));
      await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => {
        const line = formatAutomationLog(args);
        const at = line.indexOf(HOST_RESULT_PREFIX);
        if (at >= 0) reported = JSON.parse(line.slice(at + HOST_RESULT_PREFIX.length)) as HostResult;
        else if (options.verbose) process.stderr.write(`[host] ${line}\n`);
      });
      await page.exposeFunction('codeAutomationExit', (code: number) => finish(Number(code)));
      // A shared machine can take a while to serve the workbench's first load.
      await page.goto(workbenchUrl({ serverUrl: server.url, folder: profile.workspace, extensionDevelopmentPath: extensionPath, extensionTestsPath: testsPath }), { timeout: 120_000 });
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 300_000).unref());
      const outcome = await Promise.race([exited, timeout]);
      if (outcome === 'timeout') throw new Error(`run ${run + 1}: the extension host did not finish within 300 s`);
      if (!reported) throw new Error(`run ${run + 1}: the extension host ended (exit ${outcome}) without reporting a result`);
      const result: HostResult = reported;
      if (result.error) throw new Error(`run ${run + 1} in the extension host: ${result.error}`);
      log(
        'bench',
        `activation run ${run + 1}/${options.runs}: ${result.activateMs?.toFixed(1)} ms, minimal extension ${result.minimalActivateMs?.toFixed(1)} ms, warm-up copy first ${result.warmupActivateMs?.toFixed(1)} ms (${result.minimalFirst ? 'minimal first' : 'extension first'})${result.alreadyActive ? ' (already active: not a valid sample)' : ''}`,
      );
      results.push(result);
    } finally {
      await runCleanup.run();
    }
  }
  return results;
}
