import fs from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { DPO, enroll, open, ready, secondBrowser, staffSignIn } from './pages';
import { waitForMail } from './mail';

const purpose = (page: Page, key: string) => page.locator(`li.purpose[data-purpose="${key}"]`);

/** Runs `act` and returns the writes it made to server functions (reads that refresh the page
 * afterwards, `consent_center`, are left out). */
async function requestsDuring(page: Page, act: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const listen = (r: { url(): string; method(): string }) => {
    const p = new URL(r.url()).pathname;
    if (p.startsWith('/api/') && p !== '/api/consent_center' && r.method() === 'POST') seen.push(p);
  };
  page.on('request', listen);
  await act();
  page.off('request', listen);
  return seen;
}

test('every purpose starts off; giving and withdrawing are one click each, with receipts to download', async ({ page }) => {
  await enroll(page, 'cora@example.test');
  await page.getByRole('link', { name: 'Your consent', exact: true }).click();
  await expect(page).toHaveURL(/\/consent$/);
  await ready(page);
  await expect(page.locator('li.purpose')).toHaveCount(4);
  for (const key of ['marketing_mail', 'personalisation', 'analytics', 'partner_sharing']) {
    await expect(purpose(page, key)).toHaveAttribute('data-state', 'off');
    await expect(purpose(page, key).locator('.purpose-state')).toHaveText(/^\W*Off$/);
  }
  await expect(purpose(page, 'partner_sharing')).toContainText('Northwind Travel GmbH');

  // Giving: one click, one request.
  const give = await requestsDuring(page, async () => {
    await page.getByRole('button', { name: 'Turn on Usage analytics' }).click();
    await expect(page).toHaveURL(/\/consent\?e=consent_given&p=analytics/);
    await expect(purpose(page, 'analytics')).toHaveAttribute('data-state', 'on');
  });
  await expect(page.getByRole('status')).toContainText('your consent is on from now');
  await expect(purpose(page, 'analytics').locator('.purpose-state')).toContainText('On since');
  await ready(page);

  // Withdrawing: the same one click, the same one request, no mail or code in between.
  const withdraw = await requestsDuring(page, async () => {
    await page.getByRole('button', { name: 'Turn off Usage analytics' }).click();
    await expect(page).toHaveURL(/\/consent\?e=consent_withdrawn&p=analytics/);
    await expect(purpose(page, 'analytics')).toHaveAttribute('data-state', 'off');
  });
  await expect(page.getByRole('status')).toContainText('We stop using your data for this at once');
  // With JavaScript the app calls the server function; without, the browser posts the form
  // (a navigation, which Playwright also reports as a request). Either way: one each.
  expect(give).toEqual(['/api/set_consent']);
  expect(withdraw).toEqual(give);

  const rows = page.locator('table.consent-history tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('Withdrawn');
  await expect(rows.nth(1)).toContainText('Given');
  await expect(rows.nth(0)).toContainText(/CR-[A-Za-z0-9_-]{16}/);
  await ready(page);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download your receipts (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('consent-receipts.json');
  const file = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  expect(file.receipts.map((r: { action: string; purpose: string }) => `${r.action} ${r.purpose}`)).toEqual([
    'withdrawn analytics',
    'given analytics',
  ]);
  expect(file.receipts[0].privacy_policy_version).toBe(1);
});

test('a DPO rewords a purpose: customers see the summary, are asked again, and are told by mail', async ({ page, browser }, info) => {
  const since = Date.now();
  await enroll(page, 'pia@example.test');
  await open(page, '/consent');
  await page.getByRole('button', { name: 'Turn on Marketing emails' }).click();
  await expect(purpose(page, 'marketing_mail')).toHaveAttribute('data-state', 'on');

  const dpo = await secondBrowser(browser);
  await staffSignIn(dpo, DPO);
  await dpo.getByRole('link', { name: 'Privacy policy' }).click();
  await expect(dpo).toHaveURL(/\/staff\/policy$/);
  await ready(dpo);
  // A missing summary comes back with its message beside the field.
  await dpo.getByLabel('Summary of what changed, in English').fill('Marketing emails now also cover our travel offers.');
  await dpo.getByLabel('Summary of what changed, in Spanish').fill('Los correos de marketing ahora incluyen ofertas de viaje.');
  await dpo.getByLabel('Summary of what changed, in Italian').fill('corto');
  await dpo.getByRole('button', { name: 'Publish' }).click();
  await expect(dpo.locator('#field-summary_it-error')).toContainText('Write the summary in Italian');
  await ready(dpo);
  await dpo.getByLabel('Summary of what changed, in English').fill('Marketing emails now also cover our travel offers.');
  await dpo.getByLabel('Summary of what changed, in Spanish').fill('Los correos de marketing ahora incluyen ofertas de viaje.');
  await dpo.getByLabel('Summary of what changed, in Italian').fill('Le email di marketing ora includono offerte di viaggio.');
  const wording = dpo.locator('details[data-purpose="marketing_mail"]');
  await wording.locator('summary').click();
  await wording.getByLabel('Description in English').fill('Our newsletter, offers and travel deals by email, chosen from what you bought.');
  await dpo.getByLabel('This is a material change: tell every customer by mail.').check();
  await dpo.getByRole('button', { name: 'Publish' }).click();
  await expect(dpo).toHaveURL(/\/staff\/policy\?e=policy_published&v=2$/);
  await expect(dpo.locator('tr[data-version="2"]')).toContainText('marketing_mail');

  // The customer's next visit: the summary, and the consent asked for again.
  await open(page, '/consent');
  const banner = page.locator('.policy-banner');
  await expect(banner).toContainText('Marketing emails now also cover our travel offers.');
  await expect(banner).toContainText('We ask again for your consent to: Marketing emails');
  await expect(purpose(page, 'marketing_mail')).toHaveAttribute('data-state', 'asked_again');
  await expect(purpose(page, 'marketing_mail')).toContainText('travel deals by email');
  await expect(purpose(page, 'personalisation')).toHaveAttribute('data-state', 'off');
  await page.getByRole('button', { name: 'Turn on again Marketing emails' }).click();
  await expect(purpose(page, 'marketing_mail')).toHaveAttribute('data-state', 'on');
  await ready(page);
  await page.getByRole('button', { name: 'I have read this' }).click();
  await expect(page).toHaveURL(/e=policy_acknowledged/);
  await expect(page.locator('.policy-banner')).toHaveCount(0);
  await expect(page.locator('table.consent-history tbody tr').first()).toContainText('Given');

  const mail = await waitForMail(info, 'pia@example.test', 'We changed our privacy policy', since);
  expect(mail.text).toContain('Marketing emails now also cover our travel offers.');
  expect(mail.text).toContain('Marketing emails. If you had given it');
  expect(mail.text).toContain('/consent');
});
