// Pieces shared by the host-test runner, the UI tests and the demo: the emulator as a child
// process, a throwaway code-server profile pointed at it, code-server itself, Chromium, and
// ending every process that was started (by pid, including code-server's children).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXTENSION_ID = 'workmail-tools.workmail-permissions';
export const FIXTURE_AWS_DIR = join(REPO_ROOT, 'test', 'fixtures', 'aws');
export const SAMPLE_SEED = join(REPO_ROOT, 'emulator', 'seeds', 'sample.json');
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  // Without these Chromium keeps retrying hosts an offline machine cannot reach.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Environment variables that would make the AWS SDK ignore the fixture profiles. */
const AWS_ENV_TO_DROP = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
];

export function log(prefix, message) {
  process.stderr.write(`[${prefix}] ${message}\n`);
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** All descendants of `pid` (children first found, deepest last), read from /proc. */
function descendants(pid) {
  const childrenOf = new Map();
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name, which is in parentheses and may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!childrenOf.has(ppid)) childrenOf.set(ppid, []);
      childrenOf.get(ppid).push(Number(entry));
    } catch {
      // the process ended while we were looking
    }
  }
  const found = [];
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift();
    for (const child of childrenOf.get(next) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ends `pid` and every process below it: SIGTERM, then SIGKILL for whatever is left. */
export async function killTree(pid, { graceMs = 3000 } = {}) {
  if (!pid) return;
  const pids = [pid, ...descendants(pid)];
  for (const p of pids) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(isAlive)) await new Promise((r) => setTimeout(r, 100));
  // Children may have been re-parented or spawned during shutdown: look again before the hard kill.
  for (const p of new Set([...pids, ...pids.flatMap(descendants)])) {
    if (isAlive(p)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/**
 * Keeps the list of things to stop, so a runner can stop all of them from one place:
 * on success, on failure, on timeout and on Ctrl-C.
 */
export class Cleanup {
  #steps = [];
  #running;
  add(label, step) {
    this.#steps.push({ label, step });
  }
  /** Runs the steps once, newest first; a second caller waits for the same run to finish. */
  run() {
    this.#running ??= (async () => {
      for (const { label, step } of this.#steps.reverse()) {
        try {
          await step();
        } catch (error) {
          log('cleanup', `${label}: ${error instanceof Error ? error.message : error}`);
        }
      }
    })();
    return this.#running;
  }
  /** Stop everything when the process is interrupted, then exit with `exitCode`. */
  installSignalHandlers(exitCode = 130) {
    const handler = (signal) => {
      log('cleanup', `${signal}: stopping everything`);
      this.run().finally(() => process.exit(exitCode));
    };
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
    process.once('SIGHUP', handler);
  }
}

/** Waits for `pattern` in a child's output; rejects when the child exits first or on timeout. */
function waitForOutput(child, pattern, { timeoutMs, label, echo }) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => finish(new Error(`${label} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    const onData = (chunk) => {
      const text = chunk.toString();
      if (echo) echo(text);
      buffer += text;
      const match = buffer.match(pattern);
      if (match) finish(undefined, match);
    };
    const onExit = (code, signal) => finish(new Error(`${label} exited (${code ?? signal}) before it was ready:\n${buffer.slice(-2000)}`));
    function finish(error, match) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(match);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', onExit);
  });
}

/**
 * Starts the WorkMail emulator (`tsx emulator/cli.ts`) and resolves with its URL.
 * The child's own output is passed on only when `verbose` is set; it is noisy per request.
 */
export async function startEmulator({ seed = SAMPLE_SEED, verbose = false, cleanup } = {}) {
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [join(REPO_ROOT, 'emulator', 'cli.ts'), '--port', '0', '--seed', seed], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  cleanup?.add('emulator', () => killTree(child.pid));
  const echo = verbose ? (text) => process.stderr.write(text.replace(/^/gm, '[emulator] ')) : undefined;
  const match = await waitForOutput(child, /EMULATOR_URL=(\S+)/, { timeoutMs: 30_000, label: 'the emulator', echo });
  // Drain the pipes so a chatty emulator cannot block on a full buffer.
  child.stdout.on('data', (chunk) => echo?.(chunk.toString()));
  child.stderr.on('data', (chunk) => echo?.(chunk.toString()));
  return { url: match[1], process: child };
}

/** An environment for code-server whose AWS settings come only from the fixture profiles. */
export function codeServerEnv({ emulatorUrl, awsDir = FIXTURE_AWS_DIR, extra = {} }) {
  const env = { ...process.env };
  for (const key of AWS_ENV_TO_DROP) delete env[key];
  // npm run sets these; they would leak this repository's package context into the server.
  for (const key of Object.keys(env)) if (/^npm_/i.test(key)) delete env[key];
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.VSCODE_IPC_HOOK_CLI;
  return {
    ...env,
    AWS_CONFIG_FILE: join(awsDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(awsDir, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    WORKMAIL_EMULATOR_URL: emulatorUrl,
    // Each test run and demo keeps its own records of writes in doubt, not the machine's.
    WORKMAIL_PENDING_WRITES_DIR: join(tmpdir(), `workmail-pending-${process.pid}-${Date.now()}`),
    ...extra,
  };
}

/**
 * A fresh user-data dir, extensions dir and workspace folder.
 * `workmail.endpoint` is machine-scoped, so VS Code ignores it in user settings of a remote
 * window; code-server reads machine settings from `<user-data-dir>/Machine/settings.json`.
 */
export function createProfile({ emulatorUrl, profile = 'emulator', baseDir, workspaceDir, userSettings = {}, workspaceFiles = {} }) {
  const dir = baseDir ?? mkdtempSync(join(tmpdir(), 'workmail-vscode-'));
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  const workspace = workspaceDir ?? join(dir, 'workspace');
  for (const d of [join(userDataDir, 'User'), join(userDataDir, 'Machine'), extensionsDir, workspace]) mkdirSync(d, { recursive: true });

  const quietWorkbench = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'git.enabled': false,
    'chat.disableAIFeatures': true,
    'window.restoreWindows': 'none',
  };
  writeJson(join(userDataDir, 'User', 'settings.json'), { ...quietWorkbench, 'workmail.profile': profile, ...userSettings });
  // The profile goes in both files: whichever scope the extension declares, one of them applies.
  writeJson(join(userDataDir, 'Machine', 'settings.json'), { 'workmail.endpoint': emulatorUrl, 'workmail.profile': profile });
  for (const [name, content] of Object.entries(workspaceFiles)) {
    mkdirSync(dirname(join(workspace, name)), { recursive: true });
    writeFileSync(join(workspace, name), content);
  }
  return { dir, userDataDir, extensionsDir, workspace, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Starts code-server on 127.0.0.1 and resolves once it accepts connections. */
export async function startCodeServer({ bin, port, profile, env, cleanup, onOutput, extraArgs = [] }) {
  const args = [
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    profile.userDataDir,
    '--extensions-dir',
    profile.extensionsDir,
    ...extraArgs,
    profile.workspace,
  ];
  const child = spawn(bin, args, { cwd: profile.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanup?.add('code-server', () => killTree(child.pid));
  const match = await waitForOutput(child, /HTTP server listening on (http:\/\/\S+?)\/?\s/, {
    timeoutMs: 60_000,
    label: 'code-server',
    echo: onOutput,
  });
  child.stdout.on('data', (chunk) => onOutput?.(chunk.toString()));
  child.stderr.on('data', (chunk) => onOutput?.(chunk.toString()));
  return { url: match[1].replace(/\/$/, ''), process: child };
}

/** Debian's Chromium under playwright-core (`npx playwright install` cannot download here). */
export async function launchChromium({ cleanup, headless = true } = {}) {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.WORKMAIL_CHROMIUM ?? '/usr/bin/chromium';
  // playwright's own signal handlers would end this process on Ctrl-C before our clean-up stops the
  // emulator and code-server; the clean-up below closes the browser instead.
  const browser = await chromium.launch({ executablePath, headless, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  cleanup?.add('chromium', async () => {
    // playwright owns the browser process; close() ends it, and the pid kill covers a hung close.
    const pid = browser.process?.()?.pid;
    await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
    if (pid) await killTree(pid, { graceMs: 500 });
  });
  return browser;
}

/** The workbench URL that opens `folder` with an extension under development (and optionally its tests). */
export function workbenchUrl({ serverUrl, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const authority = new URL(serverUrl).host;
  const remote = (path) => `vscode-remote://${authority}${path}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  const query = new URLSearchParams({ folder });
  let url = `${serverUrl}/?${query}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Runs `node scripts/build.mjs [args]` and throws when it fails. */
export function build(args = []) {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.mjs'), ...args], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`build ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}
