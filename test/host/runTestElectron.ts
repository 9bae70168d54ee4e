// The same extension-host suite under desktop VS Code, for contributors whose machine can download
// it (@vscode/test-electron fetches VS Code from Microsoft's update server, which the offline CI
// machines cannot reach; there scripts/run-host-tests.mjs runs the suite in code-server instead).
//
//   node scripts/build.mjs --tests && npx tsx test/host/runTestElectron.ts [--grep REGEX] [--file PART]
import { runTests } from '@vscode/test-electron';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../../emulator/index';

const repoRoot = resolve(__dirname, '..', '..');

/** Variables that would make the AWS SDK ignore the fixture profiles. */
const AWS_ENV_TO_CLEAR = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION'];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { grep: { type: 'string' }, file: { type: 'string', multiple: true, default: [] } },
  });
  const emulator = await startEmulator({ port: 0, seed: join(repoRoot, 'emulator', 'seeds', 'sample.json') });
  const scratch = mkdtempSync(join(tmpdir(), 'workmail-electron-'));
  try {
    const userDataDir = join(scratch, 'user-data');
    const workspace = join(scratch, 'workspace');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    mkdirSync(workspace, { recursive: true });
    // A local window reads machine-scoped settings from user settings, unlike code-server's remote window.
    writeFileSync(
      join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({
        'workmail.endpoint': emulator.url,
        'workmail.profile': 'emulator',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
      }),
    );
    // runTests passes extensionTestsEnv on top of this process's environment, so the AWS variables
    // are cleared here rather than there.
    for (const key of AWS_ENV_TO_CLEAR) delete process.env[key];
    await runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: join(repoRoot, 'out', 'test', 'host', 'index.js'),
      launchArgs: [workspace, '--user-data-dir', userDataDir, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
      extensionTestsEnv: {
        AWS_CONFIG_FILE: join(repoRoot, 'test', 'fixtures', 'aws', 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(repoRoot, 'test', 'fixtures', 'aws', 'credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        WORKMAIL_EMULATOR_URL: emulator.url,
        WORKMAIL_TEST_GREP: values.grep,
        WORKMAIL_TEST_FILES: values.file.length ? values.file.join(',') : undefined,
      },
    });
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  } finally {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code));
