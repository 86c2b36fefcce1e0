// Renders a conformance HTML report in headless Chromium (Debian's chromium, driven by playwright-core) and
// saves a PNG, for docs/conformance-report.png:
//   node bin/run-ts.js conformance/tools/screenshot.ts REPORT.html OUT.png
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [html, png] = process.argv.slice(2);
if (html === undefined || png === undefined) {
  process.stderr.write('usage: screenshot.ts REPORT.html OUT.png\n');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(resolve(html)).href);
  await page.screenshot({ path: png, fullPage: false });
} finally {
  await browser.close();
}
