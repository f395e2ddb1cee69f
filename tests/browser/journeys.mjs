// Browser journeys for Accountable: a real headless Chromium drives the real binary.
//
// Run with `npm test` (= `node --test --test-reporter=spec journeys.mjs`) from tests/browser.
//
// Environment:
//   JOURNEY_BIN       the binary (default: ../../target/debug/accountable, relative to this file)
//   JOURNEY_DATABASE_URL  the database (default: a fresh sqlite: file in a new temporary folder)
//   JOURNEY_DB_LABEL      a label used in artifact names (default: sqlite)
//   CHROMIUM_PATH         the browser (default: /usr/bin/chromium)
//
// Artifacts (relative to the repository root): artifacts/screenshots/LABEL-NAME.png,
// artifacts/axe/LABEL-NAME.json, artifacts/LABEL-server.log (the server's stderr).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '..', '..');
const ARTIFACTS = join(REPO_ROOT, 'artifacts');
const SCREENSHOTS = join(ARTIFACTS, 'screenshots');
const AXE_DIR = join(ARTIFACTS, 'axe');

const BIN = process.env.JOURNEY_BIN
  ? resolve(process.env.JOURNEY_BIN) // relative to the working directory
  : resolve(HERE, '..', '..', 'target', 'debug', 'accountable');
const LABEL = process.env.JOURNEY_DB_LABEL || 'sqlite';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const OWNER_EMAIL = 'owner@northwind.example';
const OWNER_PASSWORD = 'accountable-demo';
const OWNER_NAME = 'Olivia Novak';
const AGENCY = 'Northwind Creative';

const STARTUP_TIMEOUT_MS = 120_000;
const LISTENING = /Accountable is listening on (127\.0\.0\.1|\[::1\]|localhost):(\d+)/;

// ---------------------------------------------------------------------------------------------
// State shared by the journeys (top-level tests in one file run one after the other, in order).

let tempDir = null; // the mkdtemp folder of the default SQLite database, removed at the end
let server = null; // the child process
let serverExit = null; // a promise that settles when the server exits
let baseUrl = null;
let browser = null;
let context = null; // the signed-in owner's context
let page = null;
let createdClientPath = null; // /clients/ID, set by journey 2, used by journey 4

const JOURNEYS = 10;
let passed = 0;
const summary = { axe: [] };

// ---------------------------------------------------------------------------------------------
// Helpers.

function log(message) {
  process.stdout.write(`    · ${message}\n`);
}

/** Starts the server and resolves with its base URL once it prints its "listening" line. */
function startServer(databaseUrl) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const logPath = join(ARTIFACTS, `${LABEL}-server.log`);
  const stderrLog = createWriteStream(logPath);
  const args = ['--database-url', databaseUrl, 'serve', '--listen', '127.0.0.1:0', '--demo'];
  // The binary refuses ACCOUNTABLE_* variables it does not know: pass none of the caller's.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ACCOUNTABLE_')));
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir(), env });
  server = child;
  child.stderr.pipe(stderrLog);
  serverExit = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));

  return new Promise((res, rej) => {
    const stdoutLines = [];
    const timer = setTimeout(() => {
      rej(new Error(`the server did not say it was listening within ${STARTUP_TIMEOUT_MS} ms; ` +
        `stdout so far:\n${stdoutLines.join('\n')}\nsee ${logPath}`));
    }, STARTUP_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      rej(new Error(`could not start ${BIN}: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rej(new Error(`the server exited before listening (code ${code}, signal ${signal}); ` +
        `stdout:\n${stdoutLines.join('\n')}\nsee ${logPath}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      stdoutLines.push(line);
      const m = LISTENING.exec(line);
      if (m) {
        clearTimeout(timer);
        res(`http://${m[1]}:${m[2]}`);
      }
    });
  });
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  server.kill('SIGTERM');
  const timeout = new Promise((res) => setTimeout(() => res('timeout'), 10_000));
  if ((await Promise.race([serverExit, timeout])) === 'timeout') {
    server.kill('SIGKILL');
    await serverExit;
  }
}

/**
 * Clicks `target` (a locator that submits a form or follows a link) and resolves with the
 * main frame's final navigation response (after any redirects), once the new page has loaded.
 */
async function navigateBy(p, target) {
  const response = p.waitForResponse((r) => r.request().isNavigationRequest() &&
    r.frame() === p.mainFrame() && !(r.status() >= 300 && r.status() < 400));
  await target.click();
  const r = await response;
  await p.waitForLoadState('load');
  return r;
}

async function screenshot(p, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${LABEL}-${name}.png`);
  await p.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Runs axe on the page, writes the full result to artifacts/axe, prints every violation and
 * returns the serious or critical ones as printable strings.
 */
async function accessibility(p, name) {
  const results = await new AxeBuilder({ page: p }).analyze();
  mkdirSync(AXE_DIR, { recursive: true });
  writeFileSync(join(AXE_DIR, `${LABEL}-${name}.json`), JSON.stringify(results, null, 2));
  const blocking = [];
  for (const v of results.violations) {
    const targets = v.nodes.map((n) => JSON.stringify(n.target)).join(', ');
    const line = `axe ${name} (${new URL(p.url()).pathname}): ${v.id} [${v.impact}] ${v.help} — ${targets}`;
    if (v.impact === 'serious' || v.impact === 'critical') {
      blocking.push(line);
      for (const n of v.nodes) {
        summary.axe.push({ page: name, rule: v.id, impact: v.impact, target: n.target, summary: n.failureSummary });
      }
    }
    log(line);
  }
  return blocking;
}

/** A screenshot and an axe run for one page; axe problems are added to `problems`. */
async function record(p, name, problems) {
  await screenshot(p, name);
  problems.push(...await accessibility(p, name));
}

/** Fails with every collected problem at once (so one journey reports all it found). */
function assertNoProblems(problems) {
  if (problems.length > 0) {
    assert.fail(`${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  }
}

/** Wraps a journey so that it is counted for the closing line. */
function journey(name, fn) {
  test(name, async (t) => {
    await fn(t);
    passed += 1;
  });
}

async function newContext() {
  const ctx = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 } });
  ctx.setDefaultTimeout(15_000);
  return ctx;
}

/** Watches a page for failing sub-resources (a missing stylesheet, say). */
function watchSubresources(p, problems) {
  const onResponse = (r) => {
    if (!r.request().isNavigationRequest() && r.status() >= 400) {
      problems.push(`sub-resource ${r.url()} answered ${r.status()}`);
    }
  };
  const onFailed = (req) => problems.push(`request ${req.url()} failed: ${req.failure()?.errorText}`);
  p.on('response', onResponse);
  p.on('requestfailed', onFailed);
  return () => {
    p.off('response', onResponse);
    p.off('requestfailed', onFailed);
  };
}

async function signIn(p, email, password) {
  await p.goto('/sign-in');
  await p.locator('#f-email').fill(email);
  await p.locator('#f-password').fill(password);
  return navigateBy(p, p.locator('form[action="/sign-in"] button.primary[type="submit"]'));
}

async function switchLanguage(p, language) {
  const before = new URL(p.url()).pathname;
  await p.locator('#language-switch').selectOption(language);
  const r = await navigateBy(p, p.locator('form.language button[type="submit"]'));
  assert.equal(r.status(), 200, `switching to ${language} answered ${r.status()}`);
  assert.equal(new URL(p.url()).pathname, before, `switching to ${language} should come back to ${before}`);
  assert.equal(await p.locator('html').getAttribute('lang'), language, `html[lang] after switching to ${language}`);
}

function clientsNavLink(p) {
  return p.locator('header nav a[href="/clients"]');
}

// ---------------------------------------------------------------------------------------------
// The journeys.

// Top-level tests (no describe), so that the spec reporter prints each journey as it ends and
// the closing line of the after hook comes after all of them.
{
  before(async () => {
    let databaseUrl = process.env.JOURNEY_DATABASE_URL;
    if (!databaseUrl) {
      tempDir = mkdtempSync(join(tmpdir(), 'accountable-journey-'));
      databaseUrl = `sqlite:${join(tempDir, 'journey.db')}`;
    }
    log(`binary ${BIN}`);
    log(`database ${databaseUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}`);
    baseUrl = await startServer(databaseUrl);
    log(`server at ${baseUrl}`);
    // launch() gives every run a fresh, temporary user-data directory.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    context = await newContext();
    page = await context.newPage();
  });

  after(async () => {
    try {
      if (browser) await browser.close();
    } finally {
      await stopServer();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      if (summary.axe.length > 0) {
        writeFileSync(join(ARTIFACTS, `${LABEL}-axe-serious.json`), JSON.stringify(summary.axe, null, 2));
      }
      process.stdout.write(`\nbrowser (${LABEL}): ${passed} passed, ${JOURNEYS - passed} failed\n`);
    }
  });

  journey('1. the owner signs in and sees the agency and their name', async (t) => {
    const problems = [];
    const unwatch = watchSubresources(page, problems);
    t.after(unwatch);
    await page.goto('/sign-in');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await record(page, 'sign-in', problems);

    const r = await signIn(page, OWNER_EMAIL, OWNER_PASSWORD);
    assert.equal(r.status(), 200, `after signing in: status ${r.status()}`);
    assert.equal(new URL(page.url()).pathname, '/', 'signing in lands on the home page');
    const header = page.locator('header');
    await header.getByText(AGENCY).first().waitFor();
    await header.getByText(OWNER_NAME).first().waitFor();
    assert.equal(await clientsNavLink(page).innerText(), 'Clients');
    await navigateBy(page, clientsNavLink(page));
    await record(page, 'clients', problems);
    assertNoProblems(problems);
  });

  journey('2. the owner adds a client, first with wrong fields', async (t) => {
    const problems = [];
    const unwatch = watchSubresources(page, problems);
    t.after(unwatch);
    await page.goto('/clients');
    assert.equal(new URL(page.url()).pathname, '/clients', 'the owner should be signed in (journey 1)');
    await navigateBy(page, page.locator('main a[href="/clients/new"]'));
    assert.equal(new URL(page.url()).pathname, '/clients/new');

    // Wrong: no name, a time zone that does not exist.
    await page.locator('#f-name').fill('');
    await page.locator('#f-time_zone').fill('Mars/Olympus');
    let r = await navigateBy(page, page.locator('form[action="/clients"] button.primary[type="submit"]'));
    assert.equal(r.status(), 422, `a client form with errors should answer 422, not ${r.status()}`);
    for (const field of ['name', 'time_zone']) {
      const error = page.locator(`.field:has(#f-${field}) p.error#e-${field}`);
      assert.equal(await error.count(), 1, `an error next to #f-${field}`);
      assert.ok((await error.innerText()).trim().length > 0, `the error next to #f-${field} has text`);
      assert.equal(await page.locator(`#f-${field}`).getAttribute('aria-invalid'), 'true', `#f-${field} is aria-invalid`);
      assert.match(await page.locator(`#f-${field}`).getAttribute('aria-describedby') || '', new RegExp(`\\be-${field}\\b`),
        `#f-${field} is described by its error`);
    }
    assert.equal(await page.locator('#f-time_zone').inputValue(), 'Mars/Olympus', 'the typed time zone is kept');
    await page.getByRole('alert').first().waitFor();
    await record(page, 'client-form-errors', problems);

    // Right.
    const name = `Journey Client ${Date.now()}`;
    await page.locator('#f-name').fill(name);
    await page.locator('#f-time_zone').fill('Europe/Budapest');
    r = await navigateBy(page, page.locator('form[action="/clients"] button.primary[type="submit"]'));
    assert.equal(r.status(), 200, `after saving the client: status ${r.status()}`);
    const path = new URL(page.url()).pathname;
    assert.match(path, /^\/clients\/\d+$/, `saving lands on the client's page, not ${path}`);
    createdClientPath = path;
    assert.equal((await page.locator('p.flash').innerText()).trim(), 'The client was added.');
    assert.equal((await page.locator('main h1').innerText()).trim(), name);
    await page.locator('main').getByText('Europe/Budapest').first().waitFor();
    await record(page, 'client', problems);
    assertNoProblems(problems);
  });

  journey('3. the owner switches the language to Hungarian, to Simplified Chinese and back', async (t) => {
    const problems = [];
    const unwatch = watchSubresources(page, problems);
    t.after(unwatch);
    await page.goto('/clients');
    assert.equal(new URL(page.url()).pathname, '/clients', 'the owner should be signed in (journey 1)');
    try {
      await switchLanguage(page, 'hu');
      const hu = (await clientsNavLink(page).innerText()).trim();
      if (hu === 'Clients') problems.push('the Hungarian page still says "Clients" in the navigation (not translated)');
      await record(page, 'clients-hu', problems);

      await switchLanguage(page, 'zh-Hans');
      const zh = (await clientsNavLink(page).innerText()).trim();
      if (zh === 'Clients') problems.push('the Simplified Chinese page still says "Clients" in the navigation (not translated)');
      await record(page, 'clients-zh-Hans', problems);
    } finally {
      // Back to English whatever happened, so that the journeys after this one read English.
      await page.goto('/clients');
      await switchLanguage(page, 'en');
    }
    assert.equal((await clientsNavLink(page).innerText()).trim(), 'Clients');
    assertNoProblems(problems);
  });

  journey("4. the owner opens the new client's history", async (t) => {
    const problems = [];
    const unwatch = watchSubresources(page, problems);
    t.after(unwatch);
    assert.ok(createdClientPath, 'journey 2 should have created a client');
    await page.goto(createdClientPath);
    await navigateBy(page, page.locator(`main a[href="${createdClientPath}/history"]`));
    assert.equal(new URL(page.url()).pathname, `${createdClientPath}/history`);
    const events = page.locator('main ol.history > li');
    assert.ok(await events.count() >= 1, 'the history lists at least one event');
    await events.filter({ hasText: 'Client created' }).first().waitFor();
    await record(page, 'history', problems);
    assertNoProblems(problems);
  });

  journey('5. a sign-in with a wrong password shows an error and stays on the sign-in page', async (t) => {
    const problems = [];
    const ctx = await newContext(); // not signed in
    try {
      const p = await ctx.newPage();
      watchSubresources(p, problems);
      const r = await signIn(p, OWNER_EMAIL, 'not-the-password');
      assert.ok(r.status() >= 400 && r.status() < 500, `a wrong password answers 4xx, not ${r.status()}`);
      assert.equal(new URL(p.url()).pathname, '/sign-in');
      const alert = p.getByRole('alert');
      await alert.first().waitFor();
      assert.ok((await alert.first().innerText()).trim().length > 0, 'the alert has text');
      assert.equal(await p.locator('#f-password').inputValue(), '', 'the password is not echoed back');
      assert.equal(await ctx.cookies().then((cs) => cs.some((c) => c.name === 'acc_session')), false,
        'no session cookie after a failed sign-in');
      await record(p, 'sign-in-error', problems);
    } finally {
      await ctx.close();
    }
    assertNoProblems(problems);
  });

  journey("6. the owner's settings, background work and outbox", async (t) => {
    const problems = [];
    const unwatch = watchSubresources(page, problems);
    t.after(unwatch);
    await page.goto('/clients');
    if (new URL(page.url()).pathname !== '/clients') {
      // Journey 1 did not leave the owner signed in: sign in here, so this journey stands alone.
      const r = await signIn(page, OWNER_EMAIL, OWNER_PASSWORD);
      assert.equal(r.status(), 200, `after signing in: status ${r.status()}`);
    }

    // The settings page, by the person's name in the header.
    let r = await navigateBy(page, page.locator('header a.who[href="/settings"]'));
    assert.equal(r.status(), 200, `/settings answered ${r.status()}`);
    assert.equal(new URL(page.url()).pathname, '/settings');

    // A new read token, shown once.
    const tokenName = `Journey token ${Date.now()}`;
    await page.locator('#f-name').fill(tokenName);
    await page.locator('#f-scope').selectOption('read');
    await page.locator('#f-days').fill('7');
    r = await navigateBy(page, page.locator('form[action="/settings/tokens"] button.primary[type="submit"]'));
    assert.equal(r.status(), 200, `creating a token answered ${r.status()}`);
    const secret = (await page.locator('code#new-token').innerText()).trim();
    assert.ok(secret.startsWith('acc_'), `the new token starts with acc_ (${secret.slice(0, 4)}…)`);
    assert.equal(secret.length, 68, 'the new token is 68 characters long');
    const row = page.locator('main table.list tbody tr', { hasText: tokenName });
    assert.equal(await row.count(), 1, 'the new token is listed once');
    await record(page, 'settings', problems);

    // The API accepts it.
    const me = () => fetch(`${baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    let api = await me();
    assert.equal(api.status, 200, `GET /api/v1/me with the new token answered ${api.status}`);
    const body = await api.json();
    assert.equal(body.email, OWNER_EMAIL, 'GET /api/v1/me names the owner');

    // Shown once only.
    r = await page.goto('/settings');
    assert.equal(r.status(), 200, `reloading /settings answered ${r.status()}`);
    assert.equal(await page.locator('code#new-token').count(), 0, 'no #new-token after a reload');
    assert.ok(!(await page.content()).includes(secret), 'the token text is not on the page after a reload');

    // Revoked, the API refuses it.
    const revoke = page.locator('main table.list tbody tr', { hasText: tokenName })
      .locator('form[action^="/settings/tokens/"][action$="/revoke"] button[type="submit"]');
    assert.equal((await revoke.innerText()).trim(), 'Revoke');
    r = await navigateBy(page, revoke);
    assert.equal(r.status(), 200, `revoking answered ${r.status()}`);
    assert.equal(new URL(page.url()).pathname, '/settings', 'revoking comes back to /settings');
    assert.equal(await page.locator('main table.list tbody tr', { hasText: tokenName })
      .locator('form[action$="/revoke"]').count(), 0, 'the revoked token has no Revoke button');
    api = await me();
    assert.equal(api.status, 401, `GET /api/v1/me with the revoked token answered ${api.status}, not 401`);

    // Background work and the outbox.
    for (const [path, name] of [['/background', 'background'], ['/outbox', 'outbox']]) {
      r = await page.goto(path);
      assert.equal(r.status(), 200, `${path} answered ${r.status()}`);
      assert.equal(new URL(page.url()).pathname, path);
      const h1 = (await page.locator('main h1').innerText()).trim();
      assert.ok(h1.length > 0, `${path} has an h1`);
      log(`${path}: h1 "${h1}"`);
      await record(page, name, problems);
    }
    assertNoProblems(problems);
  });

  journey('7. the owner uploads a Search Console export, checks the preview, imports it and sees the KPI', async (t) => {
    const problems = [];
    const unwatch = watchSubresources(page, problems);
    t.after(unwatch);
    await page.goto('/clients');
    if (new URL(page.url()).pathname !== '/clients') {
      const r = await signIn(page, OWNER_EMAIL, OWNER_PASSWORD);
      assert.equal(r.status(), 200, `after signing in: status ${r.status()}`);
    }
    // The client journey 2 added (it has no KPIs yet), or the first client of the list.
    const clientPath = createdClientPath ||
      await page.locator('main table.list tbody a[href^="/clients/"]').first().getAttribute('href');
    let r = await page.goto(`${clientPath}/kpis`);
    assert.equal(r.status(), 200, `${clientPath}/kpis answered ${r.status()}`);

    // A Search Console export of our own making: 60 days of Chart.csv and its Filters.csv.
    const lines = ['Date,Clicks,Impressions,CTR,Position'];
    const today = new Date();
    for (let i = 60; i >= 1; i -= 1) {
      const d = new Date(today.getTime() - i * 86_400_000).toISOString().slice(0, 10);
      const clicks = 40 + (i % 7) * 3;
      const impressions = 2000 + i * 11;
      lines.push(`${d},${clicks},"${impressions.toLocaleString('en-US')}",${(100 * clicks / impressions).toFixed(2)}%,${(8 + (i % 5) / 10).toFixed(1)}`);
    }
    await page.locator('#f-files').setInputFiles([
      { name: 'Chart.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n') },
      { name: 'Filters.csv', mimeType: 'text/csv', buffer: Buffer.from('Filter,Value\r\nSearch type,Web\r\nDate,Last 3 months\r\n') },
    ]);
    r = await navigateBy(page, page.locator('form.upload button.primary[type="submit"]'));
    assert.equal(r.status(), 200, `the preview answered ${r.status()}`);
    const preview = await page.locator('main').innerText();
    assert.ok(preview.includes('Ready to import'), 'the chart is ready to import');
    assert.ok(preview.includes('Organic search clicks'), 'the preview names the KPI it feeds');
    assert.ok(preview.includes('Nothing to import'), 'Filters.csv holds no measurements, and the page says so');
    await record(page, 'import-preview', problems);

    // The mapping can be changed before importing: the position column is left out, and checking again keeps
    // the choice.
    const position = page.locator('select[name="map.gsc:position"]');
    assert.equal(await position.count(), 1, 'the preview offers a choice for the position column');
    await position.selectOption('skip');
    r = await navigateBy(page, page.locator('form[action$="/imports"] button[formaction$="/imports/preview"]'));
    assert.equal(r.status(), 200, `checking again answered ${r.status()}`);
    assert.equal(await page.locator('select[name="map.gsc:position"]').inputValue(), 'skip', 'the choice is kept');

    r = await navigateBy(page, page.locator('form[action$="/imports"] button.primary[type="submit"]'));
    assert.equal(r.status(), 200, `importing answered ${r.status()}`);
    assert.equal(new URL(page.url()).pathname, `${clientPath}/kpis`, 'importing comes back to the KPIs page');
    const row = page.locator('main table.list tbody tr', { hasText: 'Organic search clicks' });
    assert.equal(await row.count(), 1, 'the imported KPI is listed');
    assert.equal(await row.locator('svg.sparkline polyline').count(), 1, 'with its chart');
    assert.equal(await page.locator('main table.list tbody tr', { hasText: 'Average search position' }).count(), 0,
      'the column left out fed no KPI');
    await record(page, 'kpis-after-import', problems);
    assertNoProblems(problems);
  });

  journey("8. the owner opens a demo client's goal and sees its pacing chart", async (t) => {
    const problems = [];
    const unwatch = watchSubresources(page, problems);
    t.after(unwatch);
    await page.goto('/clients?q=Ledgerline');
    if (new URL(page.url()).pathname !== '/clients') {
      const r = await signIn(page, OWNER_EMAIL, OWNER_PASSWORD);
      assert.equal(r.status(), 200, `after signing in: status ${r.status()}`);
      await page.goto('/clients?q=Ledgerline');
    }
    const clientPath = await page.locator('main table.list tbody a[href^="/clients/"]').first().getAttribute('href');
    let r = await page.goto(`${clientPath}/kpis`);
    assert.equal(r.status(), 200);
    await record(page, 'kpis-demo', problems);
    const goal = page.locator('main a[href^="/goals/"]').first();
    assert.equal(await page.locator('main a[href^="/goals/"]').count(), 2, 'the demo client has two goals');
    r = await navigateBy(page, goal);
    assert.equal(r.status(), 200, `the goal page answered ${r.status()}`);
    assert.equal(await page.locator('figure.chart svg polyline.actual').count(), 1, 'the actual line is drawn');
    assert.equal(await page.locator('figure.chart svg polyline.plan').count(), 1, 'the pacing line is drawn');
    const standing = (await page.locator('p.standing strong').innerText()).trim();
    assert.ok(['Ahead', 'On track', 'Behind'].includes(standing), `the goal says where it stands (${standing})`);
    await record(page, 'goal', problems);
    assertNoProblems(problems);
  });

  journey('9. the owner imports over stored days, sees what is replaced, undoes it after a confirmation, and the earlier values are back', async (t) => {
    const problems = [];
    const unwatch = watchSubresources(page, problems);
    t.after(unwatch);
    await page.goto('/clients');
    if (new URL(page.url()).pathname !== '/clients') {
      const r = await signIn(page, OWNER_EMAIL, OWNER_PASSWORD);
      assert.equal(r.status(), 200, `after signing in: status ${r.status()}`);
    }
    assert.ok(createdClientPath, 'journey 2 should have created a client (and journey 7 imported into it)');
    let r = await page.goto(`${createdClientPath}/kpis`);
    assert.equal(r.status(), 200);
    const clicksRow = () => page.locator('main table.list tbody tr', { hasText: 'Organic search clicks' }).first();
    const before = (await clicksRow().innerText()).trim();

    // The last ten days again, with other figures: the preview names what they replace.
    const lines = ['Date,Clicks,Impressions,CTR,Position'];
    const today = new Date();
    for (let i = 10; i >= 1; i -= 1) {
      const d = new Date(today.getTime() - i * 86_400_000).toISOString().slice(0, 10);
      lines.push(`${d},999,5000,19.98%,3.0`);
    }
    await page.locator('#f-files').setInputFiles([
      { name: 'Chart.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n') },
    ]);
    r = await navigateBy(page, page.locator('form.upload button.primary[type="submit"]'));
    assert.equal(r.status(), 200, `the preview answered ${r.status()}`);
    const preview = await page.locator('main').innerText();
    assert.match(preview, /replaces 10 values of Organic search clicks, imported on/,
      'the preview says which stored values the file replaces and where they came from');
    await record(page, 'import-preview-replaces', problems);
    r = await navigateBy(page, page.locator('form[action$="/imports"] button.primary[type="submit"]'));
    assert.equal(r.status(), 200, `importing answered ${r.status()}`);
    assert.notEqual((await clicksRow().innerText()).trim(), before, 'the new figures show');

    // Undo asks once, on a page of its own that works without JavaScript.
    const undo = page.locator('main a[href^="/imports/"][href$="/undo"]').first();
    r = await navigateBy(page, undo);
    assert.equal(r.status(), 200, `the question answered ${r.status()}`);
    assert.equal((await page.locator('main h1').innerText()).trim(), 'Undo this import?');
    assert.ok((await page.locator('main').innerText()).includes('Chart.csv'), 'the question names the file');
    await record(page, 'confirm-undo', problems);
    r = await navigateBy(page, page.locator('main form button.danger[type="submit"]'));
    assert.equal(r.status(), 200, `undoing answered ${r.status()}`);
    assert.equal(new URL(page.url()).pathname, `${createdClientPath}/kpis`, 'undoing comes back to the KPIs page');
    assert.equal((await clicksRow().innerText()).trim(), before, 'the values the import replaced are back');

    // Archiving asks too, in every language; "Cancel" changes nothing.
    try {
      for (const language of ['en', 'hu', 'zh-Hans', 'zh-Hant']) {
        await page.goto(createdClientPath);
        await switchLanguage(page, language);
        r = await page.goto(`${createdClientPath}/archive`);
        assert.equal(r.status(), 200, `the archive question (${language}) answered ${r.status()}`);
        await record(page, `confirm-archive-${language}`, problems);
        r = await navigateBy(page, page.locator('main form a.button'));
        assert.equal(new URL(page.url()).pathname, createdClientPath, `cancel (${language}) goes back to the client`);
      }
    } finally {
      await page.goto('/clients');
      await switchLanguage(page, 'en');
    }
    assertNoProblems(problems);
  });

  journey("10. the owner's home page shows every client by account executive, in four languages", async (t) => {
    const problems = [];
    const unwatch = watchSubresources(page, problems);
    t.after(unwatch);
    let r = await page.goto('/');
    if (new URL(page.url()).pathname !== '/') {
      r = await signIn(page, OWNER_EMAIL, OWNER_PASSWORD);
      r = await page.goto('/');
    }
    assert.equal(r.status(), 200, `the home page answered ${r.status()}`);
    assert.equal((await page.locator('main h1').innerText()).trim(), 'Home');
    assert.ok(await page.locator('main table.home tbody tr').count() >= 8, 'every demo client is listed');
    assert.ok(await page.locator('main table.home .badge').count() >= 16, "each demo goal's standing shows");
    try {
      for (const language of ['en', 'hu', 'zh-Hans', 'zh-Hant']) {
        await switchLanguage(page, language);
        await record(page, `home-${language}`, problems);
      }
    } finally {
      await page.goto('/');
      await switchLanguage(page, 'en');
    }
    assertNoProblems(problems);
  });
}
