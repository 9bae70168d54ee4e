// `diff` from a shell: a snapshot against a fresh scan of the emulator (exit 0 when nothing
// changed, 4 with the changes listed when something did), and two snapshot files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSeedFile } from '../../emulator/seed';
import { startEmulator, type Emulator } from '../../emulator/index';
import { snapshotFromScan, writeSnapshot } from '../../src/workmail/migration/snapshot';
import { collectScan } from '../../src/workmail/scan';
import { WorkMailSession } from '../../src/workmail/session';
import { AUDIT_KEYS, FIXTURE_ORG, FIXTURE_SEED_PATH } from '../workmail/auditWorld';
import { cli } from './support';

const ANA = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';

describe('workmail-permissions diff', function () {
  this.timeout(90_000);
  let emu: Emulator;
  let dir: string;

  async function snapshotFile(name: string): Promise<string> {
    const session = new WorkMailSession({ endpoint: emu.url, credentials: async () => AUDIT_KEYS });
    try {
      const file = path.join(dir, name);
      await writeSnapshot(file, await snapshotFromScan(session, await collectScan(session, FIXTURE_ORG), { organization: { alias: 'fixture' } }));
      return file;
    } finally {
      session.dispose();
    }
  }
  const live = () => ['live', '--profile', 'emulator', '--endpoint', emu.url];

  before(async () => {
    emu = await startEmulator({ port: 0, seed: readSeedFile(FIXTURE_SEED_PATH) });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-diff-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a snapshot against live: exit 0 and "no difference" when nothing changed', async () => {
    const file = await snapshotFile('monday.json');
    const result = await cli(['diff', file, ...live(), '--quiet']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /no difference/);
  });

  it('a snapshot against live: exit 4 and each change listed when someone changed a grant', async () => {
    const file = await snapshotFile('monday.json');
    emu.putGrantDirect(FIXTURE_ORG.organizationId, BOB, ANA, ['FULL_ACCESS', 'SEND_AS']);
    emu.putGrantDirect(FIXTURE_ORG.organizationId, ANA, BOB, []);
    const result = await cli(['diff', file, ...live(), '--quiet']);
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stdout, /~ grant {3}Ana Silva on Bob Jones: FULL_ACCESS -> FULL_ACCESS, SEND_AS/);
    assert.match(result.stdout, /- grant {3}Bob Jones on Ana Silva: had FULL_ACCESS, SEND_AS, SEND_ON_BEHALF/);
    assert.doesNotMatch(result.stdout, /\+ grant/);
  });

  it('two snapshot files, as JSON for a script; a damaged file is refused with what to do', async () => {
    const before = await snapshotFile('before.json');
    emu.putGrantDirect(FIXTURE_ORG.organizationId, BOB, ANA, ['SEND_ON_BEHALF']);
    const after = await snapshotFile('after.json');
    const result = await cli(['diff', before, after, '--format', 'json']);
    assert.equal(result.code, 4, result.stderr);
    const drift = JSON.parse(result.stdout);
    assert.deepEqual(drift.grantsChanged.map((g: { before: string[]; after: string[] }) => [g.before, g.after]), [[['FULL_ACCESS'], ['SEND_ON_BEHALF']]]);
    fs.writeFileSync(after, '{"format":"workmail-permissions-snapshot","version":1}');
    const damaged = await cli(['diff', before, after]);
    assert.equal(damaged.code, 1);
    assert.match(damaged.stderr, /is not a valid snapshot/);
  });
});
