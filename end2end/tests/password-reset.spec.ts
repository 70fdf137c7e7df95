import { test, expect } from '@playwright/test';
import { totp } from './totp';
import { enrollKeepingCodes, ready, secondBrowser } from './pages';
import { linkIn, waitForMail } from './mail';

test('a forgotten password is reset from the mailed link and a code, signing every browser out', async ({ page, browser }, info) => {
  const email = 'bea@example.test';
  const { key } = await enrollKeepingCodes(page, email);
  const since = Date.now();

  // Another browser, signed out: from sign-in to the form, which answers the same for anyone.
  const other = await secondBrowser(browser);
  await other.goto('/sign-in');
  await ready(other);
  await other.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(other).toHaveURL(/\/password\/forgot$/);
  await ready(other);
  await other.getByLabel('Email address').fill(email);
  await other.getByRole('button', { name: 'Send the link' }).click();
  await expect(other.getByRole('status')).toContainText('If an account uses that address, we have sent it a link');

  const mail = await waitForMail(info, email, 'Reset your password', since);
  await other.goto(linkIn(mail, '/password/reset/'));
  await ready(other);
  await expect(other.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  const fresh = 'bea chose this new passphrase in december';
  await other.getByLabel('New password').fill(fresh);
  await other.getByLabel('Authentication code').fill('000000');
  await other.getByRole('button', { name: 'Set the new password' }).click();
  await expect(other.locator('#field-code-error')).toContainText('That code is not right');
  await ready(other);
  await other.getByLabel('New password').fill(fresh);
  // A step later than the enrollment's code: each code works once.
  await other.getByLabel('Authentication code').fill(totp(key, Date.now() / 1000 + 30));
  await other.getByRole('button', { name: 'Set the new password' }).click();
  await expect(other).toHaveURL(/\/sign-in\?e=reset_done$/);
  await expect(other.getByRole('status')).toContainText('Your password is reset');

  // The browser that was signed in is signed out; the new password works; the customer is told.
  await page.goto('/my-data');
  await expect(page).toHaveURL(/\/sign-in/);
  await ready(other);
  await other.getByLabel('Email address').fill(email);
  await other.getByLabel('Password').fill(fresh);
  await other.getByRole('button', { name: 'Sign in' }).click();
  await expect(other).toHaveURL(/\/sign-in\/code$/);
  const notice = await waitForMail(info, email, 'Your password was reset', since);
  expect(notice.text).toContain('signed-in browsers and devices were signed out');

  // The link worked once.
  await other.goto(linkIn(mail, '/password/reset/'));
  await expect(other.locator('[data-reason="link_used"]')).toBeVisible();
  await other.context().close();
});
