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
// Each also gets a real SMTP server (mail-sink.mjs) that writes what lettre sends to
// .data/<project>/mail, where the specs read it.
const projects = [
  { name: 'hydrated', port: 3101, smtp: 2611, hooks: 2711, javaScriptEnabled: true },
  { name: 'no-js', port: 3102, smtp: 2612, hooks: 2712, javaScriptEnabled: false },
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
  webServer: projects.flatMap((p) => [{
    command: `rm -rf .data/${p.name}/mail && exec node mail-sink.mjs --port ${p.smtp} --dir .data/${p.name}/mail`,
    port: p.smtp,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  }, {
    // The recipients' webhook endpoint; it also writes the catalogue the server imports below,
    // so erasures are announced to it (Article 19 GDPR).
    command: `rm -rf .data/${p.name}/webhooks && exec node webhook-sink.mjs --port ${p.hooks} --dir .data/${p.name}/webhooks --catalogue .data/${p.name}/catalogue.json`,
    port: p.hooks,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  }, {
    // The fixture customers are imported first, and the agent created, with the same CLI a
    // company would use.
    command: `rm -rf .data/${p.name}/db && mkdir -p .data/${p.name}/db && until [ -f .data/${p.name}/catalogue.json ]; do sleep 0.1; done && ${server} import .data/${p.name}/catalogue.json && ${server} import fixtures/customers.json && ${server} staff add --email agent@example.test --role agent && ${server} staff add --email dpo@example.test --role dpo && CUSTODIA_STAFF_TOTP_KEY=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U ${server} staff add --email a11y-agent@example.test --role agent && CUSTODIA_STAFF_TOTP_KEY=ORSXG5DJNZTSA3LPOJSSAY3PMRSXGIDB ${server} staff add --email a11y-dpo@example.test --role dpo && exec ${server}`,
    url: `http://127.0.0.1:${p.port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      CUSTODIA_ADDR: `127.0.0.1:${p.port}`,
      DATABASE_URL: `sqlite://.data/${p.name}/db/custodia.db`,
      CUSTODIA_MASTER_KEY_FILE: `.data/${p.name}/db/master.key`,
      CUSTODIA_SMTP_URL: `smtp://127.0.0.1:${p.smtp}`,
      CUSTODIA_DEMO: '1',
      // Read only by `staff add`, so the specs know the agent's password and authenticator key.
      CUSTODIA_STAFF_PASSWORD: 'e2e-staff-password-2026',
      CUSTODIA_STAFF_TOTP_KEY: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      LEPTOS_SITE_ROOT: '../target/site',
      RUST_LOG: 'warn',
    },
  }]),
});
