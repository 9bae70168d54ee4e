// `npm run demo`: the extension against the local WorkMail emulator and its sample organizations,
// in desktop VS Code when `code` is on PATH, otherwise in code-server (a browser tab).
// Nothing here touches AWS or your own AWS profiles: the demo profile files are written to a cache
// folder and only the started editor sees them.
//
//   npm run demo                    desktop VS Code if available, else code-server on 127.0.0.1:8080
//   PORT=9000 npm run demo          another port for code-server
//   npm run demo -- --code-server   code-server even when `code` is installed
//   WORKMAIL_DEMO_DIR=...           where the demo's profile and AWS files go (default ~/.cache/workmail-permissions/demo)
//
// Ctrl-C stops the emulator and the editor it started.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCodeServer } from './code-server.mjs';
import { findOnPath } from './ensure-system.mjs';
import { build, Cleanup, codeServerEnv, createProfile, FIXTURE_AWS_DIR, killTree, log, REPO_ROOT, startCodeServer, startEmulator } from './lib/harness.mjs';

const { values: options } = parseArgs({
  options: {
    'code-server': { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.PORT ?? '8080' },
  },
});

const demoHome = process.env.WORKMAIL_DEMO_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'workmail-permissions', 'demo');
const cleanup = new Cleanup();
cleanup.installSignalHandlers(0);

/** The emulator's fixed test keys as AWS profile files of their own, outside ~/.aws. */
function writeDemoAwsFiles() {
  const dir = join(demoHome, 'aws');
  mkdirSync(dir, { recursive: true });
  for (const name of ['config', 'credentials']) copyFileSync(join(FIXTURE_AWS_DIR, name), join(dir, name));
  return dir;
}

const WELCOME = `# WorkMail Permissions demo

This window talks to the local WorkMail emulator, not to AWS.
The WorkMail view in the activity bar holds the sample organizations (acme, acme-eu, ...), and the
walkthrough "Get started with WorkMail Permissions" (Help → Welcome) takes you through the rest.
Right-click a mailbox to grant permissions, a grantee to edit or revoke them.
Files you export are offered in this folder.
`;

/**
 * A tiny extension of the demo's own (scripts/demo-start) that opens the WorkMail view with the
 * walkthrough beside it once the window has started; the extension under demo opens nothing itself.
 */
const DEMO_START = join(REPO_ROOT, 'scripts', 'demo-start');

/** The demo's workspace: a folder of its own, not inside the editor's profile, so saves land there. */
const demoWorkspace = () => join(demoHome, 'workspace');

async function desktop(code, emulatorUrl, awsDir) {
  const profileDir = join(demoHome, 'vscode-profile');
  const workspace = demoWorkspace();
  mkdirSync(join(profileDir, 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), WELCOME);
  // A local window reads machine-scoped settings (workmail.endpoint) from user settings.
  writeFileSync(
    join(profileDir, 'User', 'settings.json'),
    JSON.stringify({ 'workmail.endpoint': emulatorUrl, 'workmail.profile': 'emulator', 'security.workspace.trust.enabled': false }, null, 2),
  );
  const env = codeServerEnv({ emulatorUrl, awsDir });
  const child = spawn(
    code,
    ['--new-window', '--wait', `--extensionDevelopmentPath=${REPO_ROOT}`, `--extensionDevelopmentPath=${DEMO_START}`, '--user-data-dir', profileDir, workspace],
    { env, stdio: 'inherit' },
  );
  cleanup.add('VS Code', () => killTree(child.pid));
  log('demo', 'VS Code opened with the extension; close its window or press Ctrl-C to stop the emulator');
  await new Promise((resolve) => child.on('exit', resolve));
}

async function codeServer(emulatorUrl, awsDir) {
  const bin = ensureCodeServer();
  const profileDir = join(demoHome, 'code-server-profile');
  rmSync(profileDir, { recursive: true, force: true });
  const profile = createProfile({ emulatorUrl, baseDir: profileDir, workspaceDir: demoWorkspace(), workspaceFiles: { 'README.md': WELCOME } });
  // Installed as a link in the extensions folder, the extension loads in a plain workbench URL
  // (no extensionDevelopmentPath), the way a person would open code-server.
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  symlinkSync(REPO_ROOT, join(profile.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
  symlinkSync(DEMO_START, join(profile.extensionsDir, 'workmail-tools.workmail-demo-start-0.0.0'));
  const server = await startCodeServer({
    bin,
    port: Number(options.port),
    profile,
    env: codeServerEnv({ emulatorUrl, awsDir }),
    cleanup,
  });
  const url = `${server.url}/?folder=${encodeURIComponent(profile.workspace)}`;
  console.log(`\nWorkMail Permissions demo: open ${url}\n(it opens on the WorkMail view with the "Get started" walkthrough; Ctrl-C stops everything)\n`);
  await new Promise((resolve) => server.process.on('exit', resolve));
}

let exitCode = 0;
try {
  build();
  const emulator = await startEmulator({ cleanup });
  log('demo', `WorkMail emulator with the sample organizations at ${emulator.url}`);
  const awsDir = writeDemoAwsFiles();
  const code = options['code-server'] ? undefined : findOnPath('code');
  if (code) await desktop(code, emulator.url, awsDir);
  else await codeServer(emulator.url, awsDir);
} catch (error) {
  log('demo', error instanceof Error ? error.message : String(error));
  exitCode = 1;
} finally {
  await cleanup.run();
}
process.exit(exitCode);
