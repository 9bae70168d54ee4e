// The .vsix holds only what a user needs: the bundle, the icon, the README with its screenshots,
// the CHANGELOG, the LICENSE, package.json and the change-file schema the editor validates with. `vsce ls` lists exactly what `npm run package` packs.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

describe('package contents', () => {
  it('lists exactly the files a user of the extension needs', function () {
    this.timeout(60_000);
    // vsce lists only files that exist, so build the bundle first (as `npm run package` does).
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    const vsce = join(ROOT, 'node_modules', '.bin', 'vsce');
    const listed = spawnSync(vsce, ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    const files = listed.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .sort();
    assert.deepEqual(files, [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/extension.js',
      'dist/workmail.js',
      'docs/images/grant-quickpick.png',
      'docs/images/revoke-confirm.png',
      'docs/images/tree.png',
      'media/workmail.svg',
      'package.json',
      'schemas/changes.schema.json',
    ]);
  });
});
