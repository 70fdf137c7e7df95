import { test, expect, type Locator, type Page } from '@playwright/test';
import { totp } from './totp';
import { PASSWORD, enroll, open, ready } from './pages';
import { linkIn, waitForMail } from './mail';

/** Presses Tab until `target` has focus, checking that every stop shows a visible focus ring. */
async function tabTo(page: Page, target: Locator, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return 'none';
      const s = getComputedStyle(el);
      return s.outlineStyle !== 'none' && s.outlineWidth !== '0px' ? 'visible' : `none on ${el.tagName}`;
    });
    expect(ring, 'every focus stop is visible').toBe('visible');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`never reached ${target}`);
}

test('sign-in, enrollment and a verified change, with the keyboard alone', async ({ page }, info) => {
  const email = 'kai@example.test';
  const since = Date.now();
  await open(page, '/sign-in');
  await tabTo(page, page.getByLabel('Email address'));
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/enroll$/);
  await ready(page);

  const key = (await page.locator('#totp-key').getAttribute('data-key')) ?? '';
  await tabTo(page, page.getByLabel('6-digit code'));
  await page.keyboard.type(totp(key));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/recovery-codes$/);
  await ready(page);
  await tabTo(page, page.getByRole('link', { name: 'I have saved them: continue' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/my-data/);
  await ready(page);

  // A mistake is announced and tied to its field; then the change goes through.
  await tabTo(page, page.getByRole('link', { name: 'Change Phone number' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/change\/phone$/);
  await ready(page);
  await tabTo(page, page.getByLabel('New value'));
  await page.keyboard.type('call me');
  await page.keyboard.press('Enter');
  const input = page.getByLabel('New value');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  const described = (await input.getAttribute('aria-describedby')) ?? '';
  const error = page.locator('#field-value-error');
  expect(described.split(' ')).toContain('field-value-error');
  await expect(error).toContainText('6 to 15 digits');
  await ready(page);
  await tabTo(page, page.getByLabel('New value'));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('+49 151 9999 0000');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/my-data\?e=change_sent/);

  const mail = await waitForMail(info, email, 'Confirm the change to your phone number', since);
  await open(page, linkIn(mail, '/confirm/'));
  await tabTo(page, page.getByLabel('Authentication code'));
  await page.keyboard.type(totp(key, Date.now() / 1000 + 30));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/confirmed\?field=phone$/);
});

test('consent given and withdrawn with the keyboard alone, the same keys either way', async ({ page }) => {
  await enroll(page, 'tove@example.test');
  await tabTo(page, page.getByRole('link', { name: 'Your consent', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/consent$/);
  await ready(page);
  const item = page.locator('li.purpose[data-purpose="personalisation"]');
  await tabTo(page, page.getByRole('button', { name: 'Turn on Personalised recommendations' }));
  await page.keyboard.press('Enter');
  await expect(item).toHaveAttribute('data-state', 'on');
  // The outcome is announced politely, in words.
  await expect(page.getByRole('status')).toContainText('your consent is on from now');
  await ready(page);
  await tabTo(page, page.getByRole('button', { name: 'Turn off Personalised recommendations' }));
  await page.keyboard.press('Enter');
  await expect(item).toHaveAttribute('data-state', 'off');
  await expect(page.getByRole('status')).toContainText('We stop using your data for this at once');
  await expect(item.locator('.purpose-state')).toHaveText(/^\W*Off$/);
});

test('after sign-in the portal speaks the language on the customer profile', async ({ page }) => {
  // An English browser; Lucía's profile says Spanish.
  await open(page, '/sign-in');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await page.getByLabel('Email address').fill('lucia@example.test');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/enroll$/);
  await ready(page);
  const key = (await page.locator('#totp-key').getAttribute('data-key')) ?? '';
  await page.getByLabel('6-digit code').fill(totp(key));
  await page.getByRole('button', { name: 'Confirm and continue' }).click();
  await expect(page).toHaveURL(/\/recovery-codes$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tus códigos de recuperación');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await ready(page);
  await page.getByRole('link', { name: 'Ya los he guardado: continuar' }).click();
  await expect(page).toHaveURL(/\/my-data/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mis datos');
  // The switch on every page still wins for this browser.
  await page.getByRole('link', { name: 'Italiano' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('I miei dati');
});
