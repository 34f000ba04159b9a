import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { launchChromium, screenshotOnFailure } from '../helpers/chromium.js';

const CLIENT_ID = 'b0b0b0b0-0000-4000-8000-0000000000c1';

t.test('a person logs in on the hosted page in Chromium and lands on the application with a code', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;

  // The application: a callback that shows what it received.
  const callback = createServer((request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end(`callback ${request.url}`));
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  t.teardown(() => callback.close());
  const redirectUri = `http://localhost:${(callback.address() as AddressInfo).port}/callback`;

  const standin = await startStandin({
    passwordHashing: 'fast',
    kickstart: {
      apiKeys: [{ key: 'browser-test-key-0123456789' }],
      requests: [
        {
          url: `/api/application/${CLIENT_ID}`,
          body: { application: { name: 'Browser <Test> App', oauthConfiguration: { authorizedRedirectURLs: ['http://localhost/callback'] } } },
        },
        {
          url: '/api/user/registration',
          body: { user: { email: 'ada@example.com', password: 'correct horse' }, registration: { applicationId: CLIENT_ID } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());

  const context = await browser.newContext();
  const page = await context.newPage();
  screenshotOnFailure(t, page, 'browser-login');
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => void dialog.dismiss().then(() => dialogs.push(dialog.message())));

  const state = 'st<"ate>&1';
  const query = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid',
    state,
    login_hint: '<img src=x onerror=alert(1)>',
  });
  await page.goto(`${standin.url}/oauth2/authorize?${query}`);
  t.equal(await page.title(), 'Login · Standin');
  t.ok(await page.getByText('Browser <Test> App').isVisible(), 'the application name, shown as text');

  await page.getByRole('textbox', { name: 'Login' }).fill('ada@example.com');
  await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('Invalid login credentials.').waitFor();

  await page.getByRole('textbox', { name: 'Password' }).fill('correct horse');
  await page.getByRole('checkbox', { name: 'Keep me signed in' }).check();
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.waitForURL(/\/callback\?/);

  // The CSP let the redirect after the POST through (no form-action), and the code arrived.
  const landed = new URL(page.url());
  t.equal(landed.origin + landed.pathname, redirectUri);
  t.match(landed.searchParams.get('code'), /^[A-Za-z0-9_-]{43}$/);
  t.equal(landed.searchParams.get('state'), state);
  t.match(await page.textContent('body'), /^callback \/callback\?code=/);
  t.same(dialogs, [], 'the login_hint never ran as script');

  const cookies = await context.cookies(standin.url);
  const sso = cookies.find((cookie) => cookie.name === 'fusionauth.sso')!;
  t.ok(sso, 'the SSO cookie is set');
  t.equal(sso.httpOnly, true);
  t.equal(sso.sameSite, 'Lax');
  t.equal(sso.domain, 'localhost', "host-only, on Standin's host");
  t.ok(sso.expires > Date.now() / 1000, '"Keep me signed in" made it persistent');
  t.equal(await page.evaluate(() => document.cookie), '', 'no cookie of Standin is readable by script on the application');
});
