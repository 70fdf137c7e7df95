import { test, expect } from '@playwright/test';
import { totp } from './totp';
import { AGENT, enroll, open, ready, secondBrowser } from './pages';
import { linkIn, waitForMail } from './mail';

test('a correction goes through the staff queue and is written only when the customer confirms it', async ({ page, browser }, info) => {
  const email = 'giulia@example.test';
  const since = Date.now();

  // The customer asks for a correction she cannot make alone.
  const key = await enroll(page, email);
  await page.locator('section[data-category="profile"]').getByRole('link', { name: 'Ask us to correct Date of birth' }).click();
  await ready(page);
  await page.getByLabel('What is wrong, and what is right?').fill('I was born on 7 March 1990; the date you hold is wrong.');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page).toHaveURL(/\/my-data\?e=request_sent/);
  await waitForMail(info, email, 'We received your request', since);

  // The agent signs in with password and code; a wrong code gets one plain message.
  const staff = await secondBrowser(browser);
  await open(staff, '/staff/sign-in');
  await staff.getByLabel('Email address').fill(AGENT.email);
  await staff.getByLabel('Password').fill(AGENT.password);
  await staff.getByLabel('Authentication code').fill(totp(AGENT.key) === '000000' ? '111111' : '000000');
  await staff.getByRole('button', { name: 'Sign in' }).click();
  await expect(staff.getByRole('alert')).toContainText('email, password or code is not right');
  await ready(staff);
  await staff.getByLabel('Email address').fill(AGENT.email);
  await staff.getByLabel('Password').fill(AGENT.password);
  await staff.getByLabel('Authentication code').fill(totp(AGENT.key));
  await staff.getByRole('button', { name: 'Sign in' }).click();
  await expect(staff).toHaveURL(/\/staff$/);
  await ready(staff);
  await expect(staff.locator('.staff-me')).toContainText('Support agent');

  // Finds the customer by exact email: masked; reveals the phone with a reason.
  await staff.getByLabel('Exact email address or customer reference').fill(email);
  await staff.getByRole('button', { name: 'Open' }).click();
  await expect(staff).toHaveURL(/\/staff\/customers\/C-[0-9A-Z]{10}$/);
  await ready(staff);
  const reference = (await staff.locator('#customer-ref').textContent())!.trim();
  const phone = staff.locator('[data-field="phone"] .value');
  await expect(phone).toHaveText('+39 *** *** **88');
  await expect(staff.locator('main')).not.toContainText('Romano');
  await expect(staff.locator('main')).not.toContainText('1985');
  await staff.locator('[data-field="phone"]').getByLabel('Reason').fill('Calling her back about the correction');
  await staff.locator('[data-field="phone"]').getByRole('button', { name: 'Reveal' }).click();
  await expect(staff.locator('#revealed')).toHaveText('+39 320 555 7788');
  await ready(staff);

  // Works the request in the queue: assign, then propose the corrected value.
  await open(staff, '/staff');
  const row = staff.locator('tr', { hasText: reference });
  await expect(row).toContainText('Correction: Date of birth');
  await row.getByRole('link').click();
  await expect(staff).toHaveURL(/\/staff\/requests\/\d+$/);
  await ready(staff);
  await expect(staff.locator('#request-explanation')).toContainText('7 March 1990');
  await staff.getByRole('button', { name: 'Assign to me' }).click();
  await expect(staff).toHaveURL(/e=assigned/);
  await ready(staff);
  await expect(staff.locator('#request-status')).toHaveText('In progress');
  await staff.getByLabel('Corrected value').fill('1990-03-07');
  await staff.getByRole('button', { name: 'Propose the correction' }).click();
  await expect(staff).toHaveURL(/e=proposed/);
  await ready(staff);
  await expect(staff.locator('#request-status')).toHaveText('Waiting for you');
  await expect(page.locator('[data-field="date_of_birth"] .value')).not.toContainText('1990');

  // The customer confirms with the emailed link and a code; only then is it written.
  const mail = await waitForMail(info, email, 'Confirm the change to your date of birth', since);
  expect(mail.text).toContain('1990-03-07');
  await open(page, linkIn(mail, '/confirm/'));
  await expect(page.locator('#new-value')).toContainText('1990');
  await page.getByLabel('Authentication code').fill(totp(key, Date.now() / 1000 + 30));
  await page.getByRole('button', { name: 'Confirm change' }).click();
  await expect(page).toHaveURL(/\/confirmed\?field=date_of_birth$/);

  await open(page, '/my-data');
  await expect(page.locator('[data-field="date_of_birth"] .value')).toContainText('1990');
  await expect(page.locator('#requests .request-status')).toHaveText('Done');
  await page.locator('#requests').getByRole('link', { name: 'Correction: Date of birth' }).click();
  await expect(page).toHaveURL(/\/requests\/\d+$/);
  await ready(page);
  const timeline = page.locator('.timeline');
  await expect(timeline).toContainText('Request received');
  await expect(timeline).toContainText('Correction proposed: Date of birth');
  await expect(timeline).toContainText('Support agent (staff-');
  await expect(timeline).toContainText('Correction confirmed and applied');

  // The customer rates the closed request, and reads who looked at her data and why.
  await page.getByLabel('5', { exact: true }).check();
  await page.getByRole('button', { name: 'Send rating' }).click();
  await expect(page.locator('#my-rating')).toContainText('5/5');
  await open(page, '/access-log');
  const reveal = page.locator('tr[data-what="revealed:phone"]');
  await expect(reveal).toContainText('Calling her back about the correction');
  await expect(reveal).toContainText('Support agent (staff-');
  await expect(page.locator('tr[data-what="customer.opened"]').first()).toContainText('Opened your record');
  await expect(page.locator('main')).not.toContainText(AGENT.email);
});

test('staff pages send strangers to the staff sign-in, and customers cannot use them', async ({ page }) => {
  await open(page, '/staff');
  await expect(page).toHaveURL(/\/staff\/sign-in\?e=expired$/);
  await open(page, '/staff/customers/C-0000000000');
  await expect(page).toHaveURL(/\/staff\/sign-in\?e=expired$/);
});
