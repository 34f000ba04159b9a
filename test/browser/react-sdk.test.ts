import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Page, Response } from 'playwright-core';
import t from 'tap';
import { build } from 'vite';
import { startStandin } from '../../src/index.js';
import { launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { serveSpa } from '../helpers/spa-server.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's React SDK against Standin's hosted backend (/app/*), in Chromium: a SPA built with Vite from
// npm packages, configured only with Standin's URL, a client id and a redirect URI.
const SPA_SOURCE = fileURLToPath(new URL('./react-spa/', import.meta.url));
const FIRST = 'a1a1a1a1-0000-4000-8000-0000000000a1';
const SECOND = 'a2a2a2a2-0000-4000-8000-0000000000a2';
const ACCESS_TOKEN_SECONDS = 12;

function watchLoginForm(page: Page): { shown: () => boolean; stop: () => void } {
  let shown = false;
  const watch = (response: Response) => {
    if (new URL(response.url()).pathname === '/oauth2/authorize' && response.status() === 200) shown = true;
  };
  page.on('response', watch);
  return { shown: () => shown, stop: () => page.off('response', watch) };
}

t.test('a React SDK app signs in, refreshes, signs out, and a second app signs in through SSO', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;

  const dist = temporaryFolder(t, 'standin-react-spa-');
  await build({ root: SPA_SOURCE, logLevel: 'error', configFile: false, build: { outDir: dist, emptyOutDir: true, target: 'es2022' } });

  // The SPAs' URLs first, so the kickstart can register them.
  const spas: { server: Server; url: string }[] = [];
  const config = { serverUrl: '', first: '', second: '' };
  for (const [index, clientId] of [FIRST, SECOND].entries()) {
    const spa = await serveSpa(dist, (port) => ({
      serverUrl: config.serverUrl,
      clientId,
      redirectUri: `http://localhost:${port}/`,
      scope: 'openid offline_access email profile',
    }));
    t.teardown(() => spa.server.close());
    spas.push(spa);
    if (index === 0) config.first = spa.url;
    else config.second = spa.url;
  }
  const application = (id: string, name: string, url: string) => ({
    url: `/api/application/${id}`,
    body: {
      application: {
        name,
        oauthConfiguration: {
          authorizedRedirectURLs: [`${url}/`],
          authorizedOriginURLs: [url],
          enabledGrants: ['authorization_code', 'refresh_token'],
          generateRefreshTokens: true,
        },
        jwtConfiguration: { enabled: true, timeToLiveInSeconds: ACCESS_TOKEN_SECONDS },
      },
    },
  });
  const standin = await startStandin({
    passwordHashing: 'fast',
    kickstart: {
      apiKeys: [{ key: 'react-sdk-test-key-0123456789' }],
      requests: [
        application(FIRST, 'First SPA', config.first),
        application(SECOND, 'Second SPA', config.second),
        {
          url: '/api/user/registration',
          body: {
            user: { email: 'ada@example.com', password: 'correct horse', firstName: 'Ada', lastName: 'Lovelace' },
            registration: { applicationId: FIRST },
          },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  config.serverUrl = standin.url;

  const context = await browser.newContext();
  const page = await context.newPage();
  screenshotOnFailure(t, page, 'react-sdk');
  const appCookie = async (name: string) => (await context.cookies(standin.url)).find((cookie) => cookie.name === name)?.value;

  // Sign in through the hosted page; the SDK reports the user, with the name from /app/me.
  await page.goto(config.first);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('textbox', { name: 'Login' }).fill('ada@example.com');
  await page.getByRole('textbox', { name: 'Password' }).fill('correct horse');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('status').filter({ hasText: 'Signed in as Ada Lovelace' }).waitFor();
  t.equal(new URL(page.url()).origin, config.first, 'back on the SPA');
  t.match(await page.evaluate(() => document.cookie), /app\.at_exp=\d+/, 'the SPA reads app.at_exp');
  t.notMatch(await page.evaluate(() => document.cookie), /app\.at=|app\.rt=/, 'but never the tokens');

  // The SDK refreshes before the access token expires: app.at changes by itself.
  const firstToken = await appCookie('app.at');
  const deadline = Date.now() + ACCESS_TOKEN_SECONDS * 1000 + 10_000;
  while ((await appCookie('app.at')) === firstToken && Date.now() < deadline) await page.waitForTimeout(250);
  t.not(await appCookie('app.at'), firstToken, 'the SDK refreshed app.at before it expired');
  t.ok(await page.getByRole('status').filter({ hasText: 'Signed in as Ada Lovelace' }).isVisible(), 'still signed in');

  await t.test('a second app signs in through SSO without the form; signing out ends SSO', async (t) => {
    // The second application, on another port, signs in through SSO without the form. Its app.* cookies would be the
    // first's on one host, so start it with none (FusionAuth GitHub issues
    // https://github.com/FusionAuth/fusionauth-issues/issues/2479 and
    // https://github.com/FusionAuth/fusionauth-issues/issues/3250).
    for (const name of ['app.at', 'app.rt', 'app.idt', 'app.at_exp']) await context.clearCookies({ name });
    await page.goto(config.second);
    const form = watchLoginForm(page);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('status').filter({ hasText: 'Signed in as Ada Lovelace' }).waitFor();
    form.stop();
    t.equal(form.shown(), false, 'no login form for the second app');
    t.equal(new URL(page.url()).origin, config.second);

    // Sign out returns to signed out, and ends SSO: the first app asks for the password again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('status').filter({ hasText: 'Signed out' }).waitFor();
    t.notOk(await appCookie('app.at'), 'the cookies are gone');
    await page.goto(config.first);
    const again = watchLoginForm(page);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('textbox', { name: 'Login' }).waitFor();
    again.stop();
    t.equal(again.shown(), true, 'signing out ended SSO');
  });
});
