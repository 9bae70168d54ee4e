// `npm test`: everything, in the order a failure is cheapest to read.
//   1. system packages (Chromium; awscli and ripgrep when missing) and code-server, first run only
//   2. type-check               tsc --noEmit -p .
//   3. lint                     eslint . (recommended rules and the layering of docs/CONTRACTS.md)
//   4. unit + emulator tests    mocha --config .mocharc.json (plain Node; a CI-sized run of the
//                               generated write-path schedules among them)
//   5. extension-host suite     scripts/run-host-tests.mjs (real VS Code in code-server)
//   6. UI tests                 scripts/run-ui-tests.mjs (workbench driven by Chromium)
// Each stage's output is streamed as it runs. The last line is `N passed, N failed` (tests summed
// over the stages); a stage that crashes or reports nothing counts as one failure.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureCodeServer } from './code-server.mjs';
import { ensureSystem } from './ensure-system.mjs';
import { killTree, REPO_ROOT } from './lib/harness.mjs';
import { formatSummaryTable, stageCounts } from './lib/stages.mjs';

const node = process.execPath;
const bin = (name) => join(REPO_ROOT, 'node_modules', '.bin', name);

/** @type {Array<{ name: string, kind: import('./lib/stages.mjs').StageKind, command: string, args: string[] }>} */
const STAGES = [
  { name: 'type-check', kind: 'tsc', command: bin('tsc'), args: ['--noEmit', '-p', '.'] },
  { name: 'lint', kind: 'lint', command: bin('eslint'), args: ['.', '--max-warnings', '0'] },
  // Colour only for a terminal: CI logs would otherwise be full of escape codes.
  { name: 'unit + emulator', kind: 'mocha', command: bin('mocha'), args: ['--config', '.mocharc.json', process.stdout.isTTY ? '--color' : '--no-color'] },
  { name: 'extension host', kind: 'host', command: node, args: [join('scripts', 'run-host-tests.mjs')] },
  { name: 'UI', kind: 'ui', command: node, args: [join('scripts', 'run-ui-tests.mjs')] },
];

let current;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, async () => {
    if (current?.pid) await killTree(current.pid);
    process.exit(130);
  });
}

function runStage(stage) {
  return new Promise((resolve) => {
    const started = Date.now();
    let output = '';
    const child = spawn(stage.command, stage.args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    current = child;
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      // tsc reports errors on stdout and mocha on stdout; stderr is kept for crash messages.
      output += chunk;
      process.stderr.write(chunk);
    });
    const finish = (exitCode) => {
      current = undefined;
      resolve({ exitCode, output, seconds: (Date.now() - started) / 1000 });
    };
    child.on('error', (error) => {
      output += `\n${error.message}\n`;
      finish(-1);
    });
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : -1)));
  });
}

const results = [];
let setupFailure;
console.log('== setup: system packages and code-server');
try {
  if (!ensureSystem()) setupFailure = 'Chromium is missing';
  else ensureCodeServer();
} catch (error) {
  setupFailure = error instanceof Error ? error.message : String(error);
}
if (setupFailure) {
  console.error(`setup failed: ${setupFailure}`);
  results.push({ name: 'setup', passed: 0, failed: 1, seconds: 0, note: setupFailure });
}

for (const stage of STAGES) {
  console.log(`\n== ${stage.name}: ${[stage.command, ...stage.args].map((part) => part.replace(`${REPO_ROOT}/`, '')).join(' ')}`);
  const { exitCode, output, seconds } = await runStage(stage);
  results.push({ name: stage.name, seconds, ...stageCounts(stage.kind, output, exitCode) });
}

const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
console.log(`\n${formatSummaryTable(results)}\n`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
