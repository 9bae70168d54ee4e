// The command-line entry: what `npm run emulator` runs.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ListOrganizationsCommand, ListUsersCommand, WorkMailClient } from '@aws-sdk/client-workmail';
import { EMULATOR_CREDENTIALS } from './helpers';

const REPO = path.resolve(__dirname, '..', '..');

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
}

function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'emulator/cli.ts', ...args], { cwd: REPO });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no EMULATOR_URL line within 20s:\n${output}`)), 20_000);
    const check = (): void => {
      const match = /^EMULATOR_URL=(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}:\n${output}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('emulator: command line', function () {
  this.timeout(60_000);
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('starts on a free port, prints the URL, a profile and the setting, serves calls, and exits 0 on SIGTERM', async () => {
    const started = await startCli(['--port', '0']);
    children.push(started.child);
    assert.match(started.output(), /aws_access_key_id = AKIDWORKMAILEMULATOR/);
    assert.match(started.output(), /aws_secret_access_key = emulator-secret-do-not-use-in-aws/);
    assert.match(started.output(), new RegExp(`"workmail.endpoint": "${started.url}"`));
    const client = new WorkMailClient({ region: 'us-east-1', endpoint: started.url, credentials: EMULATOR_CREDENTIALS.default, maxAttempts: 1 });
    const orgs = await client.send(new ListOrganizationsCommand({}));
    assert.ok(orgs.OrganizationSummaries!.some((o) => o.Alias === 'acme'));
    client.destroy();
    started.child.kill('SIGTERM');
    assert.equal(await exitOf(started.child), 0);
  });

  it('serves a generated directory and custom keys, with faults set from flags', async () => {
    const started = await startCli(['--port', '0', '--generate', '150', '--access-key-id', 'AKIDCUSTOMTESTKEY', '--secret-access-key', 'custom-secret', '--latency-ms', '50']);
    children.push(started.child);
    assert.match(started.output(), /aws_access_key_id = AKIDCUSTOMTESTKEY/);
    const client = new WorkMailClient({
      region: 'us-east-1',
      endpoint: started.url,
      credentials: { accessKeyId: 'AKIDCUSTOMTESTKEY', secretAccessKey: 'custom-secret' },
      maxAttempts: 1,
    });
    const orgs = await client.send(new ListOrganizationsCommand({}));
    assert.equal(orgs.OrganizationSummaries?.length, 1);
    const began = Date.now();
    const users = await client.send(new ListUsersCommand({ OrganizationId: orgs.OrganizationSummaries![0]!.OrganizationId, MaxResults: 100 }));
    assert.ok(Date.now() - began >= 45);
    assert.equal(users.Users?.length, 100);
    client.destroy();
    started.child.kill('SIGINT');
    assert.equal(await exitOf(started.child), 0);
  });

  it('refuses unknown flags with usage and a non-zero exit', async () => {
    const child = spawn(process.execPath, [path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'emulator/cli.ts', '--no-such-flag'], { cwd: REPO });
    children.push(child);
    let output = '';
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    assert.equal(await exitOf(child), 2);
    assert.match(output, /Usage: npm run emulator/);
  });
});
