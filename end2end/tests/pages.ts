// Shared steps. With JavaScript on, wait for hydration before typing, so every click goes
// through the hydrated app rather than racing it.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { totp } from './totp';

export const DEMO = { email: 'demo@custodia.test', password: 'custodia-demo-2026' };

// Customers imported from fixtures/customers.json before the server started.
export const PASSWORD = 'e2e-password-2026';

// The staff member playwright.config.ts creates with `server staff add` (key and password given
// through CUSTODIA_STAFF_TOTP_KEY and CUSTODIA_STAFF_PASSWORD).
export const AGENT = { email: 'agent@example.test', password: 'e2e-staff-password-2026', key: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };
export const DPO = { ...AGENT, email: 'dpo@example.test' };

/** Staff sign-in with password and a code from the authenticator key. */
/** `ahead`: use the next step's code, when this account may have signed in within this step. */
export async function staffSignIn(page: Page, who: { email: string; password: string; key: string }, ahead = 0) {
  await open(page, '/staff/sign-in');
  await page.getByLabel('Email address').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByLabel('Authentication code').fill(totp(who.key, Date.now() / 1000 + 30 * ahead));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  await ready(page);
}

export const CATEGORIES = [
  'profile', 'contact', 'addresses', 'orders', 'support', 'preferences', 'activity', 'security',
];

export async function open(page: Page, path: string) {
  await page.goto(path);
  await ready(page);
}

export async function ready(page: Page) {
  // page.evaluate works even with JavaScript disabled, so ask the project instead.
  const js = test.info().project.use.javaScriptEnabled !== false;
  if (js) await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

export async function signIn(page: Page, email: string, password: string) {
  await open(page, '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** First sign-in of an imported customer: enroll, pass the recovery codes, land on My data. */
export async function enroll(page: Page, email: string): Promise<string> {
  return (await enrollKeepingCodes(page, email)).key;
}

/** As `enroll`, keeping the authenticator key and the ten recovery codes shown once. */
export async function enrollKeepingCodes(page: Page, email: string): Promise<{ key: string; codes: string[] }> {
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/enroll$/);
  await ready(page);
  const key = (await page.locator('#totp-key').getAttribute('data-key')) ?? '';
  await page.getByLabel('6-digit code').fill(totp(key));
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(page).toHaveURL(/\/recovery-codes$/);
  await ready(page);
  const codes = await page.locator('#recovery-codes li').allTextContents();
  await page.getByRole('link', { name: 'I have saved them: continue' }).click();
  await expect(page).toHaveURL(/\/my-data/);
  await ready(page);
  return { key, codes };
}


/** A second browser (for staff beside a customer), with the project's JavaScript setting. */
export async function secondBrowser(browser: Browser): Promise<Page> {
  const use = test.info().project.use;
  const context = await browser.newContext({ baseURL: use.baseURL, javaScriptEnabled: use.javaScriptEnabled, locale: 'en-GB' });
  return context.newPage();
}
