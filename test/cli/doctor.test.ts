// `workmail-permissions doctor` against the emulator in each variant: read only, and it reports the
// variant the emulator runs for every behaviour a read can tell.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index';
import type { SeedDocument } from '../../emulator/seed';
import { BOB, SALES, seed } from '../workmail/fixture';

const ROOT = path.join(__dirname, '..', '..');
const AWS_DIR = path.join(ROOT, 'test', 'fixtures', 'aws');

function doctor(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: os.tmpdir(), AWS_CONFIG_FILE: path.join(AWS_DIR, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(AWS_DIR, 'credentials'), AWS_EC2_METADATA_DISABLED: 'true' };
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', 'doctor', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The fixture organization with a user that has no mailbox and a group holding Full access. */
function doctorSeed(): SeedDocument {
  const document = JSON.parse(JSON.stringify(seed())) as { accounts: Array<{ organizations: Array<{ users: unknown[]; grants: unknown[] }> }> };
  const org = document.accounts[0]!.organizations[0]!;
  org.users.push({ id: '00000000-0000-4000-8000-000000000555', name: 'not.registered', displayName: '', state: 'DISABLED' });
  org.grants.push({ mailbox: BOB, grantee: SALES, rights: ['FULL_ACCESS'] });
  return document as unknown as SeedDocument;
}

describe('workmail-permissions doctor', function () {
  this.timeout(60_000);
  let emu: Emulator;

  before(async () => {
    emu = await startEmulator({ port: 0, seed: doctorSeed() });
  });
  after(async () => {
    await emu.stop();
  });

  for (const [mailboxless, describeGroup] of [
    ['lists', 'not-found'],
    ['entity-state-error', 'invalid-parameter'],
  ] as const) {
    it(`reports mailboxless-list=${mailboxless} and describe-user-of-group=${describeGroup} when the emulator runs them, and writes nothing`, async () => {
      emu.setVariants({ 'mailboxless-list': mailboxless, 'describe-user-of-group': describeGroup });
      emu.clearCalls();
      const result = await doctor(['--profile', 'emulator', '--endpoint', emu.url, '--organization', 'acme', '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      const report = JSON.parse(result.stdout) as { variants: Record<string, string>; checks: Array<{ name: string; outcome: string }> };
      assert.deepEqual(report.variants, { 'mailboxless-list': mailboxless, 'describe-user-of-group': describeGroup, 'group-grantee-full-access': 'allowed' });
      assert.ok(report.checks.some((c) => c.name === 'credentials' && c.outcome === 'ok'));
      assert.ok(report.checks.some((c) => c.name === 'deleting a grant to an orphaned ID' && c.outcome === 'not-checked'));
      assert.ok(!emu.calls().some((c) => c.operation === 'PutMailboxPermissions' || c.operation === 'DeleteMailboxPermissions'), 'read only');
    });
  }

  it('prints a readable report on the terminal, naming the regions that answer and the account', async () => {
    emu.setVariants({});
    const result = await doctor(['--profile', 'emulator', '--endpoint', emu.url]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^region us-east-1 +ok +answers; 2 organization\(s\): acme \(Active\), acme-paused \(Inactive\)/m);
    assert.match(result.stdout, /^account +ok +111111111111/m);
    assert.match(result.stdout, /Emulator variants this service matched: mailboxless-list=lists, describe-user-of-group=not-found, group-grantee-full-access=allowed/);
  });
});
