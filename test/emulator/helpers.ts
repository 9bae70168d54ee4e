// Shared helpers for the emulator tests: real SDK clients, a raw signed request for the cases the
// SDK will not produce, and sample-seed lookups so tests name people instead of IDs.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WorkMailClient, type WorkMailClientConfig } from '@aws-sdk/client-workmail';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { EMULATOR_CREDENTIALS, type Emulator } from '../../emulator/index';
import { SAMPLE_SEED_PATH, type SeedDocument } from '../../emulator/seed';

export { EMULATOR_CREDENTIALS, SAMPLE_ORGS } from '../../emulator/index';

export interface TestCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export function clientFor(
  emu: Emulator,
  region: string,
  credentials: TestCredentials = EMULATOR_CREDENTIALS.default,
  extra: Partial<WorkMailClientConfig> = {},
): WorkMailClient {
  return new WorkMailClient({ region, endpoint: emu.url, credentials, maxAttempts: 1, ...extra });
}

export const sampleSeed: SeedDocument = JSON.parse(fs.readFileSync(SAMPLE_SEED_PATH, 'utf8')) as SeedDocument;

/** The ID of a hand-written user, group or resource of a sample organization, by name. */
export function sampleId(orgAlias: string, name: string): string {
  for (const account of sampleSeed.accounts) {
    for (const org of account.organizations ?? []) {
      if (org.alias !== orgAlias) continue;
      const entity = [...(org.users ?? []), ...(org.groups ?? []), ...(org.resources ?? [])].find((e) => e.name === name);
      if (entity) return entity.id;
    }
  }
  throw new Error(`No ${name} in sample org ${orgAlias}`);
}

/** Awaits a rejection and checks the AWS error code the SDK surfaced. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, code, `expected ${code}, got ${e.name}: ${e.message}`);
    return e;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

/** A request signed like the SDK signs, for bodies and targets the SDK would never send. */
export async function signedFetch(
  emu: Emulator,
  options: { region: string; target: string; body: string; credentials?: TestCredentials },
): Promise<Response> {
  const url = new URL(emu.url);
  const credentials = options.credentials ?? EMULATOR_CREDENTIALS.default;
  const signer = new SignatureV4({ credentials, region: options.region, service: 'workmail', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': options.target,
      },
      body: options.body,
    }),
  );
  return fetch(`${emu.url}/`, { method: 'POST', headers: signed.headers, body: options.body });
}

/**
 * The AWS CLI. On a machine without it we install Debian's awscli when running as root (it takes
 * about a minute); otherwise the test fails with instructions rather than silently skipping.
 */
export function ensureAwsCli(): string {
  const found = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  if (found.status === 0) return 'aws';
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error('The AWS CLI is required for this test: install it (e.g. `sudo apt-get install -y awscli`) and re-run.');
  }
  execFileSync('apt-get', ['update'], { stdio: 'ignore', timeout: 300_000 });
  execFileSync('apt-get', ['install', '-y', 'awscli'], { stdio: 'ignore', timeout: 300_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  // A broken shim may still come first in PATH; Debian's package installs /usr/bin/aws.
  const debianAws = fs.existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
  const installed = spawnSync(debianAws, ['--version'], { encoding: 'utf8' });
  if (installed.status !== 0) throw new Error(`awscli was installed but \`${debianAws} --version\` fails: ${installed.stderr}`);
  return debianAws;
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `aws workmail …` against one emulator, signed with the emulator's default keys, with nothing of
 * this machine's AWS setup let in (an empty config and credentials file; only PATH and HOME
 * survive, for the CLI to start). `env` may be changed by a test (a wrong secret) and put back.
 */
export class AwsCli {
  readonly env: NodeJS.ProcessEnv;

  private constructor(
    private readonly binary: string,
    private readonly endpoint: string,
    private readonly scratch: string,
  ) {
    const emptyConfig = path.join(scratch, 'empty-config');
    fs.writeFileSync(emptyConfig, '');
    this.env = {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_'))),
      AWS_CONFIG_FILE: emptyConfig,
      AWS_SHARED_CREDENTIALS_FILE: emptyConfig,
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.default.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.default.secretAccessKey,
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }

  /** Installs the CLI when the machine lacks it (ensureAwsCli). */
  static open(endpoint: string): AwsCli {
    return new AwsCli(ensureAwsCli(), endpoint, fs.mkdtempSync(path.join(os.tmpdir(), 'workmail-emulator-awscli-')));
  }

  run(region: string, args: readonly string[]): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, ['workmail', ...args, '--endpoint-url', this.endpoint, '--region', region, '--output', 'json'], { env: this.env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  /** A call that must succeed: its JSON answer (undefined when it prints nothing). */
  async ok(region: string, args: readonly string[]): Promise<unknown> {
    const result = await this.run(region, args);
    assert.equal(result.status, 0, `aws workmail ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout);
  }

  dispose(): void {
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }
}
