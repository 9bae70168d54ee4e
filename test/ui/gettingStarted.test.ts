// The first minutes of a new user: the walkthrough "Get started with WorkMail Permissions" opens from
// the Command Palette and its first two steps (profile, regions) tick off as the person does them,
// the third when a mailbox is opened;
// the active profile is in the status bar, with the regions on hover, and a click changes it.
import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { seedUserByName, shownName } from './seed';
import {
  assertEventually,
  expand,
  openWorkMailView,
  quickInput,
  quickPickLabels,
  quickPickOk,
  quickPickItem,
  row,
  runFromPalette,
  statusBarItem,
  useUiEnvironment,
} from './workbench';

const WALKTHROUGH = 'Get started with WorkMail Permissions';

function step(page: Page, id: string): Locator {
  return page.locator(`.getting-started-step[data-step-id$="#${id}"]`);
}

async function assertChecked(page: Page, id: string, checked: boolean): Promise<void> {
  await assertEventually(
    async () => (await step(page, id).getAttribute('aria-checked')) === String(checked),
    `the walkthrough step "${id}" should be ${checked ? 'checked' : 'unchecked'}`,
  );
}

/** Opens a step (a click on its title) unless it is open already, then clicks its button. */
async function clickStepButton(page: Page, id: string, button: string): Promise<void> {
  const element = step(page, id);
  if ((await element.getAttribute('aria-expanded')) !== 'true') await element.click();
  await assertEventually(async () => (await element.getAttribute('aria-expanded')) === 'true', `the step "${id}" did not open`);
  await element.locator('.button-container .monaco-button', { hasText: button }).click();
}

describe('UI: getting started', function () {
  this.timeout(120_000);
  const env = useUiEnvironment();

  it('opens the walkthrough and ticks off "choose a profile", "pick regions" and "browse a mailbox" as they are done', async () => {
    const { page } = env;
    await runFromPalette(page, 'Welcome: Open Walkthrough');
    const entry = quickPickItem(page, WALKTHROUGH);
    await entry.waitFor({ timeout: 20_000 });
    await entry.click();
    await step(page, 'profile').waitFor({ timeout: 30_000 });
    for (const id of ['profile', 'regions', 'browse', 'grant', 'migrate']) await assertChecked(page, id, false);

    // Step 1: its button runs Select AWS Profile; the person keeps the emulator profile.
    await clickStepButton(page, 'profile', 'Select AWS Profile');
    await assertEventually(async () => (await quickPickLabels(page)).some((label) => /^emulator\b(?!-)/.test(label)), 'Select AWS Profile listed no "emulator" profile');
    const labels = await quickPickLabels(page);
    await quickInput(page).locator('.quick-input-list .monaco-list-row').nth(labels.findIndex((label) => /^emulator\b(?!-)/.test(label))).click();
    await assertChecked(page, 'profile', true);
    await assertChecked(page, 'regions', false);

    // Step 2: Select Regions, confirmed with all three regions.
    await clickStepButton(page, 'regions', 'Select Regions');
    await quickPickItem(page, 'us-east-1').waitFor({ timeout: 20_000 });
    await quickPickOk(page).click();
    await assertChecked(page, 'regions', true);
    for (const id of ['browse', 'grant', 'migrate']) await assertChecked(page, id, false);
    await env.screenshot('walkthrough.png');

    // Step 3 ticks off when a mailbox is opened in the view, not when the view merely shows.
    const tree = await openWorkMailView(page);
    await expand(row(tree, 1, 'acme '));
    await expand(row(tree, 2, 'Users'));
    await assertChecked(page, 'browse', false);
    await expand(row(tree, 3, `${shownName(seedUserByName('acme', 'Alice Johnson'))} `));
    await assertChecked(page, 'browse', true);
    for (const id of ['grant', 'migrate']) await assertChecked(page, id, false);
  });

  it('shows the active profile in the status bar, the regions on hover, and Select Profile on click', async () => {
    const { page } = env;
    await openWorkMailView(page);
    const item = statusBarItem(page, 'WorkMail profile: emulator');
    await item.waitFor({ timeout: 30_000 });
    assert.match((await item.textContent()) ?? '', /emulator/);

    await item.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'us-east-1' });
    await hover.first().waitFor({ timeout: 10_000 });
    const text = (await hover.first().textContent()) ?? '';
    for (const expected of ['emulator', 'us-east-1', 'us-west-2', 'eu-west-1', 'Account']) assert.ok(text.includes(expected), `the hover should name ${expected}: "${text}"`);
    await env.screenshot('status-bar-profile.png');

    // The account appears once a call has read it: Check Connection reads it (DescribeOrganization).
    // The emulator's organizations carry account 111122223333 in their ARN.
    const account = '111122223333';
    assert.ok(!text.includes(account), 'the account was shown before anything read it');
    await page.mouse.move(640, 300);
    await runFromPalette(page, 'WorkMail: Check Connection');
    let seen: string[] = [];
    await assertEventually(async () => {
      await page.mouse.move(640, 300);
      await item.hover();
      // Only the hover on screen counts: an earlier one (a tree row's) can linger hidden in the page.
      const shown = page.locator('.monaco-hover:visible, .workbench-hover:visible').filter({ hasText: 'us-east-1' });
      // The workbench shows a hover only after the pointer has rested a moment on the item.
      await shown.first().waitFor({ timeout: 5_000 }).catch(() => {});
      seen = await shown.allTextContents();
      return seen.some((hoverText) => hoverText.includes(account));
    }, `the hover did not name the account ${account} after Check Connection`, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; hovers seen: ${JSON.stringify(seen)}`);
    });

    await page.mouse.move(640, 300);
    await item.click();
    await quickInput(page).locator('.quick-input-title', { hasText: 'Select AWS Profile for WorkMail' }).waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');
  });
});
