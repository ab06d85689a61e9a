// SP-initiated sign-in: the app sends alice to Cognito's managed login, she picks Okta, signs in
// at Okta, Okta posts the SAML response to Cognito, Cognito returns a code to the app, and the app
// shows the claims of the ID token it verified.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';

const endpoints = JSON.parse(readFileSync(process.env.HARNESS_ENDPOINTS ?? 'endpoints.json', 'utf8'));
const app = endpoints.apps[0];
const pool = endpoints.aws.user_pools.find((p: { name: string }) => p.name === app.user_pool);
const client = pool.clients.find((c: { name: string }) => c.name === 'web');

test('alice signs in through Okta (SAML) and the app shows her ID token', async ({ page }) => {
  await page.goto(app.url);
  await page.click('a[data-client="web"]');

  // Cognito's managed login: the identity provider's button
  await expect(page).toHaveURL(new RegExp(`^${pool.domain_url}/`));
  await page.click('button[data-provider="Okta"]');

  // Okta's sign-in page
  await expect(page).toHaveURL(new RegExp(`^${endpoints.okta.org_url}/`));
  await page.fill('#okta-signin-username', 'alice@example.com');
  await page.fill('#okta-signin-password', 'Alice-Passw0rd');
  await page.click('#okta-signin-submit');

  // back at the app, which verified the ID token against the pool's JWKS
  await expect(page).toHaveURL(new RegExp(`^${app.url}/callback`));
  const claims = JSON.parse(await page.locator('pre#claims').innerText());
  expect(claims.token_use).toBe('id');
  expect(claims.iss).toBe(pool.issuer);
  expect(claims.aud).toBe(client.id);
  expect(claims.email).toBe('alice@example.com');
  expect(claims['cognito:username']).toBe('Okta_alice@example.com');
  expect(claims['cognito:groups']).toContain(`${pool.id}_Okta`);
  expect(claims.identities[0].providerName).toBe('Okta');
});
