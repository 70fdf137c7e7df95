import { test, expect } from '@playwright/test';
import { totp } from './totp';
import { PASSWORD, enrollKeepingCodes, ready, secondBrowser, signIn } from './pages';
import { waitForMail } from './mail';

test('replacing the authenticator app signs out every other browser and issues new codes', async ({ page, browser }, info) => {
  const email = 'ada@example.test';
  const { key: oldKey, codes } = await enrollKeepingCodes(page, email);
  expect(codes).toHaveLength(10);
  // A second browser signed in with the old app, a step later (each code works once).
  const other = await secondBrowser(browser);
  await signIn(other, email, PASSWORD);
  await expect(other).toHaveURL(/\/sign-in\/code/);
  await ready(other);
  await other.getByLabel('Authentication code').fill(totp(oldKey, Date.now() / 1000 + 30));
  await other.getByRole('button', { name: 'Continue' }).click();
  await expect(other).toHaveURL(/\/my-data/);
  const since = Date.now();

  await page.goto('/sessions');
  await ready(page);
  await page.getByRole('link', { name: 'Replace your authenticator app' }).click();
  await expect(page).toHaveURL(/\/authenticator$/);
  await ready(page);
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('Code from your current app, or a recovery code').fill('000000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('#field-code-error')).toContainText('That code is not right');
  await ready(page);
  await page.getByLabel('Current password').fill(PASSWORD);
  // The phone is lost: a recovery code stands in for the old app.
  await page.getByLabel('Code from your current app, or a recovery code').fill(codes[0]);
  await page.getByRole('button', { name: 'Continue' }).click();

  await ready(page);
  const newKey = (await page.locator('#totp-key').getAttribute('data-key')) ?? '';
  expect(newKey).not.toBe(oldKey);
  await page.getByLabel('Code from the new app').fill(totp(newKey));
  await page.getByRole('button', { name: 'Replace authenticator' }).click();
  await expect(page).toHaveURL(/\/recovery-codes\?e=authenticator_changed$/);
  await ready(page);
  await expect(page.getByRole('status')).toContainText('Your new authenticator app is set up');
  await expect(page.locator('#recovery-codes li')).toHaveCount(10);
  expect(await page.locator('#recovery-codes li').allTextContents()).not.toContain(codes[1]);

  // The other browser is signed out; the customer is told by mail.
  await other.goto('/my-data');
  await expect(other).toHaveURL(/\/sign-in/);
  const mail = await waitForMail(info, email, 'Your authenticator app was replaced', since);
  expect(mail.text).toContain('other signed-in browsers and devices were signed out');
  await other.context().close();
});
