// `migration-script --snapshot` and `verify`: from files only, no WorkMail; exit codes 0, 3, 4;
// refusals before anything is read or written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../src/cli/cli';
import { mailboxAddresses, planDestination, renderDestination, unchangedAddresses } from '../../src/workmail/migration/destinations';
import { loadMapping } from '../../src/workmail/migration/mapping';
import { writeSnapshot } from '../../src/workmail/migration/snapshot';
import { readWaves } from '../../src/workmail/migration/waves';
import { exchangeExports, grommunioExport } from '../workmail/migration/exports';
import { interpretExchange, interpretGrommunio, smallOrg } from '../workmail/migration/support';
import { cli } from './support';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await runCli(args, { stdout, stderr, now: () => new Date('2026-04-01T09:00:00Z') });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('command line: migration scripts and verification from files', function () {
  this.timeout(60_000);
  const org = smallOrg();
  let dir: string;
  let snapshotFile: string;
  const at = (name: string) => path.join(dir, name);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-migration-cli-'));
    snapshotFile = at('snapshot.json');
    await writeSnapshot(snapshotFile, org);
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const target of ['exchange', 'google', 'grommunio', 'zoho'] as const) {
    it(`migration-script --snapshot --target ${target} writes the destination's script without WorkMail`, async () => {
      const out = at(`script.${target}`);
      const result = await run(['migration-script', '--snapshot', snapshotFile, '--target', target, '--out', out, '--quiet']);
      assert.equal(result.code, 0, result.stderr);
      const expected = renderDestination(planDestination(target, org, unchangedAddresses(), { generatedAt: new Date('2026-04-01T09:00:00Z'), snapshotSource: 'snapshot.json' }));
      assert.equal(fs.readFileSync(out, 'utf8'), expected);
    });
  }

  it('zoho --format csv writes the CSV checklist; gam is google', async () => {
    const csv = await run(['migration-script', '--snapshot', snapshotFile, '--target', 'zoho', '--format', 'csv', '--quiet']);
    assert.equal(csv.code, 0, csv.stderr);
    assert.match(csv.stdout, /^done,mailbox,delegate,workmail_right,/);
    const gam = await run(['migration-script', '--snapshot', snapshotFile, '--target', 'gam', '--quiet']);
    assert.match(gam.stdout, /^# WorkMail permissions migration to Google Workspace \(GAM\)/);
  });

  it('verify: everything arrived exits 0; one delegation missing exits 4 and names it; reports written whole', async () => {
    const plan = planDestination('exchange', org, unchangedAddresses(), { generatedAt: new Date() });
    const script = renderDestination(plan);
    const state = interpretExchange(script);
    // The files the script's own read-back writes from the destination holding `applied`.
    const write = (applied: typeof state, prefix: string): string[] =>
      Object.entries(exchangeExports(script, applied, mailboxAddresses(plan))).map(([name, text]) => {
        fs.writeFileSync(at(`${prefix}-${name}`), text);
        return at(`${prefix}-${name}`);
      });
    const all = write(state, 'all');
    const ok = await run(['verify', '--snapshot', snapshotFile, '--target', 'exchange', ...all.flatMap((f) => ['--export', f]), '--report', at('ok.md'), '--csv', at('ok.csv')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(fs.readFileSync(at('ok.md'), 'utf8'), /\*\*Everything arrived\.\*\*/);
    assert.match(ok.stderr, new RegExp(`^${plan.delegations.length} arrived, 0 missing`));

    const removed = state[2]!;
    const some = write(state.filter((a) => a !== removed), 'some');
    const missing = await run(['verify', '--snapshot', snapshotFile, '--target', 'exchange', ...some.flatMap((f) => ['--export', f]), '--csv', at('missing.csv')]);
    assert.equal(missing.code, 4, missing.stderr);
    assert.match(missing.stdout, /## Missing \(1\)/);
    const rows = fs.readFileSync(at('missing.csv'), 'utf8').split('\r\n').filter((l) => l.startsWith('missing,'));
    assert.deepEqual(rows.map((l) => l.split(',').slice(1, 4).join(',')), [`${removed.owner},${removed.grantee},${removed.right}`]);

    const partial = await run(['verify', '--snapshot', snapshotFile, '--target', 'exchange', '--export', all[0]!, '--export', all[3]!, '--quiet']);
    assert.equal(partial.code, 3, partial.stderr);
  });

  it('verify exits 4 from a real process too (grommunio)', async () => {
    const plan = planDestination('grommunio', org, unchangedAddresses(), { generatedAt: new Date() });
    const state = interpretGrommunio(renderDestination(plan));
    fs.writeFileSync(at('readback.jsonl'), grommunioExport(state.slice(1), mailboxAddresses(plan)));
    const result = await cli(['verify', '--snapshot', snapshotFile, '--target', 'grommunio', '--export', at('readback.jsonl'), '--quiet']);
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stdout, /## Missing \(1\)/);
  });

  it('an unreadable export fails with file, line and column, and writes no report', async () => {
    fs.writeFileSync(at('bad.csv'), 'Identity,User,AccessRights,IsInherited,Deny\r\nana,"bob,FullAccess,False,False\r\n');
    const result = await run(['verify', '--snapshot', snapshotFile, '--target', 'exchange', '--export', at('bad.csv'), '--report', at('bad.md')]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /bad\.csv, line 2, column 2: not readable as CSV: a quoted cell starts here and is never closed\. .* Nothing was written\./);
    assert.ok(!fs.existsSync(at('bad.md')));
  });

  it('the whole loop from files: mapping draft, waves, one wave\'s script with the mapping, verify of that wave', async () => {
    const mappingFile = at('loop-mapping.csv');
    const wavesFile = at('loop-waves.csv');
    const draft = await run(['mapping', 'draft', '--snapshot', snapshotFile, '--domain', 'new.example.com', '--out', mappingFile]);
    assert.equal(draft.code, 0, draft.stderr);
    const waves = await run(['waves', '--snapshot', snapshotFile, '--max-size', '3', '--out', wavesFile, '--quiet']);
    assert.equal(waves.code, 0, waves.stderr);
    const wavePlan = await readWaves(wavesFile);
    assert.ok(wavePlan.size >= 2, 'a cap of 3 splits the small organization into several waves');
    const firstWave = wavePlan.get(1)!;

    const script = at('wave1.ps1');
    const made = await run(['migration-script', '--snapshot', snapshotFile, '--mapping', mappingFile, '--waves', wavesFile, '--wave', '1', '--target', 'exchange', '--out', script, '--quiet']);
    assert.equal(made.code, 0, made.stderr);
    const applied = interpretExchange(fs.readFileSync(script, 'utf8'));
    assert.ok(applied.length > 0, 'wave 1 carries delegations');
    const byAddress = new Map(org.entities.filter((e) => e.email).map((e) => [e.email!.replace('@old.example.com', '@new.example.com'), e.id]));
    for (const { owner, grantee } of applied) {
      assert.match(owner, /@new\.example\.com$/, 'owners are written at the mapped address');
      assert.match(grantee, /@new\.example\.com$/, 'grantees are written at the mapped address');
      assert.ok(firstWave.has(byAddress.get(owner)!), `${owner} is a mailbox of wave 1`);
    }
    const mapping = await loadMapping(mappingFile, org);
    const expected = interpretExchange(renderDestination(planDestination('exchange', org, mapping, { generatedAt: new Date(), mailboxIds: firstWave, wave: 1 })));
    assert.deepEqual(applied, expected, 'exactly the delegations of wave 1 under the mapping');

    // The wave arrived: its read-back verified against the same wave and mapping exits 0.
    const wavePlanned = planDestination('exchange', org, mapping, { generatedAt: new Date(), mailboxIds: firstWave, wave: 1 });
    const exports = Object.entries(exchangeExports(fs.readFileSync(script, 'utf8'), applied, mailboxAddresses(wavePlanned))).map(([name, text]) => {
      fs.writeFileSync(at(`wave1-${name}`), text);
      return at(`wave1-${name}`);
    });
    const verified = await run(['verify', '--snapshot', snapshotFile, '--mapping', mappingFile, '--waves', wavesFile, '--wave', '1', '--target', 'exchange', ...exports.flatMap((f) => ['--export', f]), '--quiet']);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  });

  it('a mapping with a bad destination address fails with file, line and column; no script is written', async () => {
    const bad = at('bad-mapping.csv');
    fs.writeFileSync(bad, 'workmail_address,destination_address\r\nana@old.example.com,not an address\r\n');
    const out = at('never.ps1');
    const result = await run(['migration-script', '--snapshot', snapshotFile, '--mapping', bad, '--target', 'exchange', '--out', out]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /bad-mapping\.csv,? line 2, column 2: "not an address" is not an email address/);
    assert.ok(!fs.existsSync(out));
  });

  it('a wave that is not in the waves file is refused with the waves it has', async () => {
    const wavesFile = at('loop-waves.csv');
    await run(['waves', '--snapshot', snapshotFile, '--max-size', '3', '--out', wavesFile, '--quiet']);
    const result = await run(['migration-script', '--snapshot', snapshotFile, '--waves', wavesFile, '--wave', '99', '--target', 'exchange']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Wave 99 is not in .*loop-waves\.csv \(its waves: 1, 2(, \d+)*\)\. Pass one of them with --wave\./);
  });

  const refusals: Array<[string, string[], RegExp]> = [
    ['verify without exports', ['verify', '--target', 'exchange'], /--snapshot is required/],
    ['verify without --export', ['verify', '--snapshot', 'x.json', '--target', 'exchange'], /--export is required/],
    ['a wave without its file', ['migration-script', '--snapshot', 'x.json', '--target', 'exchange', '--wave', '2'], /--waves FILE and --wave N go together/],
    ['an option of another destination', ['migration-script', '--snapshot', 'x.json', '--target', 'grommunio', '--auto-mapping'], /--auto-mapping goes with --target exchange/],
    ['--export on migration-script', ['migration-script', '--snapshot', 'x.json', '--target', 'zoho', '--export', 'a.csv'], /--export goes with verify/],
    ['an unknown destination', ['migration-script', '--snapshot', 'x.json', '--target', 'lotus'], /--target must be exchange, google, grommunio, zoho/],
    ['snapshot and organization together', ['migration-script', '--snapshot', 'x.json', '--organization', 'acme', '--target', 'exchange'], /exclude each other/],
    ['--format on another destination', ['migration-script', '--snapshot', 'x.json', '--target', 'exchange', '--format', 'csv'], /--format goes with migration-script --target zoho/],
    ['a migration option on export', ['export', '--organization', 'acme', '--snapshot', 'x.json'], /--snapshot goes with migration-script, verify, mapping or waves, not export/],
  ];
  for (const [name, args, message] of refusals) {
    it(`refuses ${name} with exit 2, before reading anything`, async () => {
      const result = await run(args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
    });
  }

  it('a snapshot file that is not there fails with exit 1 and says which', async () => {
    const result = await run(['migration-script', '--snapshot', at('none.json'), '--target', 'exchange']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /none\.json/);
  });
});
