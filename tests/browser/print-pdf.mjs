// Prints HTML files to PDF in one kept-running headless Chromium (Debian's, through playwright-core), for the
// documents benchmark (crates/testkit/src/bin/bench-documents.rs): the same document's HTML that Typst lays out
// in process. Usage: node print-pdf.mjs N OUT_DIR FILE.html…  Prints one JSON object: per file, the median
// milliseconds of N prints (after one warm-up) and the PDF's size; each PDF is written to OUT_DIR.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';

const [, , count, outDir, ...files] = process.argv;
const n = Number(count);
const browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'bench-chromium-')), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
const results = {};
for (const file of files) {
  const html = readFileSync(file, 'utf8');
  const print = async () => {
    await page.setContent(html, { waitUntil: 'load' });
    return page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  };
  let pdf = await print();
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    pdf = await print();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  writeFileSync(join(outDir, basename(file).replace(/\.html$/, '.pdf')), pdf);
  results[basename(file)] = { median_ms: times[Math.floor(n / 2)], bytes: pdf.length };
}
console.log(JSON.stringify(results));
await browser.close();
