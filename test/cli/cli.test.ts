// The command line from a shell: `npx tsx src/cli/main.ts ...` against the emulator, with the
// fixture AWS profiles, checking stdout, stderr and exit codes.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { readSeedFile } from '../../emulator/seed';
import { runCli } from '../../src/cli/cli';
import { EXPORT_COLUMNS } from '../../src/workmail/exporters';
import { startEmulator, type Emulator } from '../../emulator/index';
import { FIXTURE_ORG, FIXTURE_SEED_PATH, parseCsv } from '../workmail/auditWorld';
import { AWS_DIR, cli, ROOT } from './support';

const GOLDEN = path.join(ROOT, 'test', 'fixtures', 'golden');

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}
const SECRET = 'emulator-secret-do-not-use-in-aws';

function spawnSyncChecked(command: string, args: string[]): void {
  const result = spawnSync(command, args);
  assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${String(result.stderr)}`);
}

/** An export CSV with each row's read_at (the time its mailbox was read) as the golden file's. */
const goldenReadAt = (csv: string) => csv.replace(/,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,(permission|booking-delegate|impersonation-role),/g, ',2026-03-02T14:01:30.000Z,$1,');

/** stderr without npm's own notices about the machine's npm configuration. */
const ours = (stderr: string) => stderr.split('\n').filter((line) => !line.startsWith('npm warn')).join('\n');

function assertCleanStderr(stderr: string): void {
  assert.ok(!stderr.includes(SECRET), 'no secret on stderr');
  assert.ok(!/^\s+at /m.test(stderr), `no stack trace on stderr:\n${stderr}`);
  assert.ok(!/Authorization|Signature=/i.test(stderr));
}

describe('workmail-permissions command line', function () {
  this.timeout(60_000);
  let emu: Emulator;
  const connect = () => ['--profile', 'emulator', '--endpoint', emu.url, '--organization', 'fixture'];

  before(async () => {
    emu = await startEmulator({ port: 0, seed: readSeedFile(FIXTURE_SEED_PATH) });
  });
  after(async () => {
    await emu.stop();
  });
  afterEach(() => emu.setFaults({}));

  it('export writes the CSV to stdout and progress to stderr, exit 0', async () => {
    const result = await cli(['export', ...connect(), '--format', 'csv']);
    assert.equal(result.code, 0, ours(result.stderr));
    assert.equal(goldenReadAt(result.stdout), fs.readFileSync(path.join(GOLDEN, 'fixture.export.csv'), 'utf8'));
    assert.match(ours(result.stderr), /Reading permissions: 13\/13 mailboxes, 17 grants/);
    assertCleanStderr(result.stderr);
  });

  it('export --format json --out writes the file, stamped with when it was read, by organization ID too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-cli-'));
    try {
      const out = path.join(dir, 'grants.json');
      const result = await cli(['export', '--profile', 'emulator', '--endpoint', emu.url, '--organization', FIXTURE_ORG.organizationId, '--format', 'json', '--out', out, '--quiet']);
      assert.equal(result.code, 0, ours(result.stderr));
      assert.equal(result.stdout, '');
      assert.equal(ours(result.stderr).trim(), '');
      const document = JSON.parse(fs.readFileSync(out, 'utf8'));
      assert.equal(document.grants.length, emu.grants(FIXTURE_ORG.organizationId).length);
      assert.ok(!Number.isNaN(Date.parse(document.readAt)));
      assert.deepEqual(fs.readdirSync(dir), ['grants.json'], 'no temporary file left behind');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--out through a symbolic link writes its target, into a FIFO writes the reader, "-" writes stdout; no checkpoint beside a FIFO', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-cli-out-'));
    const golden = fs.readFileSync(path.join(GOLDEN, 'fixture.export.csv'), 'utf8');
    try {
      const target = path.join(dir, 'kept.csv');
      fs.writeFileSync(target, 'old\n');
      fs.chmodSync(target, 0o600);
      fs.symlinkSync('kept.csv', path.join(dir, 'link.csv'));
      const viaLink = await cli(['export', ...connect(), '--out', path.join(dir, 'link.csv'), '--quiet']);
      assert.equal(viaLink.code, 0, ours(viaLink.stderr));
      assert.ok(fs.lstatSync(path.join(dir, 'link.csv')).isSymbolicLink(), 'the link was replaced by a file');
      assert.equal(goldenReadAt(fs.readFileSync(target, 'utf8')), golden);
      assert.equal(fs.statSync(target).mode & 0o777, 0o600);

      const fifo = path.join(dir, 'pipe.csv');
      spawnSyncChecked('mkfifo', [fifo]);
      const reader = spawn('cat', [fifo]);
      let read = '';
      reader.stdout.setEncoding('utf8').on('data', (chunk: string) => (read += chunk));
      const readerDone = new Promise<void>((resolve) => reader.on('close', () => resolve()));
      try {
        const intoFifo = await cli(['export', ...connect(), '--out', fifo, '--quiet']);
        assert.equal(intoFifo.code, 0, ours(intoFifo.stderr));
        assert.ok(fs.lstatSync(fifo).isFIFO(), 'the FIFO was replaced by a regular file');
        await readerDone;
      } finally {
        reader.kill();
      }
      assert.equal(goldenReadAt(read), golden);
      const resumeFifo = await cli(['export', ...connect(), '--out', fifo, '--resume', '--quiet']);
      assert.equal(resumeFifo.code, 2);
      assert.match(ours(resumeFifo.stderr), /--resume needs --out naming a regular file.*not a regular file/);

      const dash = await cli(['export', ...connect(), '--out', '-', '--quiet']);
      assert.equal(dash.code, 0, ours(dash.stderr));
      assert.equal(goldenReadAt(dash.stdout), golden);
      const resumeDash = await cli(['export', ...connect(), '--out', '-', '--resume']);
      assert.equal(resumeDash.code, 2);
      assert.match(ours(resumeDash.stderr), /--resume needs --out naming a file.*standard output/);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['kept.csv', 'link-access-rules.csv', 'link.csv', 'pipe.csv'], 'the access rules beside the link as named, none beside the FIFO or "-"; no checkpoint or temporary file left, and no file named "-"');
      assert.ok(!fs.existsSync(path.join(ROOT, '-')), 'no file named "-" in the working folder');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('access-of answers for a person by email, with the group chain, as text and as JSON', async () => {
    const text = await cli(['access-of', ...connect(), '--entity', 'eve.obrien@fixture.example.com', '--quiet']);
    assert.equal(text.code, 0, ours(text.stderr));
    const lines = text.stdout.trim().split('\n');
    assert.match(lines[0]!, /has rights on 2 mailboxes in fixture/);
    assert.ok(!lines[0]!.includes('\n'));
    assert.ok(lines.some((l) => /ana@fixture\.example\.com.*Full access · Send on behalf\s+direct$/.test(l)));
    assert.ok(lines.some((l) => /ana@fixture\.example\.com.*Send as\s+via sales → emea-sales$/.test(l)));
    assert.ok(lines.some((l) => /projector@fixture\.example\.com.*Full access\s+via emea-sales$/.test(l)));
    const json = await cli(['access-of', ...connect(), '--entity', 'Eve', '--format', 'json', '--quiet']);
    assert.equal(json.code, 0, ours(json.stderr));
    const document = JSON.parse(json.stdout);
    assert.equal(document.entity.email, 'eve.obrien@fixture.example.com');
    assert.deepEqual(
      document.access.map((a: { mailboxId: string; granteeId: string; path: string }) => [a.mailboxId, a.granteeId, a.path]),
      [
        ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000e', 'direct'],
        ['00000000-0000-4000-8000-00000000000a', 'S-1-1-12-2000000000-000000000-000000000-0001', 'via sales → emea-sales'],
        ['r-a0000000000000000000000000000002', 'S-1-1-12-2000000000-000000000-000000000-0002', 'via emea-sales'],
      ],
    );
    assert.equal(document.incomplete, false);
  });

  it('migration-script writes the Exchange script of the golden file (stamped with the scan time)', async () => {
    const result = await cli(['migration-script', ...connect(), '--target', 'exchange', '--quiet']);
    assert.equal(result.code, 0, ours(result.stderr));
    const golden = fs.readFileSync(path.join(GOLDEN, 'fixture.exchange.ps1'), 'utf8');
    const withoutDate = (s: string) => s.replace(/^# Generated: .*$/m, '# Generated: <date>').replace(/^# Snapshot: read .*$/m, '# Snapshot: read <date>');
    assert.equal(withoutDate(result.stdout), withoutDate(golden));
  });

  it('stale lists the stale grants, read only', async () => {
    const before = emu.grants(FIXTURE_ORG.organizationId);
    const result = await cli(['stale', ...connect(), '--quiet']);
    assert.equal(result.code, 0, ours(result.stderr));
    assert.match(result.stdout, /^4 stale grants in fixture/);
    assert.match(result.stdout, /99999999-0000-4000-8000-000000000999\s+Send on behalf\s+\(the grantee is no longer in the directory\)/);
    assert.deepEqual(emu.grants(FIXTURE_ORG.organizationId), before);
  });

  it('exits 3 with the unreadable mailbox on stderr when the output is incomplete', async () => {
    emu.setFaults({ rules: [{ operation: 'ListMailboxPermissions', match: { EntityId: '00000000-0000-4000-8000-00000000000b' }, error: 'AccessDeniedException', message: 'no' }] });
    const result = await cli(['export', ...connect(), '--quiet']);
    assert.equal(result.code, 3);
    assert.match(ours(result.stderr), /incomplete: 1 item could not be read/);
    assert.match(ours(result.stderr), /mailbox Bob Jones <bob@fixture\.example\.com> \(user\): Access denied/);
    // Columns: names and addresses first, then kinds and states, then organization, mailbox and grantee IDs, then when it was read.
    assert.doesNotMatch(result.stdout, /,m-[0-9a-f]{32},00000000-0000-4000-8000-00000000000b,[^,]*,[^,]*,permission,$/m, 'the unreadable mailbox has no rows');
    assert.match(result.stdout, /^ana,ana@fixture\.example\.com,.*,m-[0-9a-f]{32},00000000-0000-4000-8000-00000000000a,[^,]*,[^,]*,permission,$/m, 'the others are exported');
    assertCleanStderr(result.stderr);
  });

  it('exits 1 with a plain message when the organization is not there for these credentials', async () => {
    const result = await cli(['export', '--profile', 'emulator-other', '--endpoint', emu.url, '--organization', 'fixture']);
    assert.equal(result.code, 1);
    assert.match(ours(result.stderr), /workmail-permissions: No organization with alias "fixture" in us-east-1/);
    assert.equal(result.stdout, '');
    assertCleanStderr(result.stderr);
  });

  it('exits 1 when WorkMail cannot be reached, or the output cannot be written, with no stack trace', async () => {
    const unreachable = await cli(['export', '--profile', 'emulator', '--endpoint', 'http://127.0.0.1:9', '--organization', 'fixture']);
    assert.equal(unreachable.code, 1);
    assert.match(ours(unreachable.stderr), /Could not reach WorkMail at http:\/\/127\.0\.0\.1:9/);
    assertCleanStderr(unreachable.stderr);
    const unwritable = await cli(['export', ...connect(), '--quiet', '--out', path.join(os.tmpdir(), 'no-such-dir-wm', 'x.csv')]);
    assert.equal(unwritable.code, 1);
    assert.match(ours(unwritable.stderr), /Could not write .*x\.csv: ENOENT/);
    assertCleanStderr(unwritable.stderr);
  });

  it('exits 1 with the credentials advice, and no secret, when the keys are wrong', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-cli-aws-'));
    try {
      fs.writeFileSync(path.join(dir, 'config'), '[profile wrong]\nregion = us-east-1\n');
      fs.writeFileSync(path.join(dir, 'credentials'), '[wrong]\naws_access_key_id = AKIDWORKMAILEMULATOR\naws_secret_access_key = not-the-secret-value-1234\n');
      const result = await cli(['export', '--profile', 'wrong', '--endpoint', emu.url, '--organization', 'fixture'], {
        AWS_CONFIG_FILE: path.join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      });
      assert.equal(result.code, 1);
      assert.match(ours(result.stderr), /did not accept the credentials of profile "wrong"/);
      assert.ok(!result.stderr.includes('not-the-secret-value-1234'));
      assertCleanStderr(result.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops reading on Ctrl+C and exits 130', async () => {
    emu.setFaults({ latencyMs: 150 });
    emu.clearCalls();
    const env = { PATH: process.env.PATH, HOME: os.tmpdir(), AWS_CONFIG_FILE: path.join(AWS_DIR, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(AWS_DIR, 'credentials') };
    // node directly (not npx) so the signal reaches the command itself.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'export', ...connect(), '--concurrency', '1'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('Reading permissions:') && !child.killed) child.kill('SIGINT');
      });
      child.on('close', resolve);
    });
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted; nothing more was read/);
    // A request in flight at the interrupt is logged when the emulator finishes it; then nothing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const callsAtExit = emu.calls().length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(emu.calls().length, callsAtExit);
    assert.ok(emu.calls().filter((c) => c.operation === 'ListMailboxPermissions').length < 13, 'stopped before reading every mailbox');
  });

  it('a killed export with --out resumes with --resume: only the mailboxes not read before, the same file as a fresh export', async function () {
    // Five CLI runs in one test.
    this.timeout(240_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-cli-resume-'));
    try {
      const fresh = path.join(dir, 'fresh.csv');
      assert.equal((await cli(['export', ...connect(), '--out', fresh])).code, 0);
      const out = path.join(dir, 'export.csv');
      const checkpoint = `${out}.scan-checkpoint.jsonl`;
      const killPartWay = async (): Promise<void> => {
        emu.setFaults({ latencyMs: 100 });
        emu.clearCalls();
        const env = { PATH: process.env.PATH, HOME: os.tmpdir(), AWS_CONFIG_FILE: path.join(AWS_DIR, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(AWS_DIR, 'credentials') };
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'export', ...connect(), '--out', out, '--concurrency', '1'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'ignore'] });
        const closed = new Promise((resolve) => child.on('close', resolve));
        while (emu.calls().filter((c) => c.operation === 'ListMailboxPermissions' && c.status === 200).length < 5) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        child.kill('SIGKILL');
        await closed;
        // A request in flight at the kill is logged when the emulator finishes it (100 ms latency).
        await new Promise((resolve) => setTimeout(resolve, 500));
        emu.setFaults({});
        assert.ok(fs.existsSync(checkpoint), 'the killed scan left its checkpoint beside the output');
      };

      await killPartWay();
      assert.ok(!fs.existsSync(out), 'and no half-written output');
      emu.clearCalls();
      const resumed = await cli(['export', ...connect(), '--out', out, '--resume']);
      assert.equal(resumed.code, 0, resumed.stderr);
      const [, done, total] = /resuming the scan started .*: (\d+) of (\d+) mailboxes already read/.exec(ours(resumed.stderr))!.map(Number) as [number, number, number];
      assert.ok(done >= 4 && done < total, `${done} of ${total}`);
      const read = emu.calls().filter((c) => c.operation === 'ListMailboxPermissions' && c.status === 200 && !(c.params as { NextToken?: string }).NextToken);
      assert.equal(read.length, total - done, 'only the mailboxes the killed scan had not read, each once');
      assert.ok(!emu.calls().some((c) => /^List(Users|Groups|Resources)$/.test(c.operation ?? '')), 'the directory came from the checkpoint');
      assert.equal(goldenReadAt(fs.readFileSync(out, 'utf8')), goldenReadAt(fs.readFileSync(fresh, 'utf8')), 'the same export as a fresh scan (but for when each mailbox was read)');
      assert.ok(!fs.existsSync(checkpoint), 'a completed scan deletes its checkpoint');

      await killPartWay();
      emu.clearCalls();
      const again = await cli(['export', ...connect(), '--out', out]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(ours(again.stderr), /an interrupted scan of this organization had read \d+ of \d+ mailboxes .*starting over\. Run with --resume to read only the \d+ left/);
      assert.equal(emu.calls().filter((c) => c.operation === 'ListMailboxPermissions' && c.status === 200 && !(c.params as { NextToken?: string }).NextToken).length, total, 'without --resume, everything');
      assert.equal(goldenReadAt(fs.readFileSync(out, 'utf8')), goldenReadAt(fs.readFileSync(fresh, 'utf8')));
      assert.ok(!fs.existsSync(checkpoint));
    } finally {
      emu.setFaults({});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a damaged checkpoint with its reason, leaves it as it was and exports anyway', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-cli-resume-'));
    try {
      const out = path.join(dir, 'export.csv');
      fs.writeFileSync(`${out}.scan-checkpoint.jsonl`, 'garbage\n');
      const result = await cli(['export', ...connect(), '--out', out, '--resume']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(ours(result.stderr), /The scan checkpoint .*export\.csv\.scan-checkpoint\.jsonl is damaged \(line 1 is not JSON\); it is ignored/);
      assert.equal(fs.readFileSync(`${out}.scan-checkpoint.jsonl`, 'utf8'), 'garbage\n');
      assert.ok(fs.readFileSync(out, 'utf8').startsWith(`${EXPORT_COLUMNS.join(',')}\r\n`), 'the export was written whole, header first');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--resume says how old the checkpoint is; one older than 24 hours starts over unless --resume-max-age allows it, and a resumed export dates each mailbox as it was read', async function () {
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-cli-resume-age-'));
    const out = path.join(dir, 'export.csv');
    const checkpoint = `${out}.scan-checkpoint.jsonl`;
    // In this process, so the clock can be set: the fixture profiles, as the shell runs it.
    const settings: Record<string, string> = { AWS_CONFIG_FILE: path.join(AWS_DIR, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(AWS_DIR, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true' };
    const previous = Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
    Object.assign(process.env, settings);
    const org = FIXTURE_ORG.organizationId;
    const before = emu.grants(org);
    const T0 = '2026-03-02T09:00:00.000Z';
    const LATER = '2026-03-03T15:00:00.000Z'; // 30 hours on
    let clock = T0;
    const run = async (args: string[], signal?: AbortSignal): Promise<{ code: number; stdout: string; stderr: string }> => {
      const stdout = new Sink();
      const stderr = new Sink();
      const code = await runCli(args, { stdout, stderr, signal, now: () => new Date(clock) });
      return { code, stdout: stdout.text, stderr: stderr.text };
    };
    const mailboxReads = () => emu.calls().filter((c) => c.operation === 'ListMailboxPermissions' && c.status === 200 && !(c.params as { NextToken?: string }).NextToken);
    /** An export interrupted (Ctrl+C) at T0 after a few mailboxes; the first one it read with grants. */
    const interrupted = async (): Promise<{ mailboxId: string; granteeId: string }> => {
      clock = T0;
      emu.setFaults({ latencyMs: 100 });
      emu.clearCalls();
      const controller = new AbortController();
      const running = run(['export', ...connect(), '--out', out, '--concurrency', '1', '--quiet'], controller.signal);
      while (mailboxReads().length < 5) await new Promise((resolve) => setTimeout(resolve, 20));
      controller.abort();
      assert.equal((await running).code, 130);
      // A request in flight at the interrupt is logged when the emulator finishes it (100 ms latency).
      await new Promise((resolve) => setTimeout(resolve, 400));
      emu.setFaults({});
      const lines = fs.readFileSync(checkpoint, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { mailbox?: string; readAt?: string; grants?: Array<[string]> });
      const read = lines.find((line) => line.mailbox && line.grants && line.grants.length > 0)!;
      assert.equal(read.readAt, T0, 'the checkpoint records when the mailbox was read');
      return { mailboxId: read.mailbox!, granteeId: read.grants![0]![0] };
    };
    try {
      // 30 hours later, --resume alone: not resumed, the age said, the option that would resume it named.
      const first = await interrupted();
      emu.putGrantDirect(org, first.mailboxId, first.granteeId, []);
      clock = LATER;
      emu.clearCalls();
      const refused = await run(['export', ...connect(), '--out', out, '--resume', '--quiet']);
      assert.equal(refused.code, 0, refused.stderr);
      assert.match(
        refused.stderr,
        new RegExp(`not resuming the interrupted scan in .*export\\.csv\\.scan-checkpoint\\.jsonl \\(started ${T0.replace(/\./g, '\\.')}, 30 hours ago; .*\\): it is older than 24 hours, and what it read may have changed since\\. Starting over; to resume it anyway, run with --resume --resume-max-age 31\\.`),
      );
      assert.equal(mailboxReads().length, 13, 'every mailbox read again');
      const fresh = parseCsv(fs.readFileSync(out, 'utf8'));
      const col = (name: string): number => fresh[0]!.indexOf(name);
      assert.ok(!fresh.some((r) => r[col('mailbox_id')] === first.mailboxId && r[col('grantee_id')] === first.granteeId), 'the revoked grant is gone');
      assert.ok(fresh.slice(1).every((r) => r[col('read_at')] === LATER));
      assert.ok(!fs.existsSync(checkpoint));

      // The explicit choice: --resume-max-age 48 resumes it; what the first part read keeps its time.
      emu.putGrantDirect(org, first.mailboxId, first.granteeId, before.find((g) => g.mailboxId === first.mailboxId && g.granteeId === first.granteeId)!.rights);
      const second = await interrupted();
      emu.putGrantDirect(org, second.mailboxId, second.granteeId, []);
      clock = LATER;
      emu.clearCalls();
      const resumed = await run(['export', ...connect(), '--out', out, '--resume', '--resume-max-age', '48', '--quiet']);
      assert.equal(resumed.code, 0, resumed.stderr);
      const [, done, total] = new RegExp(`resuming the scan started ${T0.replace(/\./g, '\\.')}, 30 hours ago; its last mailbox was read ${T0.replace(/\./g, '\\.')}: (\\d+) of (\\d+) mailboxes already read`).exec(resumed.stderr)!.map(Number) as [number, number, number];
      assert.equal(mailboxReads().length, total - done, 'only the mailboxes not read before');
      const rows = parseCsv(fs.readFileSync(out, 'utf8'));
      const kept = rows.find((r) => r[col('mailbox_id')] === second.mailboxId && r[col('grantee_id')] === second.granteeId);
      assert.equal(kept?.[col('read_at')], T0, 'the grant revoked after its mailbox was read is dated by that read, before the revoke');
      assert.equal(rows.slice(1).filter((r) => r[col('read_at')] === LATER).length > 0, true, 'the rest was read at the resume');
    } finally {
      emu.setFaults({});
      for (const grant of emu.grants(org)) emu.putGrantDirect(org, grant.mailboxId, grant.granteeId, []);
      for (const grant of before) emu.putGrantDirect(org, grant.mailboxId, grant.granteeId, grant.rights);
      for (const [key, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('wrong usage: exit 2, the problem named, no call to WorkMail', () => {
    const cases: Array<[string, () => string[], RegExp]> = [
      ['an unknown command', () => ['frob'], /Unknown command "frob"/],
      ['no command', () => [], /Name a command/],
      ['no organization', () => ['export', '--profile', 'emulator', '--endpoint', emu.url], /--organization is required/],
      ['an unknown format', () => ['export', ...connect(), '--format', 'xml'], /--format must be csv or json, not "xml"/],
      ['an unknown option', () => ['export', ...connect(), '--bogus'], /Unknown option '--bogus'/],
      ['no migration target', () => ['migration-script', ...connect()], /--target is required/],
      ['an option of another command', () => ['export', ...connect(), '--entity', 'ana'], /--entity goes with access-of/],
      ['--resume without --out', () => ['export', ...connect(), '--resume'], /--resume needs --out/],
      ['--resume-max-age without --resume', () => ['export', ...connect(), '--out', 'x.csv', '--resume-max-age', '48'], /--resume-max-age goes with --resume/],
      ['a --resume-max-age that is not a number of hours', () => ['export', ...connect(), '--out', 'x.csv', '--resume', '--resume-max-age', 'forever'], /--resume-max-age must be a number of hours greater than 0 \(e\.g\. 72\), not "forever"/],
      ['an endpoint that is not http', () => ['export', ...connect(), '--endpoint', 'file:///etc/passwd'], /--endpoint must be an http/],
      ['a region without WorkMail, named before any call', () => ['export', ...connect(), '--region', 'us-east-2'], /WorkMail exists only in us-east-1, us-west-2, eu-west-1; --region is us-east-2/],
    ];
    for (const [name, args, expected] of cases) {
      it(name, async () => {
        emu.clearCalls();
        const result = await cli(args());
        assert.equal(result.code, 2, ours(result.stderr));
        assert.match(ours(result.stderr), expected);
        assert.match(ours(result.stderr), /Run "workmail-permissions --help"/);
        assert.equal(result.stdout, '');
        assert.equal(emu.calls().length, 0);
      });
    }

    it('--help prints the usage on stdout, exit 0', async () => {
      const help = await cli(['--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /^Usage: workmail-permissions <command>/);
    });
  });
});
