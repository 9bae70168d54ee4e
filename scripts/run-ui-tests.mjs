// Runs the UI tests (test/ui/*.test.ts): mocha + tsx in plain Node, each file driving a real
// workbench (code-server + Chromium) with the extension loaded from this repository and pointed at
// its own emulator.
//
//   node scripts/run-ui-tests.mjs [--grep REGEX] [--file PART]... [--no-build] [--update-screenshots]
//
// Screenshots go to test-results/screenshots/, so a test run leaves the working tree clean;
// --update-screenshots writes them to docs/images/ instead, for the README.
//
// Prints `UI-TESTS: N passed, N failed` last; exit code 0 only when tests ran and none failed.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCodeServer } from './code-server.mjs';
import { ensureSystem } from './ensure-system.mjs';
import { build, killTree, log, REPO_ROOT } from './lib/harness.mjs';
import { parseMochaEpilogue } from './lib/summary.mjs';

const { values: options } = parseArgs({
  options: {
    grep: { type: 'string' },
    file: { type: 'string', multiple: true, default: [] },
    'no-build': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '1200' },
    'update-screenshots': { type: 'boolean', default: false },
  },
});

function uiTestFiles() {
  const dir = join(REPO_ROOT, 'test', 'ui');
  const all = readdirSync(dir)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => relative(REPO_ROOT, join(dir, name)))
    .sort();
  if (options.file.length === 0) return all;
  return all.filter((file) => options.file.some((part) => file.includes(part.replace(/\.ts$/, ''))));
}

function screenshotDir() {
  if (process.env.WORKMAIL_SCREENSHOT_DIR) return process.env.WORKMAIL_SCREENSHOT_DIR;
  return join(REPO_ROOT, ...(options['update-screenshots'] ? ['docs', 'images'] : ['test-results', 'screenshots']));
}

async function main() {
  if (!ensureSystem()) throw new Error('Chromium is missing (see the message above)');
  // Installing here, not inside a test's before() hook, keeps the first run's install out of test timeouts.
  ensureCodeServer();
  if (!options['no-build']) build();

  const files = uiTestFiles();
  if (files.length === 0) throw new Error('no UI test files matched');
  const args = [join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--config', 'test/ui/.mocharc.json', process.stdout.isTTY ? '--color' : '--no-color'];
  if (options.grep) args.push('--grep', options.grep);
  args.push(...files);

  // A process group of its own: a terminal's Ctrl-C then reaches only this runner, which ends mocha
  // and everything below it (code-server, emulator, Chromium) by pid, instead of mocha dying first
  // and leaving its children behind.
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WORKMAIL_SCREENSHOT_DIR: screenshotDir() },
    detached: true,
  });
  const stop = () => killTree(child.pid);
  process.once('SIGINT', () => stop().finally(() => process.exit(130)));
  process.once('SIGTERM', () => stop().finally(() => process.exit(143)));
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  const timer = setTimeout(() => {
    log('ui-tests', `no result after ${options.timeout} s; stopping the UI tests`);
    stop();
  }, Number(options.timeout) * 1000);
  const exitCode = await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  clearTimeout(timer);

  const counts = parseMochaEpilogue(output);
  if (!counts) {
    log('ui-tests', `mocha ended (${exitCode}) without its summary: the UI tests crashed`);
    console.log('UI-TESTS: 0 passed, 1 failed');
    return 1;
  }
  // Pending tests are not allowed in this project: a skipped UI test counts as a failure.
  const failed = counts.failed + counts.pending;
  console.log(`UI-TESTS: ${counts.passed} passed, ${failed} failed`);
  if (counts.passed + failed === 0) {
    log('ui-tests', 'zero UI tests ran');
    return 1;
  }
  return exitCode === 0 && failed === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  log('ui-tests', error instanceof Error ? error.message : String(error));
  console.log('UI-TESTS: 0 passed, 1 failed');
}
process.exit(code);
