// axe-core on every page, hydrated and without JavaScript: no violations of WCAG 2.0–2.2 A/AA.
// axe needs script to run, so in the no-JS project the page's server-rendered DOM (its scripts
// removed, its stylesheet kept) is audited in a scratch page that runs axe alone.
import { test, expect, type Browser, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { AGENT, PASSWORD, enroll, open, signIn, staffSignIn } from './pages';

// Staff of their own (playwright.config.ts), so no other spec's one-time codes are spent here.
const AUDIT_AGENT = { ...AGENT, email: 'a11y-agent@example.test', key: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U' };
const AUDIT_DPO = { ...AGENT, email: 'a11y-dpo@example.test', key: 'ORSXG5DJNZTSA3LPOJSSAY3PMRSXGIDB' };

const browserOf = (page: Page): Browser => page.context().browser()!;

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let scratch: Page | undefined;

async function target(page: Page, browser: Browser): Promise<Page> {
  const info = test.info();
  if (info.project.use.javaScriptEnabled !== false) return page;
  scratch ??= await (await browser.newContext({ javaScriptEnabled: true })).newPage();
  const base = `${info.project.use.baseURL}/`;
  const html = (await page.content())
    .replace(/<script[\s\S]*?<\/script>/gi, '')
    .replace(/<head>/i, `<head><base href="${base}">`);
  await scratch.setContent(html, { waitUntil: 'load' });
  return scratch;
}

async function audit(page: Page, path: string) {
  await open(page, path);
  const subject = await target(page, browserOf(page));
  const results = await new AxeBuilder({ page: subject }).withTags(TAGS).analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `${path}`).toEqual([]);
}

test('customer pages have no WCAG A/AA violations', async ({ page }) => {
  for (const path of ['/sign-in', '/sign-in?e=credentials', '/staff/sign-in', '/confirm/not-a-real-link',
    '/password/forgot', '/password/forgot?e=email.malformed', '/password/forgot?e=reset_sent', '/password/reset/not-a-real-link']) {
    await audit(page, path);
  }
  await signIn(page, 'ines@example.test', PASSWORD);
  await audit(page, '/enroll');
  await page.context().clearCookies();
  await enroll(page, 'ines@example.test');
  for (const path of ['/my-data', '/my-data?e=change_sent', '/change/phone', '/change/phone?e=phone.malformed',
    '/requests/new?subject=date_of_birth', '/requests/new?subject=privacy', '/access-log',
    '/consent', '/consent?e=consent_given&p=analytics', '/erasure', '/erasure?e=erasure_sent', '/sessions',
    '/export', '/export?e=credentials&f=ask', '/password', '/password?e=current_password.malformed', '/authenticator', '/authenticator?e=code.wrong']) {
    await audit(page, path);
  }
});

test('staff pages have no WCAG A/AA violations', async ({ page }) => {
  await staffSignIn(page, AUDIT_AGENT);
  await audit(page, '/staff');
  await audit(page, '/staff?show=all&order=received');
  await page.getByLabel('Exact email address or customer reference').fill('ines@example.test');
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page).toHaveURL(/\/staff\/customers\//);
  await audit(page, new URL(page.url()).pathname);
  await page.context().clearCookies();
  await staffSignIn(page, AUDIT_DPO);
  for (const path of ['/staff/oversight', '/staff/incidents', '/staff/records', '/staff/policy', '/staff/policy?e=summary_en.required']) {
    await audit(page, path);
  }
});
