import { test, expect, type Page } from '@playwright/test';
import { totp } from './totp';
import { PASSWORD, enroll, open, ready, signIn } from './pages';
import { linkIn, waitForMail } from './mail';


/** A code from the step after now: the enrollment step is spent, and drift of one is allowed. */
const nextCode = (key: string, steps = 1) => totp(key, Date.now() / 1000 + 30 * steps);

test('a phone change waits for the emailed link and a code, then shows everywhere', async ({ page }, info) => {
  const email = 'marco@example.test';
  const key = await enroll(page, email);
  const since = Date.now();

  const contact = page.locator('section[data-category="contact"]');
  await contact.getByRole('link', { name: 'Change Phone number' }).click();
  await expect(page).toHaveURL(/\/change\/phone$/);
  await ready(page);
  await expect(page.locator('#current-value')).toHaveText('+39 333 123 4567');
  await page.getByLabel('New value').fill('+39 347 000 1111');
  await page.getByRole('button', { name: 'Send confirmation link' }).click();

  await expect(page).toHaveURL(/\/my-data\?e=change_sent/);
  await ready(page);
  await expect(page.getByRole('status')).toContainText('Check your email');
  const pending = page.locator('#pending');
  await expect(pending).toContainText('+39 347 000 1111');
  // Nothing is written yet.
  await expect(contact.locator('[data-field="phone"] .value')).toHaveText('+39 333 123 4567');

  const mail = await waitForMail(info, email, 'Confirm the change to your phone number', since);
  expect(mail.html).toContain('+39 347 000 1111');
  await open(page, linkIn(mail, '/confirm/'));
  await expect(page.locator('#old-value')).toHaveText('+39 333 123 4567');
  await expect(page.locator('#new-value')).toHaveText('+39 347 000 1111');

  await page.getByLabel('Authentication code').fill('12');
  await page.getByRole('button', { name: 'Confirm change' }).click();
  await expect(page.locator('#field-code-error')).toContainText('Enter the 6 digits');
  await ready(page);
  await page.getByLabel('Authentication code').fill(nextCode(key));
  await page.getByRole('button', { name: 'Confirm change' }).click();
  await expect(page).toHaveURL(/\/confirmed\?field=phone$/);
  await expect(page.locator('#changed-field')).toHaveText('Phone number');

  await open(page, '/my-data');
  await expect(contact.locator('[data-field="phone"] .value')).toHaveText('+39 347 000 1111');
  await expect(page.locator('#pending')).toHaveCount(0);
  const activity = page.locator('section[data-category="activity"] tbody tr').first();
  await expect(activity).toContainText('Changed personal data');
  await expect(activity).toContainText('Phone number');

  const notice = await waitForMail(info, email, 'Your phone number was changed', since);
  expect(notice.text).toContain('Not you?');
});

test('an email change is proven by the new address and can be undone from the old one', async ({ page }, info) => {
  const email = 'elena@example.test';
  const changed = 'elena.new@example.test';
  const key = await enroll(page, email);
  const since = Date.now();

  await page.locator('section[data-category="contact"]').getByRole('link', { name: 'Change Email address' }).click();
  await ready(page);
  await page.getByLabel('New value').fill(changed);
  await page.getByRole('button', { name: 'Send confirmation link' }).click();
  await expect(page).toHaveURL(/\/my-data\?e=change_sent_email/);

  // The link goes to the new address, proving it.
  const mail = await waitForMail(info, changed, 'Confirm the change to your email address', since);
  await open(page, linkIn(mail, '/confirm/'));
  await expect(page.locator('#old-value')).toHaveText(email);
  await expect(page.locator('#new-value')).toHaveText(changed);
  await page.getByLabel('Authentication code').fill(nextCode(key));
  await page.getByRole('button', { name: 'Confirm change' }).click();
  await expect(page).toHaveURL(/\/confirmed\?field=email$/);
  await open(page, '/my-data');
  await expect(page.locator('[data-field="email"] .value')).toHaveText(changed);

  // The old address is told, with a way back.
  const told = await waitForMail(info, email, 'The email address of your account was changed', since);
  expect(told.text).toContain(changed);
  await open(page, linkIn(told, '/revert-email/'));
  await expect(page.locator('#old-email')).toHaveText(email);
  await page.getByRole('button', { name: 'Restore my previous address' }).click();
  await expect(page).toHaveURL(/\/sign-in\?e=address_restored$/);
  await ready(page);
  await expect(page.getByRole('status').or(page.getByRole('alert'))).toContainText('previous email address is restored');

  // Every session ended; the old address signs in again.
  await open(page, '/my-data');
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, email, PASSWORD);
  await expect(page).toHaveURL(/\/sign-in\/code$/);
  await waitForMail(info, email, 'Your email address was restored', since);
});

test('a cancelled change leaves its link with a clear explanation', async ({ page }, info) => {
  const email = 'sofia@example.test';
  await enroll(page, email);
  const since = Date.now();
  await page.locator('section[data-category="profile"]').getByRole('link', { name: 'Change Full name' }).click();
  await ready(page);
  await page.getByLabel('New value').fill('Sofia Conti Ferrari');
  await page.getByRole('button', { name: 'Send confirmation link' }).click();
  await expect(page).toHaveURL(/\/my-data\?e=change_sent/);
  await ready(page);
  const mail = await waitForMail(info, email, 'Confirm the change to your name', since);

  await page.locator('#pending').getByRole('button', { name: 'Cancel Full name' }).click();
  await expect(page).toHaveURL(/\/my-data\?e=change_cancelled/);
  await ready(page);
  await expect(page.locator('#pending')).toHaveCount(0);

  await open(page, linkIn(mail, '/confirm/'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link cannot be used');
  await expect(page.locator('[data-reason]')).toHaveAttribute('data-reason', 'link_cancelled');
  await expect(page.locator('#new-value')).toHaveCount(0);
});

test('a date of birth is corrected by request, and the request is followed on My data', async ({ page }, info) => {
  const since = Date.now();
  await enroll(page, 'luca@example.test');
  await page.locator('section[data-category="profile"]').getByRole('link', { name: 'Ask us to correct Date of birth' }).click();
  await expect(page).toHaveURL(/\/requests\/new\?subject=date_of_birth$/);
  await ready(page);
  await expect(page.locator('#request-subject')).toHaveText('Date of birth');
  await page.getByLabel('What is wrong, and what is right?').fill('wrong');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.locator('#field-explanation-error')).toContainText('at least 10 characters');
  await ready(page);
  await page.getByLabel('What is wrong, and what is right?').fill('I was born on 2 November 1978, not 1979.');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page).toHaveURL(/\/my-data\?e=request_sent/);
  await ready(page);
  const requests = page.locator('#requests');
  await expect(requests).toContainText('Correction: Date of birth');
  await expect(requests.locator('.request-status')).toHaveText('Received');
  // Nothing changed by itself.
  await expect(page.locator('[data-field="date_of_birth"] .value')).toContainText('1979');
  // The acknowledgement names the legal deadline and links the request.
  const ack = await waitForMail(info, 'luca@example.test', 'We received your request (correction)', since);
  expect(ack.text).toContain('The law gives us until');
  expect(linkIn(ack, '/requests/')).toMatch(/\/requests\/\d+$/);
});
