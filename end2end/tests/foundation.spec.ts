import { test, expect } from '@playwright/test';
import { totp } from './totp';
import { AGENT, CATEGORIES, DEMO, open, ready, signIn, staffSignIn } from './pages';

const CODE = 'Authentication code';

// One account walked through its first days: the steps build on each other.
test.describe.serial('demo customer', () => {
  let key = '';
  let recovery: string[] = [];

  test('a wrong password gets one generic message beside the form', async ({ page }) => {
    await signIn(page, DEMO.email, 'not the password');
    await expect(page).toHaveURL(/\/sign-in\?e=credentials$/);
    await expect(page.getByRole('alert')).toContainText('is not right');
  });

  test('first sign-in enrolls an authenticator, then shows recovery codes once', async ({ page }) => {
    await signIn(page, DEMO.email, DEMO.password);
    await expect(page).toHaveURL(/\/enroll$/);
    await ready(page);
    await expect(page.locator('.qr svg')).toBeVisible();
    key = (await page.locator('#totp-key').getAttribute('data-key')) ?? '';
    expect(key).toMatch(/^[A-Z2-7]{32}$/);

    await page.getByLabel('6-digit code').fill('000000');
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    await expect(page).toHaveURL(/\/enroll\?e=credentials$/);
    await ready(page);
    await expect(page.locator('#field-code-error')).not.toBeEmpty();

    await page.getByLabel('6-digit code').fill(totp(key));
    await page.getByRole('button', { name: 'Confirm and continue' }).click();
    await expect(page).toHaveURL(/\/recovery-codes$/);
    await ready(page);
    recovery = await page.locator('#recovery-codes code').allTextContents();
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);

    // Shown once: a reload does not show them again.
    await page.reload();
    await ready(page);
    await expect(page.locator('#recovery-codes')).toHaveCount(0);
  });

  test('My data shows every category with why, how long, from where and to whom', async ({ page }) => {
    await signIn(page, DEMO.email, DEMO.password);
    await expect(page).toHaveURL(/\/sign-in\/code$/);
    await ready(page);
    // The code of the next step: the one used at enrollment can never be used again.
    await page.getByLabel(CODE).fill(totp(key, Date.now() / 1000 + 30));
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/my-data$/);
    await ready(page);

    await expect(page.getByRole('heading', { level: 1, name: 'My data' })).toBeVisible();
    const shown = await page.locator('section[data-category]').evaluateAll((s) =>
      s.map((e) => e.getAttribute('data-category')),
    );
    expect(shown).toEqual(CATEGORIES);
    for (const category of CATEGORIES) {
      const section = page.locator(`section[data-category="${category}"]`);
      await expect(section.getByRole('heading', { level: 2 })).toBeVisible();
      // "Why we hold this" is open from the start: the reasons are the point of the page.
      await expect(section.locator('details.about')).toHaveAttribute('open', '');
      for (const label of ['Purpose', 'Legal basis', 'How long we keep it', 'Where it came from', 'Who receives it']) {
        await expect(section.getByText(label, { exact: true })).toBeVisible();
      }
    }
    await expect(page.locator('section[data-category="profile"]')).toContainText('Lucía Fernández Ortega');
    await expect(page.locator('section[data-category="orders"] tbody tr')).not.toHaveCount(0);

    // Activity has hundreds of rows; it pages.
    const activity = page.locator('section[data-category="activity"]');
    await activity.getByRole('link', { name: 'Older' }).click();
    await expect(page).toHaveURL(/activity_page=1/);
    await ready(page);
    await expect(page.locator('section[data-category="activity"] tbody tr').first()).toBeVisible();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in\?e=signed_out$/);
    await open(page, '/my-data');
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test('a recovery code works in place of the app, once', async ({ page }) => {
    await signIn(page, DEMO.email, DEMO.password);
    await expect(page).toHaveURL(/\/sign-in\/code$/);
    await ready(page);
    await page.getByLabel(CODE).fill(recovery[0]);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/my-data$/);
    await ready(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in\?e=signed_out$/);

    await signIn(page, DEMO.email, DEMO.password);
    await ready(page);
    await page.getByLabel(CODE).fill(recovery[0]);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/sign-in\/code\?e=credentials$/);
    await expect(page.locator('#field-code-error')).not.toBeEmpty();
  });

  // Screenshots for the README, at desktop and phone widths (hydrated project only; the pages
  // are the same without JavaScript). Written to end2end/screenshots/.
  test('screenshots of the main pages', async ({ page, browser }, info) => {
    test.skip(info.project.use.javaScriptEnabled === false, 'once is enough');
    await signIn(page, DEMO.email, DEMO.password);
    await ready(page);
    // Earlier steps spent this and the next authenticator step; a fresh recovery code is sure.
    await page.getByLabel(CODE).fill(recovery[1]);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page).toHaveURL(/\/my-data$/);
    const staff = await (await browser.newContext({ baseURL: info.project.use.baseURL, locale: 'en-GB' })).newPage();
    await staffSignIn(staff, { ...AGENT, email: 'a11y-agent@example.test', key: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U' }, 1);
    const shots: [typeof page, string, string][] = [
      [page, '/my-data', 'my-data'],
      [page, '/change/phone', 'change-phone'],
      [page, '/access-log', 'access-log'],
      [page, '/consent', 'consent'],
      [page, '/erasure', 'erasure'],
      [staff, '/staff', 'staff-queue'],
    ];
    for (const [width, height, kind] of [[1280, 860, 'desktop'], [390, 844, 'phone']] as const) {
      for (const [p, path, name] of shots) {
        await p.setViewportSize({ width, height });
        await open(p, path);
        await p.screenshot({ path: `screenshots/${name}-${kind}.png` });
      }
    }
  });
});
