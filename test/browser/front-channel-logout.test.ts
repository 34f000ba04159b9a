import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { startStandin } from '../../src/index.js';
import { launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { assertReadable } from '../helpers/contrast.js';

// Front-channel logout in Chromium (docs/login-flow.md, "Logout"): two applications on loopback share the SSO
// session; logging out of the store loads the forums' logout URL in a hidden iframe, with the tenant's issuer and the
// session's sid, and then lands on the store's logout URL. STANDIN_SAVE_SCREENSHOTS=1 writes the page to
// docs/screenshots/.
const STORE = 'f0000000-0000-4000-8000-000000000001';
const FORUMS = 'f0000000-0000-4000-8000-000000000002';
const SECRET = 'front-channel-store-secret-0123456789';
const SAVE = process.env.STANDIN_SAVE_SCREENSHOTS === '1';

/** An application on loopback: `/callback` and `/bye` answer with a line of text; every request is kept. */
async function application(t: Test): Promise<{ origin: string; seen: URL[] }> {
  const seen: URL[] = [];
  const server: Server = createServer((request, response) => {
    seen.push(new URL(request.url ?? '/', 'http://localhost'));
    response.writeHead(200, { 'content-type': 'text/plain' }).end(`page ${request.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  return { origin: `http://localhost:${(server.address() as AddressInfo).port}`, seen };
}

t.test('logging out of one application logs the browser out of the other through its logout URL', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const store = await application(t);
  const forums = await application(t);
  const app = (id: string, name: string, origin: string) => ({
    url: `/api/application/${id}`,
    body: {
      application: {
        name,
        oauthConfiguration: {
          authorizedRedirectURLs: [`${origin}/callback`],
          clientSecret: SECRET,
          enabledGrants: ['authorization_code'],
          logoutURL: `${origin}/bye`,
        },
      },
    },
  });
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      apiKeys: [{ key: 'front-channel-logout-key-0123456789' }],
      requests: [
        app(STORE, 'Store', store.origin),
        app(FORUMS, 'Forums', forums.origin),
        {
          url: '/api/user/registration',
          body: { user: { email: 'ada@example.com', password: 'correct horse' }, registration: { applicationId: STORE } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());

  const context = await browser.newContext();
  const page = await context.newPage();
  screenshotOnFailure(t, page, 'front-channel-logout');
  const query = new URLSearchParams({ client_id: STORE, redirect_uri: `${store.origin}/callback`, response_type: 'code', scope: 'openid' });
  await page.goto(`${standin.url}/oauth2/authorize?${query}`);
  await page.getByLabel('Login').fill('ada@example.com');
  await page.getByLabel('Password').fill('correct horse');
  await page.getByLabel('Keep me signed in').check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.waitForURL(`${store.origin}/callback?**`);
  const code = new URL(page.url()).searchParams.get('code')!;
  const tokens = (await (
    await fetch(`${standin.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: STORE,
        client_secret: SECRET,
        redirect_uri: `${store.origin}/callback`,
      }),
    })
  ).json()) as { id_token: string };
  const sid = JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString()).sid as string;
  t.ok(sid, 'the id token names the SSO session');

  await page.goto(`${standin.url}/oauth2/logout?${new URLSearchParams({ id_token_hint: tokens.id_token, state: 'bye' })}`);
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Logging out…');
  await page.waitForURL(`${store.origin}/bye?**`, { timeout: 10_000 });
  const landed = new URL(page.url());
  t.equal(landed.searchParams.get('sid'), sid, 'the store learns which session ended');
  t.equal(landed.searchParams.get('state'), 'bye');
  const called = forums.seen.filter((url) => url.pathname === '/bye');
  t.equal(called.length, 1, "the forums' logout URL was loaded, once");
  t.equal(called[0]?.searchParams.get('sid'), sid);
  t.equal(called[0]?.searchParams.get('iss'), landed.searchParams.get('iss'), 'with the tenant issuer');

  // The session is over: the store's login page asks again.
  await page.goto(`${standin.url}/oauth2/authorize?${query}`);
  t.ok(await page.getByLabel('Password').isVisible(), 'logged out of Standin too');
  await context.close();
});

t.test('the logout page: contrast, phone layout, both colour schemes', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const store = await application(t);
  const forums = await application(t);
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      apiKeys: [{ key: 'front-channel-logout-key-0123456789' }],
      requests: [
        { url: `/api/application/${STORE}`, body: { application: { name: 'Store', oauthConfiguration: { logoutURL: `${store.origin}/bye` } } } },
        { url: `/api/application/${FORUMS}`, body: { application: { name: 'Forums', oauthConfiguration: { logoutURL: `${forums.origin}/bye` } } } },
      ],
    },
  });
  t.teardown(() => standin.close());
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 375, height: 740 },
    ]) {
      const name = `${colorScheme} ${viewport.width}px`;
      const context = await browser.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      await page.goto(`${standin.url}/oauth2/logout?client_id=${STORE}`);
      await assertReadable(t, page, name, ['h1', '.subtitle', 'main a', 'header span']);
      t.equal(await page.locator('iframe').count(), 1, `${name}: one hidden frame`);
      t.notOk(await page.locator('iframe').isVisible(), `${name}: which is not shown`);
      if (SAVE && colorScheme === 'light') {
        await page.screenshot({ path: `docs/screenshots/logout-${viewport.width === 375 ? 'phone' : 'desktop'}.png` });
      }
      await context.close();
    }
  }
});
