import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Page, Response } from 'playwright-core';
import t from 'tap';
import { forumsOptions } from '../../examples/forums/forums.js';
import { createSeedApp } from '../../examples/seed-app/create-seed-app.js';
import { DEMO_USER, seedKickstart } from '../../examples/seed-kickstart.js';
import { storeOptions } from '../../examples/store/store.js';
import { startStandin } from '../../src/index.js';
import { launchChromium, screenshotOnFailure } from '../helpers/chromium.js';

// The seed article in Chromium (docs/login-flow.md). Standin is on `localhost`, the store on 127.0.0.1 and the
// forums on 127.0.0.2: three hosts, so every cookie can be checked on the host it belongs to.
const API_KEY = 'browser-seed-api-key-0123456789';
const JWT_SECONDS = 60;

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
    server.on('error', reject);
  });
}

/** Whether the hosted login form was served while `action` ran. */
async function showsLoginForm(page: Page, action: () => Promise<unknown>): Promise<boolean> {
  let shown = false;
  const watch = (response: Response) => {
    if (new URL(response.url()).pathname === '/oauth2/authorize' && response.status() === 200) shown = true;
  };
  page.on('response', watch);
  try {
    await action();
  } finally {
    page.off('response', watch);
  }
  return shown;
}

t.test('the store and the forums in Chromium: login, SSO, refresh, revocation, logout', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;

  let offset = 0;
  const now = () => Date.now() + offset;
  const urls = { store: `http://127.0.0.1:${await freePort('127.0.0.1')}`, forums: `http://127.0.0.2:${await freePort('127.0.0.2')}` };
  const standin = await startStandin({ passwordHashing: 'fast', now, kickstart: seedKickstart(urls, JWT_SECONDS, API_KEY) });
  t.teardown(() => standin.close());
  const base = { standinUrl: standin.url, issuer: standin.issuer, now };
  const apps: [FastifyInstance, string][] = [
    [await createSeedApp(storeOptions({ ...base, publicUrl: urls.store })), urls.store],
    [await createSeedApp(forumsOptions({ ...base, publicUrl: urls.forums })), urls.forums],
  ];
  for (const [app, url] of apps) {
    const { hostname, port } = new URL(url);
    await app.listen({ host: hostname, port: Number(port) });
    t.teardown(() => app.close());
  }

  const context = await browser.newContext();
  const page = await context.newPage();
  screenshotOnFailure(t, page, 'browser-seed-flow');
  const cookie = async (url: string, name: string) => (await context.cookies(url)).find((c) => c.name === name);

  // Steps 1–4: the store starts logged out.
  await page.goto(urls.store);
  await page.getByRole('button', { name: 'Log in' }).waitFor();

  // Steps 5–16: log in on Standin's page by its accessible names; back on the store, logged in.
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('textbox', { name: 'Login' }).fill(DEMO_USER.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(DEMO_USER.password);
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByText(`Logged in as ${DEMO_USER.email}`).waitFor();
  t.equal(new URL(page.url()).origin, urls.store, 'back on the store');

  // Steps 17–18: the cart loads.
  await page.getByText('1 × Standin mug').waitFor();
  t.pass('the cart loads');

  const sso = await cookie(standin.url, 'fusionauth.sso');
  t.ok(sso, 'fusionauth.sso is set on Standin');
  t.equal(sso?.httpOnly, true, 'fusionauth.sso is HttpOnly');
  t.equal(sso?.domain, 'localhost', "fusionauth.sso is host-only on Standin's host");
  t.notOk(await cookie(urls.store, 'fusionauth.sso'), 'and not on the store');
  const jwt = await cookie(urls.store, 'store.jwt');
  const refresh = await cookie(urls.store, 'store.refresh');
  t.equal(jwt?.httpOnly, true, "the JWT cookie is HttpOnly on the store's host");
  t.equal(jwt?.domain, '127.0.0.1');
  t.equal(refresh?.httpOnly, true, "the refresh token cookie is HttpOnly on the store's host");
  t.equal(await page.evaluate(() => document.cookie), '', 'the SPA reads no cookie');

  // Steps 28–41: the forums' "Log in" comes back logged in, and the login form never shows.
  await page.goto(urls.forums);
  const forumsForm = await showsLoginForm(page, async () => {
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText(`Logged in as ${DEMO_USER.email}`).waitFor();
  });
  t.equal(forumsForm, false, 'no login form on the forums: SSO');
  await page.getByText('Welcome to the forums').waitFor();

  // Steps 19–22: after the JWT's lifetime the cart still loads, with a new JWT cookie.
  offset += (JWT_SECONDS + 1) * 1000;
  await page.goto(urls.store);
  await page.getByText('1 × Standin mug').waitFor();
  const refreshedJwt = await cookie(urls.store, 'store.jwt');
  t.not(refreshedJwt?.value, jwt?.value, 'the JWT cookie has changed');

  // Steps 23–27: revoke the user's refresh tokens (FusionAuth: and SSO sessions); once the JWT expires the
  // store answers 401 and the SPA sends the user to the login form.
  const revoked = await fetch(`${standin.url}/api/jwt/refresh?userId=${DEMO_USER.id}`, { method: 'DELETE', headers: { authorization: API_KEY } });
  t.equal(revoked.status, 200);
  offset += (JWT_SECONDS + 1) * 1000;
  const cartAnswer = page.waitForResponse((response) => response.url().endsWith('/api/load-shopping-cart'));
  await page.getByRole('button', { name: 'Reload' }).click();
  t.equal((await cartAnswer).status(), 401, 'the store answers 401');
  await page.getByRole('textbox', { name: 'Login' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/oauth2/authorize', 'the user lands on the login form');

  // Log in again, then log out of the store: SSO ends, so the forums ask for the password again.
  await page.getByRole('textbox', { name: 'Login' }).fill(DEMO_USER.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(DEMO_USER.password);
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('1 × Standin mug').waitFor();
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  t.notOk(await cookie(standin.url, 'fusionauth.sso'), 'logging out cleared the SSO cookie');
  t.notOk(await cookie(urls.store, 'store.jwt'), "and the store's cookies");

  await context.clearCookies({ domain: '127.0.0.2' }); // the forums forget their own login
  await page.goto(urls.forums);
  const formAfterLogout = await showsLoginForm(page, async () => {
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('textbox', { name: 'Login' }).waitFor();
  });
  t.equal(formAfterLogout, true, "after logout the forums' Log in shows the form again");
});
