// The mocha entry point loaded by the extension host, under code-server (scripts/run-host-tests.mjs)
// or desktop VS Code (test/host/runTestElectron.ts). Both hosts call `run()` and treat a rejected
// promise as a failed run.
//
// Environment (inherited from the process that started the host):
//   WORKMAIL_TEST_GREP   only tests whose full title matches this regular expression
//   WORKMAIL_TEST_FILES  comma-separated substrings; only test files whose path contains one of them
import * as fs from 'node:fs';
import * as path from 'node:path';
import type MochaType from 'mocha';

// mocha 12 is an ES module; its CommonJS build loads in every extension host, including desktop
// VS Code's Electron, whose Node may not `require()` ES modules.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha: typeof MochaType = require('mocha/lib/mocha.cjs');

/** The line the runners look for; it tells them how many tests ran, so zero tests is caught too. */
export const SUMMARY_PREFIX = 'HOST-TESTS:';

/** Folders under out/test that are not extension-host suites. */
const NOT_HOST_SUITES = new Set(['host', 'ui']);

function findTestFiles(testsRoot: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth === 0 && NOT_HOST_SUITES.has(entry.name)) continue;
        walk(full, depth + 1);
      } else if (entry.name.endsWith('.test.js')) {
        found.push(full);
      }
    }
  };
  walk(testsRoot, 0);
  return found.sort();
}

function selectFiles(files: string[], testsRoot: string, filter: string | undefined): string[] {
  const wanted = (filter ?? '')
    .split(',')
    .map((part) => part.trim().replace(/\.ts$/, ''))
    .filter(Boolean);
  if (wanted.length === 0) return files;
  return files.filter((file) => {
    const relative = path.relative(testsRoot, file);
    return wanted.some((part) => relative.includes(part.replace(/^test\//, '')));
  });
}

export async function run(): Promise<void> {
  // This file is bundled to out/test/host/index.js; the suites sit next to it under out/test.
  const testsRoot = path.resolve(__dirname, '..');
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    // The real extension host talks to the emulator over HTTP; first activation can be slow.
    timeout: 30_000,
    slow: 2_000,
  });
  const grep = process.env.WORKMAIL_TEST_GREP;
  if (grep) mocha.grep(new RegExp(grep));

  const files = selectFiles(findTestFiles(testsRoot), testsRoot, process.env.WORKMAIL_TEST_FILES);
  for (const file of files) mocha.addFile(file);
  console.log(`Running ${files.length} extension-host test file(s) from ${testsRoot}`);

  let passed = 0;
  let failed = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      try {
        const runner = mocha.run(() => resolve());
        runner.on('pass', () => passed++);
        runner.on('fail', () => failed++);
      } catch (error) {
        // A suite that throws while loading (syntax error, failed import) never reaches mocha's events.
        reject(error);
      }
    });
  } catch (error) {
    console.error('The extension-host test suite could not be loaded:', error);
    failed++;
  }
  console.log(`${SUMMARY_PREFIX} ${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} extension-host test(s) failed`);
  if (passed === 0) throw new Error('No extension-host tests ran');
}
