// A person opens a change file in the workbench, clicks the Plan lens above its first line, and
// reads the plan beside it: the call each line would make, and nothing written.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertEventually, openWorkMailView, useUiEnvironment } from './workbench';
import { seedUserByName } from './seed';

describe('UI: a change file and its plan', function () {
  this.timeout(120_000);
  const env = useUiEnvironment();

  it('the Plan lens opens the plan beside the file, with the call each line makes, and writes nothing', async () => {
    const acme = await env.emulator.organizationByAlias('acme');
    const alice = seedUserByName('acme', 'Alice Johnson');
    const tara = seedUserByName('acme', 'Tara Singh');
    const before = await env.emulator.rightsOf(acme.id, alice.id, tara.id);
    writeFileSync(join(env.workspace, 'q4.workmail-changes.csv'), 'action,mailbox,grantee,rights,organization\ngrant,alice.johnson,tara.singh,SEND_AS,acme\n');
    // The extension is active once its view has been shown.
    await openWorkMailView(env.page);
    const page = env.page;
    await page.keyboard.press('Control+P');
    await page.keyboard.type('q4.workmail-changes.csv');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'q4.workmail-changes.csv' }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Plan' }).first();
    await lens.waitFor({ timeout: 30_000 });
    await lens.click();

    // Rendered beside the file: the markdown preview, titled by the file it plans.
    const tab = page.locator('.tab', { hasText: 'Plan for q4.workmail-changes.csv' });
    await tab.waitFor({ timeout: 30_000 });
    const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const shown = async (): Promise<string> => ((await preview.locator('body').textContent({ timeout: 5_000 }).catch(() => '')) ?? '').replace(/\u00a0/g, ' ');
    await assertEventually(async () => /PutMailboxPermissions/.test(await shown()), 'the plan shows the Put it would make', 30_000);
    const text = await shown();
    assert.equal(await preview.locator('table tr').count(), 2, 'a rendered table: the header and one line');
    assert.doesNotMatch(text, /\\_/, 'no markdown escapes on show');
    assert.match(text, /Alice Johnson/);
    assert.match(text, /Nothing has been written/);
    await env.screenshot('change-file-plan.png');
    assert.deepEqual(await env.emulator.rightsOf(acme.id, alice.id, tara.id), before, 'planning wrote nothing');
  });
});
