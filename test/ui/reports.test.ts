// A person asks "what can Maya open?" from the Command Palette: the organization and the person are
// chosen from lists in name order, and the answer opens as a rendered report titled with her name.
import * as assert from 'node:assert/strict';
import { assertEventually, openWorkMailView, quickInput, quickPickItem, quickPickLabels, useUiEnvironment } from './workbench';

const byName = (a: string, b: string): number => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true });

/** The label of a quick pick row without its icon ("mail  acme, us-east-1" → "acme"). */
function pickName(label: string, icon: string): string {
  return label.replace(new RegExp(`^${icon}\\s+`), '').split(',')[0]!.trim();
}

describe('UI: reports', function () {
  this.timeout(180_000);
  const env = useUiEnvironment();

  it('Show Access of… from the palette: organizations and people in name order, the report rendered and titled by the person', async () => {
    const page = env.page;
    // The extension is active once its view has been shown.
    await openWorkMailView(page);
    await page.keyboard.press('F1');
    await page.keyboard.type('WorkMail: Show Access of');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Access of' }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');

    // Organizations: by alias, with the region (not the raw ID) and the icon the tree gives them.
    let orgs: string[] = [];
    await assertEventually(async () => {
      orgs = (await quickPickLabels(page)).filter((label) => /^mail /.test(label));
      return orgs.length >= 3 && orgs.some((label) => pickName(label, 'mail') === 'acme-eu');
    }, 'the organization picker did not fill');
    const aliases = orgs.map((label) => pickName(label, 'mail'));
    assert.deepEqual(aliases, [...aliases].sort(byName), `organizations are not in alias order: ${aliases.join(' | ')}`);
    assert.ok(orgs.every((label) => /, (us-east-1|us-west-2|eu-west-1)/.test(label) && !/\bm-[0-9a-f]{8}/.test(label)), `each shows its region and no ID: ${orgs.join(' | ')}`);
    await quickPickItem(page, 'mail  acme,').click();

    // People: by name, users first.
    let people: string[] = [];
    await assertEventually(async () => {
      people = (await quickPickLabels(page)).filter((label) => /^person /.test(label)).map((label) => pickName(label, 'person'));
      return people.length >= 8;
    }, 'the person picker did not fill');
    assert.deepEqual(people, [...people].sort(byName), `people are not in name order: ${people.join(' | ')}`);
    await page.keyboard.type('Maya Patel');
    await quickPickItem(page, 'person  Maya Patel,').click();
    await quickInput(page).waitFor({ state: 'hidden', timeout: 20_000 });

    // The report: rendered in the markdown preview, its tab titled by whose access it is.
    const tab = page.locator('.tabs-container .tab', { hasText: 'Access of Maya Patel' });
    await tab.waitFor({ timeout: 60_000 });
    assert.match((await tab.textContent()) ?? '', /Preview Access of Maya Patel\.md/);
    const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const shown = async (): Promise<string> => ((await preview.locator('body').textContent({ timeout: 5_000 }).catch(() => '')) ?? '').replace(/\u00a0/g, ' ');
    await assertEventually(async () => /Mailbox access of Maya Patel/.test(await shown()), 'the report did not render', 30_000);
    assert.equal(await preview.locator('h1').first().textContent(), 'Mailbox access of Maya Patel · maya.patel@acme.example.com');
    assert.ok((await preview.locator('table tr').count()) >= 2, 'a rendered table: the header and at least one mailbox');
    assert.deepEqual(await preview.locator('table th').allTextContents(), ['Mailbox', 'Email', 'Rights', 'How']);
    assert.doesNotMatch(await shown(), /\\[(_*|]/, 'no markdown escapes on show');
    // The markdown source is one click away: the preview's own "Open Source" button.
    await page.locator('.action-label[aria-label^="Open Source"], .action-label.codicon-go-to-file').first().waitFor({ state: 'visible', timeout: 10_000 });
    await env.screenshot('access-report.png');
  });
});
