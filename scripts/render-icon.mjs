// Renders media/icon.svg to media/icon.png (128×128, the Marketplace icon vsce packs) with the
// Chromium the UI tests use. Run after editing the SVG, and commit both:
//   node scripts/render-icon.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, REPO_ROOT } from './lib/harness.mjs';

const svg = readFileSync(join(REPO_ROOT, 'media', 'icon.svg'), 'utf8');
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(REPO_ROOT, 'media', 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('media/icon.png written');
