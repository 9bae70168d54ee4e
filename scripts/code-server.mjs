// Installs code-server (VS Code's server + web workbench, from npm) into a cache outside this
// repository, the first time it is needed. The offline machines this project is tested on reach
// only npm and Debian, so @vscode/test-electron cannot download VS Code; code-server can be
// installed from npm if its postinstall (which downloads ripgrep from GitHub) is skipped and the
// native modules are rebuilt here instead. See docs/DEVELOPMENT.md.
//
//   node scripts/code-server.mjs      install if needed, print the binary path
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync, readFileSync, lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';

/** Native modules of VS Code's server that ship as sources and must be compiled for this Node. */
const VSCODE_NATIVE_MODULES = ['node-pty', '@vscode/spdlog', 'native-watchdog', '@parcel/watcher', '@vscode/deviceid'];

export function codeServerDir() {
  return (
    process.env.WORKMAIL_CODE_SERVER_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'workmail-permissions', `code-server-${CODE_SERVER_VERSION}`)
  );
}

function paths(dir) {
  const pkg = join(dir, 'node_modules', 'code-server');
  const vscode = join(pkg, 'lib', 'vscode');
  return {
    marker: join(dir, '.installed'),
    bin: join(dir, 'node_modules', '.bin', 'code-server'),
    pkg,
    vscode,
    extensions: join(vscode, 'extensions'),
  };
}

function run(cmd, args, cwd, log, extraEnv = {}) {
  log(`[code-server] (${cwd}) ${cmd} ${args.join(' ')}`);
  // Keep npm from walking up to this repository's package.json/lockfile or its workspace config,
  // and from prompting (node-pty's install script runs `npx node-gyp`).
  const env = {
    ...process.env,
    npm_config_yes: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    ...extraEnv,
  };
  for (const key of Object.keys(env)) {
    // Variables npm sets when this script itself runs under `npm run`/`npm test` point at the repo.
    if (/^npm_(package|lifecycle|config_local_prefix|config_prefix)/i.test(key)) delete env[key];
  }
  const result = spawnSync(cmd, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${result.status ?? result.signal})`);
  }
}

export function isCodeServerInstalled(dir = codeServerDir()) {
  const p = paths(dir);
  if (!existsSync(p.marker) || !existsSync(p.bin)) return false;
  return readFileSync(p.marker, 'utf8').trim() === CODE_SERVER_VERSION;
}

/** Installs code-server if needed and returns the path of its launcher. */
export function ensureCodeServer({ log = (line) => console.error(line) } = {}) {
  const dir = codeServerDir();
  const p = paths(dir);
  if (isCodeServerInstalled(dir)) return p.bin;

  const started = Date.now();
  log(`[code-server] installing code-server@${CODE_SERVER_VERSION} into ${dir} (first run only, ~320 MB from npm)`);
  // A marker-less folder is a half-finished install: start over rather than trust it.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'workmail-code-server-cache', private: true, description: 'code-server for the WorkMail Permissions test harness' }, null, 2),
  );

  run('npm', ['install', '--no-save', '--ignore-scripts', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], dir, log);
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], p.vscode, log);
  run('npm', ['rebuild', ...VSCODE_NATIVE_MODULES], p.vscode, log);
  // kerberos is only used for proxy authentication; it builds only when libkrb5-dev is present.
  if (existsSync('/usr/bin/krb5-config')) {
    try {
      run('npm', ['rebuild', 'kerberos'], p.vscode, log);
    } catch {
      log('[code-server] kerberos did not build; only proxy authentication needs it');
    }
  }
  run('npm', ['rebuild', 'argon2'], dir, log);

  const asar = join(p.vscode, 'node_modules.asar');
  if (!existsSync(asar)) symlinkSync('node_modules', asar);
  run('npm', ['install', '--omit=dev', '--ignore-scripts'], p.extensions, log);

  linkRipgrep(p.vscode, log);

  writeFileSync(p.marker, `${CODE_SERVER_VERSION}\n`);
  log(`[code-server] installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return p.bin;
}

/** VS Code's search uses ripgrep; its postinstall would download it, Debian's package works too. */
function linkRipgrep(vscodeDir, log) {
  const systemRg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((candidate) => existsSync(candidate));
  const binDir = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  const target = join(binDir, 'rg');
  if (!systemRg) {
    log('[code-server] ripgrep not found (apt-get install ripgrep); search inside the workbench will not work');
    return;
  }
  mkdirSync(binDir, { recursive: true });
  try {
    lstatSync(target);
    return;
  } catch {
    symlinkSync(systemRg, target);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(ensureCodeServer());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
