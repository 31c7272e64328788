// End-to-end test of the operator console in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core; no browser download). Run by ConsoleBrowserTest:
//   node src/test/browser/console-e2e.mjs <baseUrl> <operatorToken> <screenshotDir>
// The service must already hold dead-lettered orders; this script forces nothing itself. It signs in,
// reprocesses two DLQ entries through the page, checks that they leave the table and reach PROCESSED,
// looks one up with its history, and fails on any browser console error. Exit 0 only when all passed.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [baseUrl, token, screenshotDir] = process.argv.slice(2);
if (!baseUrl || !token || !screenshotDir) {
  console.error('usage: node console-e2e.mjs <baseUrl> <operatorToken> <screenshotDir>');
  process.exit(2);
}
mkdirSync(screenshotDir, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'console-e2e-'));
const TIMEOUT = 30_000;

function step(text) {
  console.log(new Date().toISOString() + ' ' + text);
}

function check(condition, text) {
  if (!condition) {
    throw new Error('check failed: ' + text);
  }
}

/** The service's own view, through the API (the page is under test, this is the witness). */
async function orderStatus(id) {
  const r = await fetch(baseUrl + '/orders/' + id);
  check(r.status === 200, 'GET /orders/' + id + ' answered ' + r.status);
  return (await r.json()).status;
}

async function until(what, probe, timeoutMs = TIMEOUT) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error('timed out waiting for ' + what);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic'],
  viewport: { width: 1366, height: 768 },
});
const errors = [];
let exitCode = 1;
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      errors.push('console: ' + msg.text());
    }
  });
  page.on('pageerror', (error) => errors.push('page error: ' + error.message));

  step('open ' + baseUrl + '/console');
  const response = await page.goto(baseUrl + '/console');
  check(response.ok(), 'the console page answered ' + response.status());
  check(page.url().endsWith('/console/'), 'redirected to /console/, at ' + page.url());
  await page.getByLabel('Operator token').waitFor();

  step('a wrong token is refused with a clear message');
  await page.getByLabel('Operator token').fill('not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#notice').filter({ hasText: '401' }).waitFor();
  check(await page.evaluate(() => sessionStorage.length) === 0, 'a refused token is not kept');
  // Chromium itself logs a 401 response as a console error ("Failed to load resource"): expected here only
  const expected = errors.splice(0).filter((e) => !/status of 401/.test(e));
  errors.push(...expected);

  step('sign in');
  await page.getByLabel('Operator token').fill(token);
  await page.getByLabel('Operator token').press('Enter');
  await page.locator('#console').waitFor({ state: 'visible' });
  check(await page.evaluate(() => Object.keys(sessionStorage).length === 1 && localStorage.length === 0),
    'the token is in session storage only');
  const rows = page.locator('#dlq-rows tr');
  await until('DLQ rows', async () => (await rows.count()) >= 3);
  const before = await rows.count();
  const dlqSize = await page.locator('#dlq-size').textContent();
  check(Number(dlqSize) === before, 'overview DLQ size ' + dlqSize + ' matches the table (' + before + ' rows)');
  step('DLQ shows ' + before + ' entries');

  step('filter by reason');
  await page.getByLabel('Filter by reason').fill('no-such-reason-anywhere');
  await until('the filter to hide every row', async () => (await rows.count()) === 0);
  await page.getByLabel('Filter by reason').fill('injected');
  await until('the filter to show the rows again', async () => (await rows.count()) === before);

  const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.orderId));
  const chosen = ids.slice(0, 2);
  step('select ' + chosen.join(', ') + ' with the keyboard and reprocess them');
  for (const id of chosen) {
    const box = page.getByLabel('Select order ' + id);
    await box.focus();
    await page.keyboard.press('Space');
    check(await box.isChecked(), 'checkbox of ' + id + ' checked');
  }
  const bulk = page.getByRole('button', { name: 'Reprocess selected (2)' });
  await bulk.click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ state: 'visible' });
  check((await dialog.textContent()).includes('2 orders'), 'the dialog names what will be reprocessed');
  await page.screenshot({ path: join(screenshotDir, 'confirm-dialog.png') });
  await dialog.getByRole('button', { name: 'Reprocess' }).click();
  await page.locator('#dlq-message').filter({ hasText: 'Reprocessed 2 orders' }).waitFor();
  for (const id of chosen) {
    await page.locator('#dlq-rows tr[data-order-id="' + id + '"]').waitFor({ state: 'detached' });
  }
  check(await rows.count() === before - 2, 'two rows left the table');

  step('both reach PROCESSED (service API)');
  for (const id of chosen) {
    await until(id + ' PROCESSED', async () => (await orderStatus(id)) === 'PROCESSED');
  }

  step('look up ' + chosen[0] + ' by id and see its history');
  await page.getByLabel('Order id or correlation id').fill(chosen[0]);
  await page.getByRole('button', { name: 'Look up' }).click();
  await page.locator('#detail-status').filter({ hasText: 'PROCESSED' }).waitFor();
  const history = await page.locator('#history-rows tr').allTextContents();
  check(history.length === 3, 'three transitions, got ' + JSON.stringify(history));
  check(history[0].includes('FAILED') && history[1].includes('reprocessed by an operator')
    && history[2].includes('PROCESSED'), 'history FAILED, reprocessed, PROCESSED: ' + JSON.stringify(history));

  step('look up ' + chosen[1] + ' by its correlation id');
  const correlation = await (await fetch(baseUrl + '/orders/' + chosen[1])).json();
  await page.getByLabel('Order id or correlation id').fill(correlation.correlationId);
  await page.getByLabel('Order id or correlation id').press('Enter');
  await page.locator('#detail-id').filter({ hasText: chosen[1] }).waitFor();
  await page.locator('#detail-status').filter({ hasText: 'PROCESSED' }).waitFor();

  step('overview counts and chart');
  await until('the chart to draw a line', async () => (await page.locator('#rate-chart polyline').count()) === 2);
  await until('the overview to count the processed orders',
    async () => Number(await page.locator('#count-PROCESSED').textContent()) >= 2);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(screenshotDir, 'console.png') });
  await page.screenshot({ path: join(screenshotDir, 'console-full.png'), fullPage: true });

  step('keyboard: the first Tab stop after sign-in is a real control, with a visible focus ring');
  await page.locator('body').focus();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el.tagName, outline: getComputedStyle(el).outlineStyle };
  });
  check(['BUTTON', 'INPUT', 'A'].includes(focused.tag), 'focus on a control, got ' + focused.tag);
  check(focused.outline !== 'none', 'focus is visible');

  check(errors.length === 0, 'no console errors, got: ' + JSON.stringify(errors));
  step('passed');
  exitCode = 0;
} catch (error) {
  console.error(error.stack || String(error));
  if (errors.length) {
    console.error('console errors: ' + JSON.stringify(errors));
  }
  try {
    const page = context.pages()[0];
    if (page) {
      await page.screenshot({ path: join(screenshotDir, 'failure.png'), fullPage: true });
    }
  } catch (ignored) {
    // the failure itself is what matters
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(exitCode);
