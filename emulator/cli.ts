// `npm run emulator -- [flags]`: runs the emulator until SIGINT/SIGTERM. See docs/EMULATOR.md.
import { parseArgs } from 'node:util';
import { generatedSeedDocument } from './generate';
import { startEmulator, type Emulator, type FaultSettings, type SeedDocument } from './index';
import { SAMPLE_SEED_PATH, readSeedFile, type SeedAccessKey } from './seed';
import { ALL_VARIANTS, parseVariantFlag } from './variants';

const USAGE = `Usage: npm run emulator -- [options]
  --port N                  port on 127.0.0.1 (default 4510; 0 picks a free port)
  --seed FILE               seed document (default emulator/seeds/sample.json)
  --generate USERS          instead of a seed file: one generated us-east-1 org with USERS users
  --generate-seed N         generator seed for --generate (default 1)
  --access-key-id ID        add this access key to the default account (with --secret-access-key)
  --secret-access-key KEY
  --latency-ms N            fixed latency per call
  --jitter-ms N             extra random latency per call, 0..N
  --rate-limit PER_SECOND   token-bucket limit per account and region; ThrottlingException past it
  --rate-limit-burst N      bucket capacity (default: the rate)
  --fail-rate FRACTION      fraction of calls answered 500 InternalFailure
  --consistency-delay-ms N  ListMailboxPermissions shows the old state this long after a change
  --fault-seed N            seed for random faults (jitter, fail rate)
  --variant NAME=VALUE      a behaviour where the real service's is unknown (repeatable):
                              ${Object.entries(ALL_VARIANTS).map(([name, values]) => `${name}=${values.join('|')}`).join('\n                              ')}
  --help`;

const DEFAULT_PORT = 4510;

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      generate: { type: 'string' },
      'generate-seed': { type: 'string' },
      'access-key-id': { type: 'string' },
      'secret-access-key': { type: 'string' },
      'latency-ms': { type: 'string' },
      'jitter-ms': { type: 'string' },
      'rate-limit': { type: 'string' },
      'rate-limit-burst': { type: 'string' },
      'fail-rate': { type: 'string' },
      'consistency-delay-ms': { type: 'string' },
      'fault-seed': { type: 'string' },
      variant: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.seed !== undefined && values.generate !== undefined) throw new Error('Use either --seed or --generate, not both');
  if ((values['access-key-id'] === undefined) !== (values['secret-access-key'] === undefined)) {
    throw new Error('--access-key-id and --secret-access-key go together');
  }

  let seed: SeedDocument;
  const generateUsers = numberFlag('generate', values.generate);
  if (generateUsers !== undefined) seed = generatedSeedDocument(Math.floor(generateUsers), numberFlag('generate-seed', values['generate-seed']) ?? 1);
  else seed = readSeedFile(values.seed ?? SAMPLE_SEED_PATH);

  let profileKey: SeedAccessKey = seed.accounts[0]!.accessKeys.find((k) => k.sessionToken === undefined) ?? seed.accounts[0]!.accessKeys[0]!;
  if (values['access-key-id'] !== undefined) {
    profileKey = { accessKeyId: values['access-key-id'], secretAccessKey: values['secret-access-key']! };
    const [first, ...rest] = seed.accounts;
    const otherKeys = first!.accessKeys.filter((k) => k.accessKeyId !== profileKey.accessKeyId);
    seed = { accounts: [{ ...first!, accessKeys: [profileKey, ...otherKeys] }, ...rest] };
  }

  const faults: FaultSettings = {
    latencyMs: numberFlag('latency-ms', values['latency-ms']),
    jitterMs: numberFlag('jitter-ms', values['jitter-ms']),
    rateLimitPerSecond: numberFlag('rate-limit', values['rate-limit']),
    rateLimitBurst: numberFlag('rate-limit-burst', values['rate-limit-burst']),
    failRate: numberFlag('fail-rate', values['fail-rate']),
    consistencyDelayMs: numberFlag('consistency-delay-ms', values['consistency-delay-ms']),
    seed: numberFlag('fault-seed', values['fault-seed']),
  };
  const variants = Object.fromEntries((values.variant ?? []).map(parseVariantFlag));
  const emu = await startEmulator({ port: numberFlag('port', values.port) ?? DEFAULT_PORT, seed, faults, variants });
  printBanner(emu, profileKey);
  installShutdown(emu);
}

function printBanner(emu: Emulator, key: SeedAccessKey): void {
  const orgs = emu.organizations();
  const lines = [
    `WorkMail emulator listening on ${emu.url} (emulator-only keys below; they are not AWS credentials)`,
    '',
    'Organizations:',
    ...orgs.map((o) => `  ${o.region.padEnd(10)} ${o.id}  ${o.alias} (${o.state}, account ${o.account})`),
    '',
    'AWS profile — add to ~/.aws/credentials:',
    '  [workmail-emulator]',
    `  aws_access_key_id = ${key.accessKeyId}`,
    `  aws_secret_access_key = ${key.secretAccessKey}`,
    'and to ~/.aws/config:',
    '  [profile workmail-emulator]',
    '  region = us-east-1',
    '',
    'VS Code settings:',
    `  "workmail.endpoint": "${emu.url}",`,
    '  "workmail.profile": "workmail-emulator"',
    '',
    `AWS CLI: aws workmail list-organizations --endpoint-url ${emu.url} --region us-east-1 --profile workmail-emulator`,
    'Press Ctrl+C to stop.',
    `EMULATOR_URL=${emu.url}`,
  ];
  console.log(lines.join('\n'));
}

function installShutdown(emu: Emulator): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the emulator`);
    emu.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`emulator: ${error instanceof Error ? error.message : String(error)}`);
  console.error(USAGE);
  process.exit(2);
});
