// `npm run test:model -- --runs N --seed S`: the generated write-path schedules
// (test/workmail/writePath.model.test.ts) with more runs or another seed than the CI-sized run of
// `npm test`. A failure prints the shrunk schedule and its replay path.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './lib/harness.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' }, seed: { type: 'string', default: String(Date.now() % 1_000_000) } } });
for (const [name, value] of Object.entries(values)) {
  if (!/^\d+$/.test(value)) {
    console.error(`--${name} takes a whole number; got "${value}"`);
    process.exit(2);
  }
}
console.log(`model-based write-path test: ${values.runs} schedules, seed ${values.seed}`);
const result = spawnSync(
  join(REPO_ROOT, 'node_modules', '.bin', 'mocha'),
  ['--no-config', '--node-option', 'import=tsx', '--timeout', '0', '--reporter', 'spec', join('test', 'workmail', 'writePath.model.test.ts')],
  { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, WORKMAIL_MODEL_RUNS: values.runs, WORKMAIL_MODEL_SEED: values.seed } },
);
process.exit(result.status ?? 1);
