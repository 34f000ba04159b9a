import { fileURLToPath } from 'node:url';
import type { Request, Response } from 'playwright-core';
import t from 'tap';
import { build } from 'vite';
import { startStandin } from '../../src/index.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { serveSpa } from '../helpers/spa-server.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// oidc-client-ts in Chromium as a public SPA on another origin than Standin's: it fetches discovery
// cross-origin, signs in by redirect, exchanges the code with PKCE and no secret, calls userinfo, refreshes
// with the refresh token and signs out through end_session_endpoint, all allowed by the system CORS
// configuration alone (no authorizedOriginURLs). A second copy on an origin CORS does not allow cannot even
// read discovery.
const SPA_SOURCE = fileURLToPath(new URL('./oidc-spa/', import.meta.url));
const CLIENT_ID = 'b1b1b1b1-0000-4000-8000-0000000000b1';

interface Seen {
  method: string;
  path: string;
  status: number;
  allowOrigin: string | undefined;
  body: string | null;
  authorization: string | undefined;
}

/** CORS for the SPA's origin only, the public SPA client (PKCE, no secret) and Ada registered to it. */
function spaKickstart(spaOrigin: string): Kickstart {
  return {
    apiKeys: [{ key: 'oidc-client-spa-test-key-0123456789' }],
    requests: [
      {
        method: 'PATCH',
        url: '/api/system-configuration',
        body: {
          systemConfiguration: { corsConfiguration: { enabled: true, allowedOrigins: [spaOrigin], allowedMethods: ['GET', 'POST', 'OPTIONS'] } },
        },
      },
      {
        url: `/api/application/${CLIENT_ID}`,
        body: {
          application: {
            name: 'Public SPA',
            oauthConfiguration: {
              authorizedRedirectURLs: [`${spaOrigin}/callback`, `${spaOrigin}/signed-out`],
              clientAuthenticationPolicy: 'NotRequired',
              proofKeyForCodeExchangePolicy: 'Required',
              enabledGrants: ['authorization_code', 'refresh_token'],
              generateRefreshTokens: true,
            },
            jwtConfiguration: { enabled: true },
          },
        },
      },
      {
        url: '/api/user/registration',
        body: {
          user: { email: 'ada@example.com', password: 'correct horse', firstName: 'Ada', lastName: 'Lovelace' },
          registration: { applicationId: CLIENT_ID },
        },
      },
    ],
  };
}

t.test('an oidc-client-ts SPA on an allowed origin signs in with PKCE and no secret, reads userinfo, refreshes and signs out', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;

  const dist = temporaryFolder(t, 'standin-oidc-spa-');
  await build({ root: SPA_SOURCE, logLevel: 'error', configFile: false, build: { outDir: dist, emptyOutDir: true, target: 'es2022' } });

  const authority = { url: '' };
  // On 127.0.0.1 while Standin is on localhost: another origin.
  const spa = await onLoopbackAddress(serveSpa(dist, () => ({ authority: authority.url, clientId: CLIENT_ID })));
  t.teardown(() => spa.server.close());
  const stranger = await onLoopbackAddress(serveSpa(dist, () => ({ authority: authority.url, clientId: CLIENT_ID, discoverOnly: true })));
  t.teardown(() => stranger.server.close());

  const standin = await startStandin({
    passwordHashing: 'fast',
    kickstart: spaKickstart(spa.origin),
  });
  t.teardown(() => standin.close());
  authority.url = standin.url;
  t.not(new URL(standin.url).origin, spa.origin, 'the SPA is on another origin');

  const context = await browser.newContext();
  const page = await context.newPage();
  screenshotOnFailure(t, page, 'oidc-client-spa');
  // Every request the browser makes to Standin, with what the browser saw. Reading the headers is
  // asynchronous: `seen()` waits for every record started so far.
  const records: Promise<Seen>[] = [];
  page.on('response', (response: Response) => {
    const request: Request = response.request();
    const url = new URL(request.url());
    if (url.origin !== new URL(standin.url).origin) return;
    records.push(
      (async () => ({
        method: request.method(),
        path: url.pathname,
        status: response.status(),
        allowOrigin: (await response.allHeaders())['access-control-allow-origin'],
        body: request.postData(),
        authorization: (await request.allHeaders()).authorization,
      }))(),
    );
  });
  const seen = () => Promise.all(records);
  const status = page.getByRole('status');

  // Discovery fetched cross-origin before the redirect, then the hosted login page.
  await page.goto(spa.origin);
  await status.filter({ hasText: 'Signed out' }).waitFor();
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Without CORS on discovery oidc-client-ts cannot even start: say so rather than time out.
  const failure = status.filter({ hasText: /^Error: / });
  await Promise.race([
    page.getByRole('textbox', { name: 'Login' }).waitFor(),
    failure.waitFor().then(async () => {
      throw new Error(`the SPA failed: ${await failure.textContent()}`);
    }),
  ]);
  await page.getByRole('textbox', { name: 'Login' }).fill('ada@example.com');
  await page.getByRole('textbox', { name: 'Password' }).fill('correct horse');
  const userinfoAnswered = page.waitForResponse(
    (response) => new URL(response.url()).pathname === '/oauth2/userinfo' && response.request().method() === 'GET',
  );
  await page.getByRole('button', { name: 'Submit' }).click();
  await status.filter({ hasText: 'Signed in as Ada Lovelace <ada@example.com>' }).waitFor();
  await userinfoAnswered;
  t.equal(new URL(page.url()).origin, spa.origin, 'back on the SPA');

  const afterSignIn = await seen();
  const discovery = afterSignIn.find((s) => s.path === '/.well-known/openid-configuration');
  t.equal(discovery?.status, 200, 'discovery was read cross-origin');
  t.equal(discovery?.allowOrigin, spa.origin);
  const exchange = afterSignIn.find((s) => s.path === '/oauth2/token' && s.method === 'POST' && s.body?.includes('grant_type=authorization_code'));
  t.equal(exchange?.status, 200, 'the code was exchanged');
  t.equal(exchange?.allowOrigin, spa.origin);
  const form = new URLSearchParams(exchange?.body ?? '');
  t.equal(form.get('client_id'), CLIENT_ID);
  t.ok(form.get('code_verifier'), 'with the PKCE verifier');
  t.equal(form.get('client_secret'), null, 'and no secret');
  t.equal(exchange?.authorization, undefined, 'not even in a Basic header');
  const userinfo = afterSignIn.find((s) => s.path === '/oauth2/userinfo' && s.method === 'GET');
  t.equal(userinfo?.status, 200, 'userinfo answered the SPA');
  t.equal(userinfo?.allowOrigin, spa.origin);
  // The Authorization header made the browser send a preflight first (Playwright does not report it).
  t.match(userinfo?.authorization, /^Bearer /);

  await t.test('the SPA refreshes without a secret and signs out through end_session_endpoint', async (t) => {
    // Refresh with the refresh token (signinSilent uses it when the user has one): a new access token.
    const before = JSON.parse(await page.evaluate(() => (window as unknown as { currentUser(): Promise<string> }).currentUser()));
    t.ok(before.refresh_token, 'offline_access gave a refresh token');
    const refreshAnswered = page.waitForResponse(
      (response) => new URL(response.url()).pathname === '/oauth2/token' && response.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    await status.filter({ hasText: 'Refreshed: Ada Lovelace' }).waitFor();
    await refreshAnswered;
    const after = JSON.parse(await page.evaluate(() => (window as unknown as { currentUser(): Promise<string> }).currentUser()));
    t.not(after.access_token, before.access_token, 'a new access token');
    const refreshed = (await seen()).find((s) => s.path === '/oauth2/token' && s.body?.includes('grant_type=refresh_token'));
    t.equal(refreshed?.status, 200, 'the refresh_token grant answered the SPA');
    t.equal(refreshed?.allowOrigin, spa.origin);
    t.equal(new URLSearchParams(refreshed?.body ?? '').get('client_secret'), null, 'without a secret');

    // Sign out through end_session_endpoint, back to the SPA; the SSO session is over.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await status.filter({ hasText: 'Signed out' }).waitFor();
    t.equal(new URL(page.url()).pathname, '/signed-out');
    t.ok(
      (await seen()).some((s) => s.path === '/oauth2/logout' && s.status === 302),
      'through /oauth2/logout',
    );
    t.same(standin.sessions(), [], 'no SSO session is left');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('textbox', { name: 'Login' }).waitFor();
    t.pass('signing in again asks for the password');
  });

  await t.test('the same SPA on an origin outside allowedOrigins cannot read discovery', async (t) => {
    // The same SPA on an origin that is not in allowedOrigins: Standin answers 403 and the browser blocks it.
    const strangerPage = await context.newPage();
    screenshotOnFailure(t, strangerPage, 'oidc-client-spa-stranger');
    const failed: string[] = [];
    strangerPage.on('requestfailed', (request) => {
      if (new URL(request.url()).pathname === '/.well-known/openid-configuration') failed.push(request.failure()?.errorText ?? '');
    });
    await strangerPage.goto(stranger.origin);
    await strangerPage
      .getByRole('status')
      .filter({ hasText: /^Error: / })
      .waitFor();
    t.notOk(await strangerPage.getByRole('status').filter({ hasText: 'Discovery fetched' }).isVisible(), 'oidc-client-ts could not read discovery');
    t.equal(failed.length, 1, `the browser blocked the discovery request (${failed.join(', ')})`);
    const direct = await fetch(`${standin.url}/.well-known/openid-configuration`, { headers: { origin: stranger.origin } });
    t.equal(direct.status, 403, 'what Standin answered that origin');
    t.equal(direct.headers.get('access-control-allow-origin'), null);
  });
});

/** The served SPA with its origin named by address rather than as localhost. */
async function onLoopbackAddress(served: ReturnType<typeof serveSpa>) {
  const spa = await served;
  return { ...spa, origin: `http://127.0.0.1:${spa.port}` };
}
