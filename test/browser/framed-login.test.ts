import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { launchChromium, screenshotOnFailure } from '../helpers/chromium.js';

// An application's hosted login page may be framed by the origins in its authorizedOriginURLs, and by no other
// page, as in FusionAuth (docs/hardening.md, "Headers"): a page on the authorized origin shows the login form
// in an iframe and a person logs in there; the same page on another origin gets a blocked frame.
const CLIENT_ID = 'f4a3e000-0000-4000-8000-0000000000f1';

/** A page that frames `src`, on `host` and a port of its own, and a callback that says what it received. */
async function serveFramingPage(host: string, src: () => string): Promise<{ origin: string; close: () => void }> {
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/callback')) {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>callback</title><p>Signed in</p>');
      return;
    }
    const escaped = src().replaceAll('&', '&amp;').replaceAll('"', '&quot;');
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end(`<!doctype html><title>app</title><iframe title="Sign in" src="${escaped}"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://${host}:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** Whether the frame's document is the login form, once the frame has loaded (a blocked frame loads an error page). */
async function frameShowsLoginForm(page: Page): Promise<boolean> {
  await page.waitForFunction(() => document.querySelector('iframe') !== null);
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  if (!frame) return false;
  await frame.waitForLoadState('load');
  return (await frame.getByRole('textbox', { name: 'Login' }).count()) === 1;
}

t.test('a page on an authorizedOriginURLs origin frames the login form; a page on another origin cannot', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const authorize = { url: '' };
  // Same site as Standin (localhost), another port: the frame keeps its cookies, so the login completes.
  const allowed = await serveFramingPage('localhost', () => authorize.url);
  t.teardown(allowed.close);
  const stranger = await serveFramingPage('127.0.0.1', () => authorize.url);
  t.teardown(stranger.close);

  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      apiKeys: [{ key: 'framed-login-test-key-0123456789' }],
      requests: [
        {
          url: `/api/application/${CLIENT_ID}`,
          body: {
            application: {
              name: 'Framing App',
              oauthConfiguration: { authorizedRedirectURLs: [`${allowed.origin}/callback`], authorizedOriginURLs: [allowed.origin] },
            },
          },
        },
        {
          url: '/api/user/registration',
          body: { user: { email: 'ada@example.com', password: 'correct horse' }, registration: { applicationId: CLIENT_ID } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  const query = new URLSearchParams({ client_id: CLIENT_ID, redirect_uri: `${allowed.origin}/callback`, response_type: 'code', scope: 'openid' });
  authorize.url = `${standin.url}/oauth2/authorize?${query}`;

  const context = await browser.newContext();
  const page = await context.newPage();
  screenshotOnFailure(t, page, 'framed-login');

  await page.goto(allowed.origin);
  t.ok(await frameShowsLoginForm(page), 'the authorized origin shows the login form in its frame');
  const frame = page.frameLocator('iframe');
  await frame.getByRole('textbox', { name: 'Login' }).fill('ada@example.com');
  await frame.getByRole('textbox', { name: 'Password' }).fill('not the password');
  await frame.getByRole('button', { name: 'Submit' }).click();
  await frame.getByText('Invalid login credentials.').waitFor();
  await frame.getByRole('textbox', { name: 'Password' }).fill('correct horse');
  await frame.getByRole('button', { name: 'Submit' }).click();
  await frame.getByText('Signed in').waitFor();
  t.match(page.frames()[1]?.url(), new RegExp(`^${allowed.origin}/callback\\?code=`), 'the login ends at the callback, inside the frame');

  const other = await context.newPage();
  await other.goto(stranger.origin);
  t.notOk(await frameShowsLoginForm(other), 'another origin gets a blocked frame');
  // Before Standin closes, so that it has no browser connection to wait for.
  await context.close();
});
