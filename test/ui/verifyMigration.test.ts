// After cutover a person runs Verify Migration… from the palette: picks the snapshot, the
// destination and the read-back file the script wrote, and reads the report: what arrived and the
// one delegation that did not. The browser's file dialog is the workbench's own (a path typed into
// the quick input), so the destination is grommunio, whose read-back is one file.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mailboxAddresses, planDestination, renderDestination } from '../../src/workmail/migration/destinations';
import { unchangedAddresses } from '../../src/workmail/migration/destinations';
import { grommunioExport } from '../workmail/migration/exports';
import { grant, group, interpretGrommunio, snapshotOf, user } from '../workmail/migration/support';
import { assertEventually, openWorkMailView, quickInput, quickPickItem, useUiEnvironment, type UiEnvironment } from './workbench';

/** A small organization with names a reader recognises. */
function organization() {
  return snapshotOf(
    [
      user('u-alice', 'alice.johnson@acme.example.com', { displayName: 'Alice Johnson' }),
      user('u-bob', 'bob.martinez@acme.example.com', { displayName: 'Bob Martinez' }),
      user('u-tara', 'tara.singh@acme.example.com', { displayName: 'Tara Singh' }),
      user('u-noah', 'noah.fischer@acme.example.com', { displayName: 'Noah Fischer' }),
      group('g-support', 'support@acme.example.com', ['u-bob', 'u-tara']),
    ],
    [
      grant('u-alice', 'u-bob', ['FULL_ACCESS', 'SEND_AS']),
      grant('u-alice', 'u-tara', ['SEND_ON_BEHALF']),
      grant('u-noah', 'u-alice', ['FULL_ACCESS']),
      grant('g-support', 'u-tara', ['SEND_AS']),
    ],
    { organization: { id: 'm-11111111111111111111111111111111', alias: 'acme', region: 'us-east-1', state: 'Active', defaultMailDomain: 'acme.example.com' } },
  );
}

describe('UI: verifying a migration', function () {
  this.timeout(180_000);
  const env = useUiEnvironment();

  it('Verify Migration… from the palette reports what arrived and names the one delegation missing', async () => {
    const snapshot = organization();
    const plan = planDestination('grommunio', snapshot, unchangedAddresses(), { generatedAt: new Date('2027-03-20T09:00:00Z') });
    const applied = interpretGrommunio(renderDestination(plan));
    const lost = applied.find((a) => a.owner === 'alice.johnson@acme.example.com' && a.grantee === 'tara.singh@acme.example.com');
    assert.ok(lost, 'the script carries Tara Singh\'s send on behalf on Alice Johnson\'s mailbox');
    const snapshotFile = join(env.workspace, 'acme.snapshot.json');
    const readBack = join(env.workspace, 'grommunio-readback.jsonl');
    writeFileSync(snapshotFile, JSON.stringify(snapshot, null, 2));
    writeFileSync(readBack, grommunioExport(applied.filter((a) => a !== lost), mailboxAddresses(plan)));

    // The extension is active once its view has been shown.
    await openWorkMailView(env.page);
    const page = env.page;
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('WorkMail: Verify Migration');
    await quickPickItem(page, 'WorkMail: Verify Migration').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await typePath(env, snapshotFile);
    await choose(env, 'grommunio');
    await choose(env, 'The same addresses as in WorkMail');
    await typePath(env, readBack);

    // The summary the person is told, then the report: rendered, or its markdown source.
    const arrived = plan.delegations.length - 1;
    const toast = page.locator('.notifications-toasts');
    await assertEventually(async () => ((await toast.textContent()) ?? '').includes(`${arrived} arrived, 1 missing`), `the summary says ${arrived} arrived, 1 missing`, 30_000);
    const text = async (): Promise<string> => {
      const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
      const rendered = (await preview.locator('body').textContent({ timeout: 2_000 }).catch(() => '')) ?? '';
      const source = (await page.locator('.editor-instance .view-lines').first().textContent({ timeout: 2_000 }).catch(() => '')) ?? '';
      return `${rendered}\n${source}`.replace(/\u00a0/g, ' ');
    };
    await assertEventually(async () => /1 delegation is missing/.test(await text()), 'the report says one delegation is missing', 30_000);
    assert.match(await text(), /tara\.singh@acme\.example\.com/i, 'the report names the missing delegate');
    // The summary has been read; closed, it no longer hides the missing row in the picture.
    await page.locator('.notifications-toasts .codicon-notifications-clear').first().click({ timeout: 5_000 }).catch(() => {});
    await env.screenshot('verification-report.png');
  });
});

/**
 * Answers the workbench's own open dialog (a quick input holding a path) with an absolute path.
 * The dialog fills in its starting folder a moment after it shows, and may fill it in again while
 * it loads that folder, so the path is typed until it stays; then it is what Enter accepts, and
 * the dialog (or its step) is gone once it has.
 */
async function typePath(env: UiEnvironment, file: string): Promise<void> {
  const box = quickInput(env.page).locator('input.input');
  await box.waitFor({ timeout: 20_000 });
  await assertEventually(async () => (await box.inputValue()).endsWith('/'), 'the open dialog shows its starting folder', 20_000);
  // The dialog may still be settling on its folder when the path is typed, and then puts the
  // folder back; type the path again until it stays.
  await assertEventually(async () => {
    if ((await box.inputValue()) !== file) await box.fill(file);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return (await box.inputValue()) === file;
  }, 'the path stays in the open dialog', 20_000);
  await env.page.keyboard.press('Enter');
  await assertEventually(async () => !(await box.isVisible()) || (await box.inputValue()) !== file, `the open dialog took ${file}`, 20_000);
}

async function choose(env: UiEnvironment, label: string): Promise<void> {
  const item = quickPickItem(env.page, label);
  await item.waitFor({ timeout: 20_000 });
  await item.click();
}
