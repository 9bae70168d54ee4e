// Runs the extension-host test suite (test/host/index.ts + every vscode test file) inside a real
// VS Code 1.100 extension host, offline: code-server from npm, Debian's Chromium driven by
// playwright-core, the workbench's test mode (the `payload` URL parameter), and the local WorkMail
// emulator behind the real AWS SDK.
//
//   node scripts/run-host-tests.mjs [--grep REGEX] [--file PART]... [--keep] [--verbose]
//                                   [--no-build] [--timeout SECONDS]
//
//   --grep REGEX   only tests whose full title matches
//   --file PART    only test files whose path contains PART (e.g. --file tree/organizations); repeatable
//   --keep         leave code-server and the emulator running afterwards (Ctrl-C ends them)
//   --verbose      pass code-server's and the emulator's own output through
//   --emulator-url URL   use a running emulator instead of starting one
//
// Exit code: 0 only when the suite ran at least one test and none failed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCodeServer } from './code-server.mjs';
import { ensureSystem } from './ensure-system.mjs';
import {
  build,
  Cleanup,
  codeServerEnv,
  createProfile,
  freePort,
  launchChromium,
  log,
  REPO_ROOT,
  startCodeServer,
  startEmulator,
  workbenchUrl,
} from './lib/harness.mjs';
import { formatAutomationLog, isWorkbenchNoise, parseHostSummary, stripAnsi } from './lib/summary.mjs';

const { values: options } = parseArgs({
  options: {
    grep: { type: 'string' },
    file: { type: 'string', multiple: true, default: [] },
    keep: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '900' },
    // For working on the harness itself: another extension folder and tests entry point.
    extension: { type: 'string' },
    tests: { type: 'string' },
    // Use an emulator that is already running instead of starting one.
    'emulator-url': { type: 'string' },
  },
});

const extensionPath = options.extension ?? REPO_ROOT;
const testsPath = options.tests ?? join(REPO_ROOT, 'out', 'test', 'host', 'index.js');
const timeoutMs = Number(options.timeout) * 1000;
const cleanup = new Cleanup();
cleanup.installSignalHandlers();

async function main() {
  if (!ensureSystem()) throw new Error('Chromium is missing (see the message above)');
  const codeServerBin = ensureCodeServer();
  if (!options['no-build'] && !options.extension) build(['--tests']);
  if (!existsSync(testsPath)) throw new Error(`${testsPath} does not exist; build with: node scripts/build.mjs --tests`);

  const emulator = options['emulator-url'] ? { url: options['emulator-url'] } : await startEmulator({ verbose: options.verbose, cleanup });
  log('host-tests', `emulator at ${emulator.url}`);
  const profile = createProfile({ emulatorUrl: emulator.url });
  if (!options.keep) cleanup.add('profile folder', () => profile.remove());

  const env = codeServerEnv({
    emulatorUrl: emulator.url,
    extra: {
      // A write whose outcome is unknown keeps its pair in doubt for this long (5 minutes in real
      // use): long enough for the emulator's held requests, short enough for a test to wait out.
      WORKMAIL_SETTLE_MS: '1500',
      ...(options.grep ? { WORKMAIL_TEST_GREP: options.grep } : {}),
      ...(options.file.length ? { WORKMAIL_TEST_FILES: options.file.join(',') } : {}),
    },
  });
  const echo = options.verbose ? (text) => process.stderr.write(text.replace(/^/gm, '[code-server] ')) : undefined;
  const server = await startCodeServer({ bin: codeServerBin, port: await freePort(), profile, env, cleanup, onOutput: echo });
  log('host-tests', `code-server at ${server.url}`);

  const browser = await launchChromium({ cleanup });
  const page = await browser.newPage();
  const output = [];
  let reportExit;
  const exited = new Promise((resolve) => (reportExit = resolve));
  // The workbench forwards the extension host's console (mocha's spec report) here in test mode.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = formatAutomationLog(args);
    output.push(line);
    if (!options.verbose && isWorkbenchNoise(line)) return;
    const stream = type === 'error' ? process.stderr : process.stdout;
    // mocha colours its report inside the extension host; escape codes only help a terminal.
    stream.write(`${stream.isTTY ? line : stripAnsi(line)}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code)));
  page.on('pageerror', (error) => options.verbose && log('workbench', error.message));
  // Without these a crash would only surface as the overall timeout.
  page.on('crash', () => reportExit('the workbench page crashed'));
  browser.on('disconnected', () => reportExit('Chromium went away'));
  server.process.on('exit', (code, signal) => reportExit(`code-server exited (${code ?? signal})`));

  const url = workbenchUrl({ serverUrl: server.url, folder: profile.workspace, extensionDevelopmentPath: extensionPath, extensionTestsPath: testsPath });
  // The workbench reports through the functions exposed above, so the page's own load event is not
  // awaited; a machine loaded by other work may take minutes to serve the first page.
  await page.goto(url, { waitUntil: 'commit', timeout: 300_000 });

  const timedOut = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const exitCode = await Promise.race([exited, timedOut]);
  if (exitCode === 'timeout') {
    log('host-tests', `no result after ${timeoutMs / 1000} s: the extension host did not finish`);
    return 1;
  }
  if (typeof exitCode === 'string') {
    log('host-tests', `${exitCode} before the tests finished`);
    return 1;
  }
  const summary = parseHostSummary(output.join('\n'));
  if (!summary) {
    log('host-tests', `the suite ended (exit ${exitCode}) without its HOST-TESTS summary line: it did not run`);
    return 1;
  }
  if (summary.passed + summary.failed === 0) {
    log('host-tests', 'zero tests ran');
    return 1;
  }
  if (options.keep) {
    log('host-tests', `--keep: workbench at ${workbenchUrl({ serverUrl: server.url, folder: profile.workspace, extensionDevelopmentPath: extensionPath })}`);
    log('host-tests', `--keep: emulator at ${emulator.url}; Ctrl-C stops both`);
    await new Promise(() => {});
  }
  return exitCode === 0 && summary.failed === 0 ? 0 : 1;
}

let code;
try {
  code = await main();
} catch (error) {
  log('host-tests', error instanceof Error ? error.stack ?? error.message : String(error));
  code = 1;
} finally {
  await cleanup.run();
}
process.exit(code);
