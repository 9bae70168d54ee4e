// `npm run demo` as a newcomer runs it: the printed URL opens a workbench already on the WorkMail view
// (no click needed) with the "Get started" walkthrough beside it, the view shows the sample
// organizations, and Ctrl-C leaves nothing running.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { freePort, killTree, launchChromium, REPO_ROOT } from '../../scripts/lib/harness.mjs';
import { assertEventually, openWorkMailView, SCREENSHOT_DIR, workmailTree } from './workbench';

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

describe('UI: npm run demo', function () {
  this.timeout(180_000);
  let demo: ChildProcess | undefined;
  let browser: Browser | undefined;
  const demoDir = mkdtempSync(join(tmpdir(), 'workmail-demo-test-'));

  after(async () => {
    await browser?.close().catch(() => {});
    await killTree(demo?.pid);
    rmSync(demoDir, { recursive: true, force: true });
  });

  it('prints a URL that opens on the WorkMail view with the walkthrough beside it, and stops everything on Ctrl-C', async () => {
    const port = await freePort();
    demo = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'demo.mjs'), '--code-server'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port), WORKMAIL_DEMO_DIR: demoDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    demo.stdout?.on('data', (chunk) => (output += chunk));
    demo.stderr?.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => demo?.on('exit', (code) => resolve(code)));

    await assertEventually(async () => /open (http:\/\/\S+)/.test(output), `the demo printed no URL:\n${output}`, 120_000);
    const url = output.match(/open (http:\/\/\S+)/)![1]!;
    assert.ok(url.startsWith(`http://127.0.0.1:${port}/`), `the demo should listen on 127.0.0.1:${port} (PORT), printed ${url}`);
    const emulatorUrl = output.match(/emulator with the sample organizations at (http:\/\/\S+)/)?.[1];
    assert.ok(emulatorUrl, 'the demo did not say where its emulator listens');

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    // Before anyone clicks: the WorkMail view is the one shown, and the walkthrough is open.
    await workmailTree(page).waitFor({ state: 'visible', timeout: 60_000 });
    const icon = page.locator('.activitybar .action-item').filter({ has: page.locator('a[aria-label^="WorkMail"]') });
    assert.match((await icon.getAttribute('class')) ?? '', /\bchecked\b/, 'the WorkMail icon of the activity bar should be the selected one');
    await page.locator('.getting-started-step[data-step-id$="#profile"]').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await page.locator('.sidebar .monaco-list[aria-label="Files Explorer"]').isVisible(), false, 'the Explorer should not be what the demo opens on');
    // Only widens the side bar: the view is shown already, so nothing is clicked.
    const tree = await openWorkMailView(page);
    for (const alias of ['acme', 'acme-eu']) {
      await tree.locator(`.monaco-list-row[aria-level="1"][aria-label^="${alias} "]`).waitFor({ timeout: 30_000 });
    }
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'demo.png') });
    await browser.close();
    browser = undefined;

    demo.kill('SIGINT');
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 20_000))]);
    assert.equal(code, 0, 'the demo did not exit cleanly on Ctrl-C');
    assert.equal(await answers(url), false, 'code-server still answers after Ctrl-C');
    assert.equal(await answers(`${emulatorUrl}/__emulator/organizations`), false, 'the emulator still answers after Ctrl-C');
  });
});
