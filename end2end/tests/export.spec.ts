import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { enroll, open, ready } from './pages';
import { waitForMail } from './mail';
import { totp } from './totp';

const EMAIL = 'xavi@example.test';

/** A code for a 30-second step after `used`, waiting for the clock when it must. */
async function freshCode(key: string, used: number): Promise<{ code: string; step: number }> {
  while (Math.floor(Date.now() / 1000 / 30) < used) await new Promise((r) => setTimeout(r, 500));
  const step = used + 1;
  return { code: totp(key, step * 30), step };
}

test('export: asked for with a code, progress, mail, downloaded with a fresh code, complete and valid', async ({ page }, info) => {
  test.setTimeout(120_000);
  const key = await enroll(page, EMAIL);
  let used = Math.floor(Date.now() / 1000 / 30);

  // What My data shows, to find again in the package.
  const shown = ['Xavier Puig', EMAIL, '+34 611 222 333', 'Carrer de Mallorca 401', '3r 2a', 'Barcelona', '08013', 'Catalunya',
    'ORD-77001', 'ORD-77002', 'Rain jacket, size M', '=SUM(A1:A9) socks', 'T-5501', 'Where is my <b>parcel</b>?'];
  for (const value of shown) await expect(page.locator('main')).toContainText(value);

  await page.getByRole('link', { name: 'Download my data' }).click();
  await expect(page).toHaveURL(/\/export$/);
  await ready(page);
  const since = Date.now();
  let fresh = await freshCode(key, used);
  used = fresh.step;
  await page.locator('#field-ask-code').fill(fresh.code);
  await page.getByRole('button', { name: 'Prepare my export' }).click();
  await expect(page).toHaveURL(/\/export\?e=export_requested&f=ask$/);
  await expect(page.getByRole('status')).toContainText('we are preparing your export');

  // Progress: with JavaScript the bar polls and the page reloads itself when the file is ready;
  // without, the customer refreshes.
  const latest = page.locator('section[data-export-state]');
  await expect(latest).toHaveAttribute('data-export-state', /queued|building|ready/);
  const js = info.project.use.javaScriptEnabled;
  await expect
    .poll(async () => {
      if (!js) await page.reload();
      return latest.getAttribute('data-export-state');
    }, { timeout: 60_000, intervals: [1_000] })
    .toBe('ready');
  await expect(page.locator('#export-ready')).toContainText('You can download it until');
  if (js) {
    // The ready state's page (accessibility.spec.ts audits the page before any export).
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    // For the README, beside foundation.spec.ts's screenshots.
    for (const [width, height, kind] of [[1280, 860, 'desktop'], [390, 844, 'phone']] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: `screenshots/export-ready-${kind}.png` });
    }
  }
  const mail = await waitForMail(info, EMAIL, 'Your data export is ready', since);
  expect(mail.text).toContain('/export');

  // Downloading without the code step is refused beside the field.
  await ready(page);
  await page.locator('#field-download-code').fill('123');
  await page.getByRole('button', { name: 'Download the ZIP file' }).click();
  await expect(page).toHaveURL(/\/export\?e=code_malformed&f=download$/);
  await expect(page.locator('#field-download-code')).toHaveAttribute('aria-invalid', 'true');

  fresh = await freshCode(key, used);
  used = fresh.step;
  await page.locator('#field-download-code').fill(fresh.code);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download the ZIP file' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^custodia-export-C-[A-Za-z0-9-]+-\d{4}-\d{2}-\d{2}\.zip$/);
  const dir = path.join('.data', info.project.name, 'export');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const zip = path.join(dir, 'export.zip');
  await download.saveAs(zip);
  const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const name of ['data.json', 'schema.json', 'manifest.json', 'index.html', 'activity.csv', 'orders.csv', 'support_tickets.csv']) {
    expect(listing).toContain(name);
  }
  execFileSync('unzip', ['-q', '-o', zip, '-d', dir]);
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

  // data.json validates against the schema shipped beside it, and holds what My data shows.
  const data = JSON.parse(read('data.json'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(read('schema.json')));
  expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
  const text = JSON.stringify(data);
  for (const value of shown) expect(text).toContain(JSON.stringify(value).slice(1, -1));
  expect(data.orders).toHaveLength(2);
  expect(data.activity.some((a: { kind: string }) => a.kind === 'export_requested')).toBe(true);

  // The CSV is safe to open in a spreadsheet; the page is self-contained and escaped.
  expect(read('orders.csv')).toContain(`"'=SUM(A1:A9) socks"`);
  const html = read('index.html');
  expect(html).toContain('Where is my &#60;b&#62;parcel&#60;/b&#62;?');
  expect(html).not.toMatch(/<script|<link|\ssrc=/);
  const manifest = JSON.parse(read('manifest.json'));
  expect(manifest.rights.map((r: { article: string }) => r.article)).toContain('77');
  expect(manifest.categories.find((c: { key: string }) => c.key === 'orders').recipients.length).toBeGreaterThan(0);
});
