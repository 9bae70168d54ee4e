// English is the only language shipped, but every string a person reads can be translated: the
// manifest's text is in package.nls.json, and l10n/bundle.l10n.json (what `npm run l10n` collects
// from the vscode.l10n.t calls) is the current list, so a translator works from what the code says.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

describe('localizable text', function () {
  this.timeout(60_000);

  it('keeps l10n/bundle.l10n.json in step with the vscode.l10n.t calls (npm run l10n)', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { l10n?: string; scripts: Record<string, string> };
    assert.equal(manifest.l10n, './l10n');
    const dir = mkdtempSync(join(tmpdir(), 'workmail-l10n-'));
    try {
      const exported = spawnSync(join(ROOT, 'node_modules', '.bin', 'vscode-l10n-dev'), ['export', '--outDir', dir, './src'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(exported.status, 0, exported.stderr);
      const fresh = JSON.parse(readFileSync(join(dir, 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
      const committed = JSON.parse(readFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
      assert.deepEqual(Object.keys(committed).sort(), Object.keys(fresh).sort(), 'l10n/bundle.l10n.json is out of date: run npm run l10n');
      assert.ok(Object.keys(fresh).length > 100, 'hardly any text goes through vscode.l10n.t');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes every manifest string from package.nls.json', () => {
    const manifest = readFileSync(join(ROOT, 'package.json'), 'utf8');
    const strings = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const parsed = JSON.parse(manifest) as { contributes: { commands: Array<{ title: string; category: string }>; walkthroughs: Array<{ title: string }> } };
    for (const command of parsed.contributes.commands) {
      assert.match(command.title, /^%.+%$/, `${command.title} is not localizable`);
      assert.match(command.category, /^%.+%$/);
    }
    for (const walkthrough of parsed.contributes.walkthroughs) assert.match(walkthrough.title, /^%.+%$/);
    const used = [...manifest.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]!);
    assert.deepEqual(used.filter((key) => typeof strings[key] !== 'string'), [], 'keys without text in package.nls.json');
    assert.deepEqual(Object.keys(strings).filter((key) => !used.includes(key)), [], 'texts in package.nls.json that nothing uses');
  });
});
