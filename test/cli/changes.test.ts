// `plan` and `apply` from a shell, against the emulator: exit codes, the plan on stdout, one line
// per change on stderr, the question that guards a write, and bad files refused before any call.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSeedFile } from '../../emulator/seed';
import { startEmulator, type Emulator } from '../../emulator/index';
import { FIXTURE_ORG, FIXTURE_SEED_PATH } from '../workmail/auditWorld';
import { Writable } from 'node:stream';
import { runCli } from '../../src/cli/cli';
import { AWS_DIR, cli } from './support';

function sink(): Writable & { text: string } {
  const out = new Writable({
    write(chunk, _encoding, done) {
      out.text += String(chunk);
      done();
    },
  }) as Writable & { text: string };
  out.text = '';
  return out;
}

const ANA = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';
const PROJECTOR = 'r-a0000000000000000000000000000002';
const WRITES = ['PutMailboxPermissions', 'DeleteMailboxPermissions'];

describe('workmail-permissions plan and apply', function () {
  this.timeout(90_000);
  let emu: Emulator;
  let dir: string;
  let env: Record<string, string>;
  const connect = () => ['--profile', 'emulator', '--endpoint', emu.url, '--organization', 'fixture'];
  const write = (name: string, text: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const rights = (mailbox: string, grantee: string): string[] => [...(emu.grants(FIXTURE_ORG.organizationId).find((g) => g.mailboxId === mailbox && g.granteeId === grantee)?.rights ?? [])].sort();
  const writes = () => emu.calls().filter((call) => WRITES.includes(call.operation ?? ''));

  before(async () => {
    emu = await startEmulator({ port: 0, seed: readSeedFile(FIXTURE_SEED_PATH) });
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    emu.clearCalls();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wm-changes-'));
    env = { WORKMAIL_PENDING_WRITES_DIR: path.join(dir, 'pending') };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('plan prints each line with its call, writes nothing, and exits 3 when a line is refused', async () => {
    const file = write('changes.csv', 'action,mailbox,grantee,rights\ngrant,bob@fixture.example.com,ana@fixture.example.com,SEND_AS\ngrant,ana,nobody,SEND_AS\n');
    const result = await cli(['plan', file, ...connect()], env);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stdout, /line 2: grant Ana Silva on Bob Jones: PutMailboxPermissions \[FULL_ACCESS, SEND_AS\] \(has FULL_ACCESS\)/);
    assert.match(result.stdout, /line 3: grant nobody on ana: REFUSED: no user or group "nobody" in fixture/);
    assert.match(result.stdout, /1 call to make, 0 lines already satisfied, 1 refused\./);
    assert.deepEqual(writes(), []);
  });

  it('plan takes the display names its own output uses, in any case, and refuses one shared by two with their addresses', async () => {
    emu.addUser(FIXTURE_ORG.organizationId, { id: '00000000-0000-4000-8000-000000000701', name: 'bob.j', displayName: 'BOB JONES', email: 'bob.j@fixture.example.com' });
    const file = write(
      'changes.csv',
      'action,mailbox,grantee,rights\nrevoke,Ana Silva,bob jones,FULL_ACCESS\ngrant,bob@fixture.example.com,ANA SILVA,SEND_AS\ngrant,Frank No-Mail,Nobody At All,SEND_AS\n',
    );
    const result = await cli(['plan', file, ...connect()], env);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stdout, /line 2: revoke bob jones on Ana Silva: REFUSED: grantee "bob jones" names 2 entities: bob@fixture\.example\.com \(user\), bob\.j@fixture\.example\.com \(user\); give the email address or ID/);
    assert.match(result.stdout, /line 3: grant Ana Silva on Bob Jones: PutMailboxPermissions \[FULL_ACCESS, SEND_AS\]/);
    assert.match(result.stdout, /line 4: grant Nobody At All on Frank No-Mail: REFUSED: no user or group "Nobody At All" in fixture/);
    assert.doesNotMatch(result.stdout, /could not be read|not valid/);
    assert.deepEqual(writes(), []);
  });

  it('plan --format json gives every line with its call for scripts', async () => {
    const file = write('changes.json', JSON.stringify({ changes: [{ action: 'set', mailbox: 'ana', grantee: 'bob', rights: ['SEND_ON_BEHALF'] }] }));
    const result = await cli(['plan', file, ...connect(), '--format', 'json'], env);
    assert.equal(result.code, 0, result.stderr);
    const planned = JSON.parse(result.stdout);
    assert.deepEqual(planned.lines[0].call, { operation: 'PutMailboxPermissions', rights: ['SEND_ON_BEHALF'] });
    assert.equal(planned.lines[0].mailboxId, ANA);
  });

  it('apply without --yes and without a terminal refuses before any call', async () => {
    const file = write('changes.csv', 'action,mailbox,grantee,rights\ngrant,ana,bob,SEND_AS\n');
    const result = await cli(['apply', file, ...connect()], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /pass --yes/);
    assert.deepEqual(emu.calls(), []);
  });

  it('apply --yes writes the plan, one line per change on stderr, exit 0', async () => {
    assert.deepEqual(rights(BOB, ANA), ['FULL_ACCESS']);
    const file = write('changes.csv', 'action,mailbox,grantee,rights\ngrant,bob,ana,SEND_AS\n');
    const result = await cli(['apply', file, ...connect(), '--yes'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /line 2: changed: Ana Silva on Bob Jones: FULL_ACCESS -> FULL_ACCESS, SEND_AS/);
    assert.match(result.stderr, /1 change written; 0 lines not done\./);
    assert.deepEqual(rights(BOB, ANA), ['FULL_ACCESS', 'SEND_AS']);
  });

  it('apply says when a written line is held because WorkMail\'s answer was lost, and until when', async () => {
    // The Put is carried out, then the connection drops before the answer: listed as asked, held.
    emu.setFaults({ rules: [{ operation: 'PutMailboxPermissions', resetConnection: 'after', times: 1 }] });
    const file = write('changes.csv', 'action,mailbox,grantee,rights\ngrant,bob,ana,SEND_AS\n');
    const result = await cli(['apply', file, ...connect(), '--yes'], env);
    emu.setFaults({});
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /line 2: changed: Ana Silva on Bob Jones: FULL_ACCESS -> FULL_ACCESS, SEND_AS \(WorkMail's answer was lost on the way; in case a late copy of the request still arrives, no other change to this pair is made before \d{4}-\d\d-\d\dT/);
    assert.deepEqual(rights(BOB, ANA), ['FULL_ACCESS', 'SEND_AS']);
  });

  /** Runs `work` in this process as the shell runs the tool: the fixture profiles and this test's pending-writes folder. */
  async function inThisProcess(work: () => Promise<void>): Promise<void> {
    const settings: Record<string, string> = { ...env, AWS_CONFIG_FILE: path.join(AWS_DIR, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(AWS_DIR, 'credentials') };
    const previous = Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
    Object.assign(process.env, settings);
    try {
      await work();
    } finally {
      for (const [key, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }

  it('apply at a terminal shows the plan and asks; anything but yes writes nothing', async () => {
    const file = write('changes.csv', 'action,mailbox,grantee,rights\ngrant,bob,ana,SEND_AS\n');
    await inThisProcess(async () => {
      const questions: string[] = [];
      const declined = { stdout: sink(), stderr: sink() };
      const no = await runCli(['apply', file, ...connect()], { ...declined, ask: async (q) => (questions.push(q), 'n') });
      assert.equal(no, 0, declined.stderr.text);
      assert.match(declined.stdout.text, /line 2: grant Ana Silva on Bob Jones: PutMailboxPermissions \[FULL_ACCESS, SEND_AS\]/);
      assert.match(questions[0] ?? '', /Make this change\? Type "yes" to apply/);
      assert.match(declined.stderr.text, /not applied; nothing was written/);
      assert.deepEqual(writes(), []);

      const accepted = { stdout: sink(), stderr: sink() };
      const yes = await runCli(['apply', file, ...connect()], { ...accepted, ask: async () => 'yes' });
      assert.equal(yes, 0, accepted.stderr.text);
      assert.deepEqual(rights(BOB, ANA), ['FULL_ACCESS', 'SEND_AS']);
    });
  });

  // Bob leaves: his rights on Ana go, and he has nothing on the projector, so that line is already so.
  const OFFBOARDING = 'action,mailbox,grantee,rights\nrevoke,ana,bob,\nrevoke,projector,bob,\n';

  it('apply reads a line planned already so again: a right given while the question was open refuses it, exit 3', async () => {
    const file = write('offboarding.csv', OFFBOARDING);
    await inThisProcess(async () => {
      const out = { stdout: sink(), stderr: sink() };
      const code = await runCli(['apply', file, ...connect()], {
        ...out,
        ask: async () => {
          // Another administrator, while the plan is on the screen.
          emu.putGrantDirect(FIXTURE_ORG.organizationId, PROJECTOR, BOB, ['SEND_AS']);
          return 'yes';
        },
      });
      assert.match(out.stdout.text, /line 3: revoke Bob Jones on projector: already so, no call \(has nothing\)/);
      assert.equal(code, 3, out.stderr.text);
      assert.match(out.stderr.text, /line 3: REFUSED: Bob Jones on projector: changed since the plan \(planned from no rights, now Send as\); nothing was written: plan again/);
      assert.match(out.stderr.text, /1 change written; 1 line not done \(lines 3\)\./);
      assert.doesNotMatch(out.stderr.text, /unchanged/);
      assert.deepEqual(rights(PROJECTOR, BOB), ['SEND_AS'], 'their change stands');
      assert.deepEqual(rights(ANA, BOB), []);
      assert.deepEqual(
        writes().map((call) => [call.operation, (call.params as Record<string, unknown>)['EntityId']]),
        [['DeleteMailboxPermissions', ANA]],
      );
    });
  });

  it('apply still reports a line that is still already so as unchanged, with no call and nothing left pending', async () => {
    const file = write('offboarding.csv', OFFBOARDING);
    await inThisProcess(async () => {
      const out = { stdout: sink(), stderr: sink() };
      const code = await runCli(['apply', file, ...connect()], { ...out, ask: async () => 'yes' });
      assert.equal(code, 0, out.stderr.text);
      assert.match(out.stderr.text, /line 3: unchanged: Bob Jones on projector already has nothing/);
      assert.match(out.stderr.text, /1 change written; 0 lines not done\./);
      assert.deepEqual(
        writes().map((call) => [call.operation, (call.params as Record<string, unknown>)['EntityId']]),
        [['DeleteMailboxPermissions', ANA]],
      );
      const projectorReads = emu.calls().filter((call) => call.operation === 'ListMailboxPermissions' && (call.params as Record<string, unknown>)['EntityId'] === PROJECTOR);
      assert.ok(projectorReads.length >= 2, `read by the plan and again by apply (${projectorReads.length} reads)`);
    });
    // The pair's lock is given back and no write is recorded as pending.
    const pending = path.join(dir, 'pending');
    const left = fs.readdirSync(pending);
    assert.deepEqual(left.filter((name) => !name.endsWith('.json')), [], 'no lock left behind');
    for (const name of left) {
      const record = JSON.parse(fs.readFileSync(path.join(pending, name), 'utf8')) as { released?: boolean; pending?: unknown };
      assert.equal(record.released, true, `${name} is released`);
      assert.equal(record.pending, undefined, `${name} records no pending write`);
    }
  });

  it('a bad file is refused with file, line and column, before any call', async () => {
    const file = write('changes.csv', 'action,mailbox,grantee,rights\ngrant,ana,bob,READ\n');
    const result = await cli(['apply', file, ...connect(), '--yes'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /changes\.csv cannot be planned: line 2, column 4: "READ" is not a right/);
    assert.deepEqual(emu.calls(), []);
  });
});
