import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import t from 'tap';
import { build } from 'vite';
import { startStandin } from '../../src/index.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { serveSpa } from '../helpers/spa-server.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// Login CSRF through the hosted backend (docs/hardening-hosted-backend.md), in Chromium with FusionAuth's
// React SDK: the legitimate sign-in works, and an /app/callback link that an attacker obtained by logging in
// as themselves in their own browser, stopped at the 302, does not sign the victim in.
const SPA_SOURCE = fileURLToPath(new URL('./react-spa/', import.meta.url));
const CLIENT_ID = 'a3a3a3a3-0000-4000-8000-0000000000a3';

/**
 * Fills the hosted login page as the user would and submits it, but lets the browser see none of the answer:
 * the login POST is sent from the page's own context (its cookies) and its 302 is kept, not followed.
 * Returns the Location: the `/app/callback?code=…&state=…` link an attacker would plant.
 */
async function submitAndStopAt302(page: Page, loginId: string, password: string): Promise<string> {
  let location: string | undefined;
  await page.route('**/oauth2/authorize', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch({ maxRedirects: 0 });
    location = response.headers().location;
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'stopped at the 302' });
  });
  await page.getByRole('textbox', { name: 'Login' }).fill(loginId);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('stopped at the 302').waitFor();
  await page.unroute('**/oauth2/authorize');
  if (!location) throw new Error('the login POST answered no redirect');
  return location;
}

async function me(context: BrowserContext, standinUrl: string): Promise<{ status: number; email?: string }> {
  const response = await context.request.get(`${standinUrl}/app/me`);
  return { status: response.status(), ...(response.ok() ? { email: ((await response.json()) as { email?: string }).email } : {}) };
}

/** The SPA client (origin allowed, no secret) and two registered users: Ada, the victim, and Mallory, the attacker. */
function victimAndAttackerKickstart(spaUrl: string): Kickstart {
  const user = (email: string, password: string, firstName: string, lastName: string) => ({
    url: '/api/user/registration',
    body: { user: { email, password, firstName, lastName }, registration: { applicationId: CLIENT_ID } },
  });
  return {
    apiKeys: [{ key: 'react-sdk-csrf-test-key-0123456789' }],
    requests: [
      {
        url: `/api/application/${CLIENT_ID}`,
        body: {
          application: {
            name: 'SPA',
            oauthConfiguration: {
              authorizedRedirectURLs: [`${spaUrl}/`],
              authorizedOriginURLs: [spaUrl],
              enabledGrants: ['authorization_code', 'refresh_token'],
              generateRefreshTokens: true,
            },
            jwtConfiguration: { enabled: true },
          },
        },
      },
      user('ada@example.com', 'correct horse', 'Ada', 'Lovelace'),
      user('mallory@example.com', 'battery staple', 'Mallory', 'Attacker'),
    ],
  };
}

t.test('React SDK: the legitimate sign-in works; a planted /app/callback link from the attacker does not sign the victim in', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;

  const dist = temporaryFolder(t, 'standin-react-spa-csrf-');
  await build({ root: SPA_SOURCE, logLevel: 'error', configFile: false, build: { outDir: dist, emptyOutDir: true, target: 'es2022' } });

  const config = { serverUrl: '' };
  const spa = await serveSpa(dist, (port) => ({
    serverUrl: config.serverUrl,
    clientId: CLIENT_ID,
    redirectUri: `http://localhost:${port}/`,
    scope: 'openid offline_access email profile',
  }));
  t.teardown(() => spa.server.close());
  const standin = await startStandin({
    port: 0,
    passwordHashing: 'fast',
    kickstart: victimAndAttackerKickstart(spa.url),
  });
  t.teardown(() => standin.close());
  config.serverUrl = standin.url;

  // The legitimate flow: the victim signs in through the SDK and the hosted page.
  const legit = await browser.newContext();
  t.teardown(() => legit.close());
  const legitPage = await legit.newPage();
  screenshotOnFailure(t, legitPage, 'react-sdk-login-csrf-legit');
  await legitPage.goto(spa.url);
  await legitPage.getByRole('button', { name: 'Sign in' }).click();
  await legitPage.getByRole('textbox', { name: 'Login' }).fill('ada@example.com');
  await legitPage.getByRole('textbox', { name: 'Password' }).fill('correct horse');
  await legitPage.getByRole('button', { name: 'Submit' }).click();
  await legitPage.getByRole('status').filter({ hasText: 'Signed in as Ada Lovelace' }).waitFor();
  t.equal(new URL(legitPage.url()).origin, spa.url, 'back on the SPA');
  t.same(await me(legit, standin.url), { status: 200, email: 'ada@example.com' }, '/app/me: Ada');
  t.notOk(
    (await legit.cookies(standin.url)).some((cookie) => cookie.name === 'app.pkce_v'),
    'the login cookie was used up',
  );

  // The attacker, in browsers of their own: two ways to a callback link, each stopped at the 302.
  const attackerPage = async () => {
    const context = await browser.newContext();
    t.teardown(() => context.close());
    const page = await context.newPage();
    screenshotOnFailure(t, page, 'react-sdk-login-csrf-attacker');
    return page;
  };
  const planted: [string, string][] = [];
  // 1. Straight to /oauth2/authorize with Standin's callback, no PKCE, and a state made by hand.
  const handMade = Buffer.from(JSON.stringify({ clientId: CLIENT_ID, redirectUri: `${spa.url}/`, state: '/' })).toString('base64url');
  const authorize = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: `${standin.url}/app/callback`,
    response_type: 'code',
    scope: 'openid offline_access email profile',
    state: handMade,
  });
  const direct = await attackerPage();
  await direct.goto(`${standin.url}/oauth2/authorize?${authorize}`);
  planted.push(['a hand-made state and a code without PKCE', await submitAndStopAt302(direct, 'mallory@example.com', 'battery staple')]);
  // 2. Through the SDK's own sign-in, as any user of the app would start it.
  const viaSdk = await attackerPage();
  await viaSdk.goto(spa.url);
  await viaSdk.getByRole('button', { name: 'Sign in' }).click();
  planted.push(["the SDK's own /app/login", await submitAndStopAt302(viaSdk, 'mallory@example.com', 'battery staple')]);

  for (const [how, link] of planted) {
    t.match(new URL(link).pathname, '/app/callback', `${how}: the attacker holds a callback link`);
    t.ok(new URL(link).searchParams.get('code'), `${how}: with a code`);
    // The victim, signed out, follows the link.
    const victim = await browser.newContext();
    t.teardown(() => victim.close());
    const page = await victim.newPage();
    screenshotOnFailure(t, page, 'react-sdk-login-csrf-victim');
    const followed = await page.goto(link);
    t.equal(followed?.status(), 400, `${how}: the callback refuses the link`);
    t.equal(new URL(page.url()).pathname, '/app/callback', `${how}: and does not send the victim on to the app`);
    t.equal((await me(victim, standin.url)).status, 401, `${how}: /app/me is 401`);
    t.notOk(
      (await victim.cookies(standin.url)).some((cookie) => cookie.name.startsWith('app.') && cookie.value !== ''),
      `${how}: no app.* cookies`,
    );
    await page.goto(spa.url);
    await page.getByRole('status').filter({ hasText: 'Signed out' }).waitFor({ timeout: 10_000 });
    t.pass(`${how}: the app shows signed out`);
  }
});
