import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { Browser, Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { startStandin, type RunningStandin } from '../../src/index.js';
import { settle } from '../helpers/fixtures.js';
import { focusedId, launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { submitLoginForm, urlReachedAfter } from '../helpers/hosted-login-page.js';
import { assertReadable } from '../helpers/contrast.js';
import { authenticatorCode } from '../helpers/totp.js';

// A hosted login whose user must change their password (docs/login-flow.md, "A required password change"), in
// Chromium: the password leads to the change page, which says why, and the new password ends the login with a code
// at the redirect_uri; with a second factor, the code comes first and is not asked for again after the change.
// STANDIN_SAVE_SCREENSHOTS=1 writes the page to docs/screenshots/.
const API_KEY = 'password-change-required-browser-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c8000000-0000-4000-8000-000000000001';
const PLAIN = 'c8100000-0000-4000-8000-000000000001';
const GUARDED = 'c8100000-0000-4000-8000-000000000002';
const CALLBACK = 'http://localhost:3000/callback';
const PASSWORD = 'temporary-password-1';
const NEW_PASSWORD = 'a-password-of-my-own-2';
const NOTICE = 'You must change your password in order to continue.';
const query = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'forced' });
const T0 = Math.floor(Date.now() / 30_000) * 30_000 + 5_000;
const SAVE = process.env.STANDIN_SAVE_SCREENSHOTS === '1';

interface Setup {
  standin: RunningStandin;
  browser: Browser;
  client: FusionAuthClient;
  secret: string;
}

const user = (id: string, email: string) => ({
  url: `/api/user/registration/${id}`,
  body: { user: { email, password: PASSWORD, passwordChangeRequired: true }, registration: { applicationId: APP } },
});

async function setUp(t: Test): Promise<Setup | undefined> {
  const browser = await launchChromium(t);
  if (!browser) return undefined;
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    now: () => T0,
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: API_KEY }],
      requests: [
        { url: `/api/application/${APP}`, body: { application: { name: 'Hooli', oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] } } } },
        user(PLAIN, 'dinesh@example.com'),
        user(GUARDED, 'jared@example.com'),
      ],
    },
  });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const secret = (await client.generateTwoFactorSecret()).response.secretBase32Encoded!;
  await client.enableTwoFactor(GUARDED, {
    method: 'authenticator',
    code: authenticatorCode(secret, standin.clock.now()),
    secretBase32Encoded: secret,
  });
  return { standin, browser, client, secret };
}

async function submitPassword(setup: Setup, page: Page, email: string): Promise<void> {
  await submitLoginForm(page, `${setup.standin.url}/oauth2/authorize?${query}`, email, PASSWORD);
}

/** Fills in the change page and waits for the browser to be sent to the redirect_uri. */
async function changeAndLand(page: Page): Promise<URL> {
  await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm password').fill(NEW_PASSWORD);
  return urlReachedAfter(page, CALLBACK, () => page.getByRole('button', { name: 'Submit' }).click());
}

const setup = await setUp(t);

t.test('the password leads to the change page; the new password ends the login with a code', { skip: !setup }, async (t) => {
  const { browser, client } = setup!;
  const page = await browser.newPage();
  screenshotOnFailure(t, page, 'password-change-required');
  await submitPassword(setup!, page, 'dinesh@example.com');
  await page.getByRole('heading', { name: 'Change password' }).waitFor();
  t.match(new URL(page.url()).pathname, /^\/password\/change\/[A-Za-z0-9_-]{43}$/, 'the change page of a new changePasswordId');
  t.equal(await page.getByRole('status').textContent(), NOTICE, 'which says why');
  const url = await changeAndLand(page);
  t.match(url.searchParams.get('code'), /^[A-Za-z0-9_-]{43}$/, 'a code at the redirect_uri');
  t.equal(url.searchParams.get('state'), 'forced', 'with the state');
  t.equal((await client.retrieveUser(PLAIN)).response.user!.passwordChangeRequired, false, 'the flag is cleared');
  t.equal((await settle(client.login({ loginId: 'dinesh@example.com', password: PASSWORD, applicationId: APP }))).statusCode, 404);
  t.equal((await client.login({ loginId: 'dinesh@example.com', password: NEW_PASSWORD, applicationId: APP })).statusCode, 200);
  await page.close();
});

t.test('with a second factor: the code first, then the change, and no second code', { skip: !setup }, async (t) => {
  const { standin, browser, secret } = setup!;
  const page = await browser.newPage();
  screenshotOnFailure(t, page, 'password-change-required-two-factor');
  standin.clock.advance(30);
  await submitPassword(setup!, page, 'jared@example.com');
  await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
  t.notOk(await page.getByText(NOTICE).count(), 'no change page before the second factor');
  await page.getByLabel('Verification code').fill(authenticatorCode(secret, standin.clock.now()));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('status').waitFor();
  t.equal(await page.getByRole('status').textContent(), NOTICE, 'then the change page');
  const url = await changeAndLand(page);
  t.match(url.searchParams.get('code'), /^[A-Za-z0-9_-]{43}$/, 'the change ends the login without asking for the code again');
  await page.close();
});

t.test('the change page with its notice: labels, focus order, contrast, phone layout', { skip: !setup }, async (t) => {
  const { browser, client } = setup!;
  await client.patchUser(PLAIN, { user: { passwordChangeRequired: true } });
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 375, height: 740 },
    ]) {
      const name = `${colorScheme} ${viewport.width}px`;
      const context = await browser.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      screenshotOnFailure(t, page, `password-change-required-${colorScheme}-${viewport.width}`);
      await submitLoginForm(page, `${setup!.standin.url}/oauth2/authorize?${query}`, 'dinesh@example.com', NEW_PASSWORD);
      await page.getByRole('status').waitFor();
      t.equal(await focusedId(page, 'password'), 'password', `${name}: the password field has the focus`);
      const order: string[] = [];
      for (let i = 0; i < 2; i++) {
        await page.keyboard.press('Tab');
        order.push(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name || document.activeElement?.textContent || ''));
      }
      t.same(order, ['passwordConfirm', 'Submit'], `${name}: Tab goes password → confirm → Submit`);
      await assertReadable(t, page, name, ['.notice', 'button.primary', 'label[for="password"]', '.subtitle']);
      if (SAVE && colorScheme === 'light') {
        await page.screenshot({ path: `docs/screenshots/password-change-required-${viewport.width === 375 ? 'phone' : 'desktop'}.png` });
      }
      await context.close();
    }
  }
});
