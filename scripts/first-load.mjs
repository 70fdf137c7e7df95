// What a first visit downloads, per main page: bytes of HTML, CSS, JS and WASM as they came over
// the wire (the server compresses the static assets, not the pages), and in brackets their size
// once decoded. Run with `make first-load`, which starts a release build with the demo data; or
// point CUSTODIA_URL at a running portal in demo mode.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../end2end/package.json', import.meta.url));
const { chromium } = require('@playwright/test');

const base = process.env.CUSTODIA_URL ?? 'http://127.0.0.1:3199';
const DEMO = { email: 'demo@custodia.test', password: 'custodia-demo-2026' };
const STAFF = { email: 'agent@custodia.test', password: 'custodia-staff-2026', key: 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BA' };

function totp(key, at = Date.now() / 1000) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of key.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const secret = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
  const h = crypto.createHmac('sha1', secret).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const kind = (res) => {
  const type = res.headers()['content-type'] ?? '';
  if (res.request().resourceType() === 'document') return 'html';
  if (type.includes('css')) return 'css';
  if (type.includes('wasm')) return 'wasm';
  if (type.includes('javascript')) return 'js';
  return 'other';
};

/** Loads `path` with an empty cache in a context holding `cookies`, until hydrated. */
async function measure(browser, path, cookies = []) {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  const sizes = {};
  const pending = [];
  page.on('response', (res) => pending.push((async () => {
    const body = await res.body().catch(() => Buffer.alloc(0));
    await res.finished().catch(() => null);
    const sent = await res.request().sizes().then((s) => s.responseBodySize).catch(() => body.length);
    const k = kind(res);
    sizes[k] ??= { sent: 0, decoded: 0 };
    sizes[k].sent += sent;
    sizes[k].decoded += body.length;
  })()));
  await page.goto(base + path);
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);
  await context.close();
  return sizes;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});

// Sign the demo customer in once (enrolling if needed) to measure signed-in pages.
const setup = await (await browser.newContext()).newPage();
await setup.goto(`${base}/sign-in`);
await setup.getByLabel('Email address').fill(DEMO.email);
await setup.getByLabel('Password').fill(DEMO.password);
await setup.getByRole('button', { name: 'Sign in' }).click();
await setup.waitForURL(/\/(enroll|sign-in\/code)$/);
if (setup.url().endsWith('/enroll')) {
  const key = await setup.locator('#totp-key').getAttribute('data-key');
  await setup.getByLabel('6-digit code').fill(totp(key));
  await setup.getByRole('button', { name: 'Confirm and continue' }).click();
  await setup.waitForURL(/\/recovery-codes$/);
} else {
  throw new Error('the demo customer is already enrolled: run against a fresh database (make first-load does)');
}
const customer = await setup.context().cookies();
const staffPage = await (await browser.newContext()).newPage();
await staffPage.goto(`${base}/staff/sign-in`);
await staffPage.getByLabel('Email address').fill(STAFF.email);
await staffPage.getByLabel('Password').fill(STAFF.password);
await staffPage.getByLabel('Authentication code').fill(totp(STAFF.key));
await staffPage.getByRole('button', { name: 'Sign in' }).click();
await staffPage.waitForURL(/\/staff$/);
const staff = await staffPage.context().cookies();

const pages = [
  ['/sign-in', 'Sign-in (anonymous)', []],
  ['/my-data', 'My data (signed in)', customer],
  ['/access-log', 'Who accessed my data (signed in)', customer],
  ['/consent', 'Consent (signed in)', customer],
  ['/export', 'Download my data (signed in)', customer],
  ['/staff', 'Staff queue (staff)', staff],
];
const kb = (n) => (n / 1024).toFixed(1);
console.log('| Page | HTML | CSS | JS | WASM | Total sent | Total decoded |');
console.log('|---|---|---|---|---|---|---|');
for (const [path, label, cookies] of pages) {
  const s = await measure(browser, path, cookies);
  const part = (k) => (s[k] ? `${kb(s[k].sent)} (${kb(s[k].decoded)})` : '0');
  const sent = Object.values(s).reduce((a, v) => a + v.sent, 0);
  const decoded = Object.values(s).reduce((a, v) => a + v.decoded, 0);
  console.log(`| ${label} | ${part('html')} | ${part('css')} | ${part('js')} | ${part('wasm')} | ${kb(sent)} KB | ${kb(decoded)} KB |`);
}
console.log('\nKB = 1024 bytes as sent over the wire; in brackets, decoded.');
await browser.close();
