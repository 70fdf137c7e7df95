// Shared steps. With JavaScript on, wait for hydration before typing, so every click goes
// through the hydrated app rather than racing it.
import { expect, test, type Page } from '@playwright/test';

export const DEMO = { email: 'demo@custodia.test', password: 'custodia-demo-2026' };

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
