// Where files are offered to be saved: in the workspace folder the first time, then in the folder
// last used for that same command, and a command's memory is its own.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { assertEventually, contextMenu, openWorkMailView, quickInput, quickPickItem, quickPickOk, row, useUiEnvironment } from './workbench';

/** The path the save dialog (VS Code's own, a quick input in the browser) proposes. */
async function proposedPath(page: Page): Promise<string> {
  const input = quickInput(page).locator('input');
  await assertEventually(async () => (await input.isVisible()) && /\.(csv|json)$/.test(await input.inputValue()), 'no save dialog proposed a file');
  return input.inputValue();
}

describe('UI: save dialogs', function () {
  this.timeout(120_000);
  const env = useUiEnvironment();

  it('offers the workspace folder first, then the folder last used for the same command only', async () => {
    const { page, workspace } = env;
    const exports = join(workspace, 'exports');
    mkdirSync(exports, { recursive: true });
    const tree = await openWorkMailView(page);
    const acme = row(tree, 1, 'acme ');
    await acme.waitFor({ timeout: 30_000 });

    const exportAsCsv = async (): Promise<string> => {
      await contextMenu(page, acme, 'Export Permissions…');
      await quickPickItem(page, 'CSV').click();
      return proposedPath(page);
    };

    const first = await exportAsCsv();
    assert.equal(dirname(first), workspace, `the first export should be offered in the workspace folder, not ${first}`);
    assert.match(first, /workmail-permissions-acme-\d{4}-\d{2}-\d{2}\.csv$/);
    const chosen = join(exports, 'acme.csv');
    await quickInput(page).locator('input').fill(chosen);
    // The dialog follows the typed path as it goes; OK takes it once it has caught up.
    await assertEventually(async () => {
      if (!(await quickInput(page).isVisible())) return true;
      await quickPickOk(page).click({ timeout: 2_000 }).catch(() => {});
      return !(await quickInput(page).isVisible());
    }, 'the save dialog did not take the typed path');
    await assertEventually(async () => existsSync(chosen), `nothing was written to ${chosen}`, 60_000);
    // The export opens what it wrote; let that settle before the next right-click.
    await page.locator('.tabs-container .tab', { hasText: 'acme.csv' }).waitFor({ timeout: 30_000 });

    const second = await exportAsCsv();
    assert.equal(dirname(second), exports, `the next export should be offered where the last one went, not ${second}`);
    await page.keyboard.press('Escape');

    await contextMenu(page, acme, 'Save Migration Snapshot…');
    const snapshot = await proposedPath(page);
    assert.equal(dirname(snapshot), workspace, `another command keeps its own folder: the workspace, not ${snapshot}`);
    await page.keyboard.press('Escape');
  });
});
