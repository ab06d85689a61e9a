// Playwright Test against a harness world: `harness up --detach --json endpoints.json` first.
//
// The world's endpoints file (HARNESS_ENDPOINTS, default ./endpoints.json) gives `chromium_args`:
// --host-resolver-rules that send the world's real host names (dev-123456.okta.com,
// myapp.auth.us-east-1.amazoncognito.com, app.example.com...) to the harness listener, and the
// harness CA's key pin. The browser is the system Chromium (CHROMIUM, default /usr/bin/chromium);
// nothing is downloaded (never `npx playwright install`).
import { defineConfig } from '@playwright/test';
import { readFileSync } from 'node:fs';

const endpointsFile = process.env.HARNESS_ENDPOINTS ?? 'endpoints.json';
const endpoints = JSON.parse(readFileSync(endpointsFile, 'utf8'));
const results = process.env.RESULTS_DIR ?? 'results';

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  retries: 0,
  workers: 1,
  reporter: [['list'], ['junit', { outputFile: `${results}/junit.xml` }]],
  outputDir: `${results}/artifacts`,
  use: {
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: endpoints.chromium_args,
    },
    trace: 'retain-on-failure',
  },
});
