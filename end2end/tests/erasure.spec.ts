import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { enroll, open, ready, signIn, PASSWORD } from './pages';
import { linkIn, waitForMail } from './mail';
import { totp } from './totp';

const EMAIL = 'eli@example.test';

/** A code for a 30-second step after `used`, waiting for the clock when it must. */
async function freshCode(key: string, used: number): Promise<{ code: string; step: number }> {
  while (Math.floor(Date.now() / 1000 / 30) < used) await new Promise((r) => setTimeout(r, 500));
  const step = used + 1;
  return { code: totp(key, step * 30), step };
}

/** Asks for erasure on its page and confirms it with the mailed link and a code. */
async function requestAndConfirm(page: Page, info: TestInfo, key: string, used: number): Promise<number> {
  const since = Date.now();
  await open(page, '/erasure');
  await page.getByRole('button', { name: 'Email me the confirmation link' }).click();
  await expect(page).toHaveURL(/\/erasure\?e=erasure_sent$/);
  const mail = await waitForMail(info, EMAIL, 'Confirm the deletion of your account and data', since);
  await open(page, linkIn(mail, '/confirm/'));
  await expect(page.locator('#new-value')).toHaveText('Deleted after the grace period, unless you cancel');
  const { code, step } = await freshCode(key, used);
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: /Confirm/ }).click();
  await expect(page).toHaveURL(/\/confirmed\?field=erasure$/);
  await expect(page.locator('#erasure-scheduled')).toContainText('cancel with one click');
  return step;
}

/** The server's own command, on this project's database, as of `days` from now. */
function runErasureJob(info: TestInfo, days: number): string {
  const server = process.env.CUSTODIA_SERVER ?? '../target/debug/server';
  return execFileSync(server, ['erasure', 'run', '--days-ahead', String(days)], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://.data/${info.project.name}/db/custodia.db`,
      CUSTODIA_MASTER_KEY_FILE: `.data/${info.project.name}/db/master.key`,
      // The project's mail sink (playwright.config.ts), so the receipt goes out in this run.
      CUSTODIA_SMTP_URL: `smtp://127.0.0.1:${info.project.name === 'hydrated' ? 2611 : 2612}`,
      RUST_LOG: 'warn',
    },
    encoding: 'utf8',
  });
}

test('erasure: preview, confirm with link and code, cancel in the grace period, confirm again, carried out', async ({ page }, info) => {
  test.setTimeout(150_000);
  const key = await enroll(page, EMAIL);
  let used = Math.floor(Date.now() / 1000 / 30);

  // The preview: what goes, what the law keeps and why, who is told.
  await page.getByRole('link', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/erasure$/);
  await ready(page);
  await expect(page.locator('li[data-category="profile"]')).toContainText('Deleted');
  await expect(page.locator('li[data-category="activity"]')).toContainText('Deleted');
  await expect(page.locator('#erasure-recipients')).toContainText('Stripe Payments Europe Ltd');
  await expect(page.getByText('we delete everything above and send you a receipt')).toBeVisible();

  used = await requestAndConfirm(page, info, key, used);
  await open(page, '/my-data');
  const banner = page.locator('#erasure');
  await expect(banner).toContainText('Your account will be deleted on');
  // The time left, rendered by the server; with JavaScript an island keeps it current.
  await expect(banner.locator('.countdown')).toHaveText(/^1[34] days, \d{1,2} hours$/);
  await waitForMail(info, EMAIL, 'Your account will be deleted on', 0);

  // One click cancels.
  const since = Date.now();
  await banner.getByRole('button', { name: 'Cancel the deletion' }).click();
  await expect(page).toHaveURL(/\/my-data\?e=erasure_cancelled$/);
  await expect(page.getByRole('status')).toContainText('your account will not be deleted');
  await expect(page.locator('#erasure')).toHaveCount(0);
  await waitForMail(info, EMAIL, 'The deletion of your account is cancelled', since);
  await ready(page);

  // Confirm again, then the job runs on a day after the grace period.
  used = await requestAndConfirm(page, info, key, used);
  const ran = Date.now();
  const out = runErasureJob(info, 15);
  expect(out).toContain('1 erasure(s) carried out');

  // Signing in no longer works.
  await page.context().clearCookies();
  await signIn(page, EMAIL, PASSWORD);
  await expect(page).toHaveURL(/\/sign-in\?e=credentials$/);

  // The receipt mail: what was deleted, what is kept until when and why.
  const receipt = await waitForMail(info, EMAIL, 'Your account and data have been deleted', ran);
  expect(receipt.text).toContain('This is the last message you receive from us.');
  expect(receipt.text).toMatch(/ER-[A-Za-z0-9_-]{12}/);

  // Each recipient with a webhook got one signed call naming the customer.
  const dir = path.join('.data', info.project.name, 'webhooks');
  const calls = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
  const mine = calls.filter((c) => JSON.parse(c.body).customer_email === EMAIL);
  expect(mine.length).toBeGreaterThan(0);
  for (const call of mine) {
    expect(call.method).toBe('POST');
    expect(call.headers['x-custodia-event']).toBe('customer.erased');
    expect(call.headers['x-custodia-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  }
  expect(mine.map((c) => c.path)).toContain('/stripe-payments-europe-ltd');
});
