import { defineConfig } from '@playwright/test';

// Debian's chromium, never a downloaded browser (`playwright install` cannot run here).
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

// Each project gets its own server and its own fresh SQLite database, so both can enroll the
// demo customer from scratch.
const projects = [
  { name: 'hydrated', port: 3101, javaScriptEnabled: true },
  { name: 'no-js', port: 3102, javaScriptEnabled: false },
];

const server = process.env.CUSTODIA_SERVER ?? '../target/debug/server';

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    launchOptions: chromium,
    locale: 'en-GB',
    trace: 'retain-on-failure',
  },
  projects: projects.map((p) => ({
    name: p.name,
    use: { baseURL: `http://127.0.0.1:${p.port}`, javaScriptEnabled: p.javaScriptEnabled },
  })),
  webServer: projects.map((p) => ({
    command: `rm -rf .data/${p.name} && mkdir -p .data/${p.name} && exec ${server}`,
    url: `http://127.0.0.1:${p.port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      CUSTODIA_ADDR: `127.0.0.1:${p.port}`,
      DATABASE_URL: `sqlite://.data/${p.name}/custodia.db`,
      CUSTODIA_MASTER_KEY_FILE: `.data/${p.name}/master.key`,
      CUSTODIA_DEMO: '1',
      LEPTOS_SITE_ROOT: '../target/site',
      RUST_LOG: 'warn',
    },
  })),
});
