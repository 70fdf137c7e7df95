import { test, expect } from '@playwright/test';
import { DPO, enroll, open, ready, secondBrowser, staffSignIn } from './pages';
import { waitForMail } from './mail';

/** "2026-11-25T08:30", UTC, as a datetime-local input takes it. */
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString().slice(0, 16);

test('a DPO records a breach, sees the 72-hour clock, and tells exactly the affected customers', async ({ page, browser }, info) => {
  const since = Date.now();
  const dpo = await secondBrowser(browser);
  await staffSignIn(dpo, DPO);
  await dpo.getByRole('link', { name: 'Incidents' }).click();
  await expect(dpo).toHaveURL(/\/staff\/incidents$/);
  await ready(dpo);

  // A form with a mistake comes back with the message beside the field.
  await dpo.getByLabel('Discovered at (UTC)').fill(minutesAgo(120));
  await dpo.getByLabel('What happened').fill("A courier's tracking page showed other customers' orders from June 2019.");
  await dpo.getByLabel('Approximate number of customers affected').fill('2');
  await dpo.getByLabel('Likely consequences').fill('Someone could see what you ordered and where it went.');
  await dpo.getByLabel('Measures taken').fill('The page was taken down within an hour and the courier audited.');
  await dpo.getByRole('button', { name: 'Record the incident' }).click();
  await expect(dpo.locator('#field-categories-error')).toContainText('at least one category');
  await ready(dpo);
  await dpo.getByLabel('Discovered at (UTC)').fill(minutesAgo(120));
  await dpo.getByLabel('What happened').fill("A courier's tracking page showed other customers' orders from June 2019.");
  await dpo.getByLabel('Orders', { exact: true }).check();
  await dpo.getByLabel('Approximate number of customers affected').fill('2');
  await dpo.getByLabel('Likely consequences').fill('Someone could see what you ordered and where it went.');
  await dpo.getByLabel('Measures taken').fill('The page was taken down within an hour and the courier audited.');
  await dpo.getByRole('button', { name: 'Record the incident' }).click();
  await expect(dpo).toHaveURL(/\/staff\/incidents\/\d+\?e=incident_recorded$/);
  await ready(dpo);
  await expect(dpo.locator('#authority-clock')).toContainText(/^(69|70) hours left to tell the supervisory authority$/);
  const draft = dpo.locator('#article-33-draft');
  for (const heading of ['Nature of the breach', 'Categories of personal data concerned', 'Approximate number of data subjects concerned',
    'Contact point (data protection officer)', 'Likely consequences', 'Measures taken or proposed']) {
    await expect(draft).toContainText(heading);
  }

  // Count first, then tell: only the customers with orders from June 2019.
  await dpo.getByLabel('Data from').fill('2019-06-01');
  await dpo.getByLabel('Data until').fill('2019-06-30');
  await dpo.getByRole('button', { name: 'Count affected customers' }).click();
  await expect(dpo.locator('#preview-count')).toContainText('2 customers would be told');
  await ready(dpo);
  await dpo.getByRole('button', { name: 'Tell these customers now' }).click();
  await expect(dpo).toHaveURL(/e=customers_notified/);
  await expect(dpo.locator('#notified-count')).toContainText('2 customers were told just now');
  await expect(dpo.locator('#customers-told')).toHaveText('2');

  // Each affected customer gets the mail, and a banner until they acknowledge it.
  for (const email of ['nora@example.test', 'omar@example.test']) {
    const mail = await waitForMail(info, email, 'Important: a security incident involving your data', since);
    expect(mail.text).toContain("A courier's tracking page showed other customers' orders");
    expect(mail.text).toContain('What we have done: The page was taken down');
    expect(mail.text).toContain('/requests/new?subject=privacy');
    await page.context().clearCookies();
    await enroll(page, email);
    const banner = page.locator('.incident-banner');
    await expect(banner).toContainText('A security incident may have affected your data');
    await expect(banner).toContainText('Someone could see what you ordered');
    await banner.getByRole('button', { name: 'I have read this' }).click();
    await expect(page).toHaveURL(/\/my-data\?e=notice_acknowledged$/);
    await ready(page);
    await expect(page.locator('.incident-banner')).toHaveCount(0);
  }

  // The authority was told: the clock stops.
  await dpo.getByRole('button', { name: 'We have told the supervisory authority' }).click();
  await expect(dpo.locator('#authority-clock')).toHaveText('Supervisory authority told');

  // Records of processing, as a page and as JSON.
  await open(dpo, '/staff/records');
  await expect(dpo.locator('section.record[data-category="orders"]')).toContainText('10 years after the order');
  const json = await dpo.request.get('/api/records_of_processing');
  expect(json.status()).toBe(200);
  const records = await json.json();
  expect(records.activities.map((a: { category: string }) => a.category)).toContain('orders');
});
