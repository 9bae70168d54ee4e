// Installs the Debian packages the test harness needs and a fresh machine lacks.
// Idempotent: only missing binaries are installed, `apt-get update` runs at most once, and
// nothing is attempted unless running as root (otherwise a clear message says what to install).
//
//   node scripts/ensure-system.mjs            chromium (required), awscli + ripgrep (optional)
//   node scripts/ensure-system.mjs --check    only report, install nothing
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM_PATH = process.env.WORKMAIL_CHROMIUM ?? '/usr/bin/chromium';

/** What the harness needs from the system: binary to look for, Debian package that provides it. */
const REQUIREMENTS = [
  { name: 'chromium', binary: CHROMIUM_PATH, pkg: 'chromium', required: true, why: 'the browser that drives code-server' },
  { name: 'aws', binary: 'aws', pkg: 'awscli', required: false, why: 'the emulator tests that call the AWS CLI' },
  { name: 'rg', binary: 'rg', pkg: 'ripgrep', required: false, why: "VS Code's search inside code-server" },
];

export function findOnPath(binary) {
  if (binary.includes('/')) return existsSync(binary) ? binary : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function hasAptGet() {
  return findOnPath('apt-get') !== undefined;
}

let aptUpdated = false;
function apt(args) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  return result.status === 0;
}

function aptInstall(pkg) {
  if (!aptUpdated) {
    console.log('[ensure-system] apt-get update');
    if (!apt(['update'])) return false;
    aptUpdated = true;
  }
  console.log(`[ensure-system] apt-get install -y ${pkg}`);
  return apt(['install', '-y', '--no-install-recommends', pkg]);
}

/**
 * Makes sure the required system packages are present.
 * Returns true when every *required* binary is available afterwards.
 */
export function ensureSystem({ checkOnly = false, log = console.log } = {}) {
  let ok = true;
  for (const req of REQUIREMENTS) {
    if (findOnPath(req.binary)) continue;
    const canInstall = !checkOnly && isRoot() && hasAptGet();
    if (canInstall && aptInstall(req.pkg) && findOnPath(req.binary)) {
      log(`[ensure-system] installed ${req.pkg}`);
      continue;
    }
    const level = req.required ? 'missing' : 'optional, missing';
    const hint = isRoot() ? `apt-get install -y ${req.pkg}` : `sudo apt-get install -y ${req.pkg}`;
    log(`[ensure-system] ${req.name} (${level}) is needed for ${req.why}; install it with: ${hint}`);
    if (req.required) ok = false;
  }
  return ok;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const ok = ensureSystem({ checkOnly: process.argv.includes('--check') });
  process.exit(ok ? 0 : 1);
}
