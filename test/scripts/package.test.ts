// The .vsix holds only what a user needs: the bundle, the icons, the walkthrough's pages, the README
// with its screenshots, the CHANGELOG, the LICENSE, package.json and the change-file schema the
// editor validates with. `vsce ls` lists exactly what `npm run package` packs. And `npm run package`
// itself passes without a flag that hides vsce's warnings, with a Marketplace icon.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const VSCE = join(ROOT, 'node_modules', '.bin', 'vsce');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  icon?: string;
  repository?: { url?: string };
  bugs?: { url?: string };
  homepage?: string;
  keywords?: string[];
  galleryBanner?: { color?: string; theme?: string };
  scripts: Record<string, string>;
};

/** vsce flags that let a package through with what it would otherwise warn about or refuse. */
const HIDING_FLAGS = ['--allow-missing-repository', '--allow-star-activation', '--allow-proposed-apis', '--allow-package-secrets', '--allow-package-all-secrets', '--allow-package-env-file', '--skip-license', '--allow-unused-files-pattern', '--allow-unused-files-patterns'];

function build(production = false): void {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), ...(production ? ['--production'] : [])], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
}

describe('package contents', function () {
  this.timeout(120_000);

  it('lists exactly the files a user of the extension needs', function () {
    // vsce lists only files that exist, so build the bundle first (as `npm run package` does).
    build();
    const listed = spawnSync(VSCE, ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
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
      'dist/deferred.js',
      'dist/extension.js',
      'dist/workmail.js',
      'docs/images/demo.png',
      'docs/images/grant-quickpick.png',
      'docs/images/revoke-confirm.png',
      'docs/images/status-bar-profile.png',
      'docs/images/tree.png',
      'docs/images/walkthrough.png',
      'l10n/bundle.l10n.json',
      'media/icon.png',
      'media/walkthrough/browse.md',
      'media/walkthrough/grant.md',
      'media/walkthrough/migrate.md',
      'media/walkthrough/profile.md',
      'media/walkthrough/regions.md',
      'media/workmail.svg',
      'package.json',
      'package.nls.json',
      'schemas/changes.schema.json',
    ]);
  });

  it('has a 128×128 PNG icon and the Marketplace fields, all pointing at one repository', () => {
    assert.equal(manifest.icon, 'media/icon.png');
    const png = readFileSync(join(ROOT, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', 'the icon is not a PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'the icon should be 128×128');
    const repository = manifest.repository?.url?.replace(/\.git$/, '');
    assert.match(repository ?? '', /^https:\/\/github\.com\/[^/]+\/[^/]+$/);
    assert.equal(manifest.bugs?.url, `${repository}/issues`);
    assert.ok(manifest.homepage?.startsWith(repository!), `homepage ${manifest.homepage} is not in ${repository}`);
    assert.ok((manifest.keywords ?? []).length > 0, 'no keywords');
    assert.ok(manifest.galleryBanner?.color && manifest.galleryBanner.theme, 'no gallery banner');
  });

  it('packages with `npm run package`\'s own flags, none of them hiding a warning, and packs the icon', () => {
    const script = manifest.scripts.package ?? '';
    for (const flag of HIDING_FLAGS) assert.ok(!script.includes(flag), `npm run package hides vsce's warnings with ${flag}`);
    const vsce = script.split('&&').map((part) => part.trim()).find((part) => part.startsWith('vsce package'));
    assert.ok(vsce, `npm run package does not run vsce package: ${script}`);
    build(true);
    const dir = mkdtempSync(join(tmpdir(), 'workmail-vsix-'));
    try {
      const args = vsce.split(/\s+/).slice(1);
      const out = args.indexOf('--out');
      if (out >= 0) args.splice(out, 2);
      const packed = spawnSync(VSCE, [...args, '--out', join(dir, 'test.vsix')], { cwd: ROOT, encoding: 'utf8' });
      const output = `${packed.stdout}\n${packed.stderr}`;
      assert.equal(packed.status, 0, output);
      assert.doesNotMatch(output, /WARNING|warn/i, output);
      assert.match(output, /icon\.png/, `the package does not hold the icon:\n${output}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      // Leave the development build in dist/, as the other tests expect.
      build();
    }
  });
});
