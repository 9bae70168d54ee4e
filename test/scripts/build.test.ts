// scripts/build.mjs builds the commands the first view does not need into dist/deferred.js, which
// takes every module it shares with dist/extension.js from that bundle instead of holding a copy:
// a copy would mean two MailboxNode classes (instanceof fails across them), two caches, two command
// pipelines. These tests read what the build wrote.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

/** The source files a bundle was built from, as its source map names them (relative to dist/). */
function sourcesOf(bundle: string): string[] {
  return (JSON.parse(readFileSync(join(DIST, `${bundle}.map`), 'utf8')) as { sources: string[] }).sources;
}

describe('build: the deferred commands bundle', function () {
  this.timeout(120_000);

  before(() => {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
  });

  it('holds the audit, migration and change-file commands and no module dist/extension.js holds', () => {
    const deferred = sourcesOf('deferred.js');
    const extension = new Set(sourcesOf('extension.js'));
    for (const group of ['src/commands/audit/index.ts', 'src/commands/migration/index.ts', 'src/commands/changes/index.ts']) {
      assert.ok(deferred.includes(`../${group}`), `dist/deferred.js holds ${group}`);
      assert.ok(!extension.has(`../${group}`), `dist/extension.js does not hold ${group}`);
    }
    // Each bundle has its own one-line module that requires 'vscode' once.
    const copies = deferred.filter((source) => extension.has(source) && !source.startsWith('vscode-once:'));
    assert.deepEqual(copies, [], 'modules bundled twice');
  });

  it('takes its shared modules from the very module VS Code loaded, and every one of them is there', () => {
    // Loaded in a child process with an inert stand-in for 'vscode', as the extension host would load them.
    const probe = `
      const extension = require(${JSON.stringify(join(DIST, 'extension.js'))});
      const deferred = require(${JSON.stringify(join(DIST, 'deferred.js'))});
      const names = require(${JSON.stringify(join(DIST, 'extension.js'))}).sharedModules['src/workmail/names.ts'];
      process.stdout.write(JSON.stringify({
        shared: Object.keys(extension.sharedModules),
        register: typeof deferred.registerDeferredCommands,
        activate: typeof extension.activate,
        sameNames: names === extension.sharedModules['src/workmail/names.ts'] && typeof names.compareNames === 'function',
      }));`;
    const run = spawnSync(process.execPath, ['-r', join(ROOT, 'bench', 'inert-vscode.cjs'), '-e', probe], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const loaded = JSON.parse(run.stdout) as { shared: string[]; register: string; activate: string; sameNames: boolean };
    assert.equal(loaded.activate, 'function');
    assert.equal(loaded.register, 'function');
    assert.equal(loaded.sameNames, true);
    const taken = [...readFileSync(join(DIST, 'deferred.js'), 'utf8').matchAll(/require\("\.\/extension\.js"\)\.sharedModules\["([^"]+)"\]/g)].map((match) => match[1]!);
    assert.ok(taken.length > 0, 'dist/deferred.js takes the tree, the session and the command pipeline from dist/extension.js');
    assert.deepEqual(
      taken.filter((key) => !loaded.shared.includes(key)),
      [],
      'modules dist/deferred.js takes that dist/extension.js does not export',
    );
  });
});
