import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { Browser, Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { startStandin, type RunningStandin } from '../../src/index.js';
import { focusedId, launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { submitLoginForm, urlReachedAfter } from '../helpers/hosted-login-page.js';
import { assertReadable } from '../helpers/contrast.js';
import { authenticatorCode } from '../helpers/totp.js';

// The hosted login with a second factor, in Chromium (docs/two-factor.md): password, then the code the test
// computes; a trusted device skips the step; a wrong code, a reused recovery code, a stale code and an expired
// twoFactorId each show their error.
const API_KEY = 'two-factor-browser-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c1000000-0000-4000-8000-000000000001';
const USER = 'c2000000-0000-4000-8000-000000000001';
const REQUIRED_APP = 'c1000000-0000-4000-8000-000000000002';
const CALLBACK = 'http://localhost:3000/callback';
const query = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'mfa', prompt: 'login' });
const T0 = Math.floor(Date.now() / 30_000) * 30_000 + 5_000;

interface Setup {
  standin: RunningStandin;
  browser: Browser;
  secret: string;
  recoveryCodes: string[];
}

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
        { method: 'PATCH', url: `/api/tenant/${TENANT}`, body: { tenant: { emailConfiguration: { defaultFromEmail: 'noreply@standin.test' } } } },
        {
          url: `/api/application/${APP}`,
          body: {
            application: { name: 'Store', passwordlessConfiguration: { enabled: true }, oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] } },
          },
        },
        {
          url: `/api/user/registration/${USER}`,
          body: { user: { email: 'monica@example.com', password: 'password1' }, registration: { applicationId: APP } },
        },
        {
          url: `/api/application/${REQUIRED_APP}`,
          body: {
            application: {
              name: 'Bank',
              multiFactorConfiguration: { loginPolicy: 'Required' },
              oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] },
            },
          },
        },
        {
          url: '/api/user/registration/c2000000-0000-4000-8000-000000000002',
          body: { user: { email: 'jian@example.com', password: 'password1' }, registration: { applicationId: REQUIRED_APP } },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const secret = (await client.generateTwoFactorSecret()).response.secretBase32Encoded!;
  const enabled = await client.enableTwoFactor(USER, {
    method: 'authenticator',
    code: authenticatorCode(secret, standin.clock.now()),
    secretBase32Encoded: secret,
  });
  return { standin, browser, secret, recoveryCodes: enabled.response.recoveryCodes! };
}

/** A fresh page through the password, up to the two-factor page; the clock moves one step so the next code is unused. */
async function toTwoFactorPage(t: Test, setup: Setup, page: Page): Promise<void> {
  setup.standin.clock.advance(30);
  await submitLoginForm(page, `${setup.standin.url}/oauth2/authorize?${query}`, 'monica@example.com', 'password1');
  await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
  t.pass('the password leads to the two-factor page');
}

async function submitCode(page: Page, code: string, trust = false): Promise<void> {
  await page.getByLabel('Verification code').fill(code);
  if (trust) await page.getByLabel(/Trust this computer/).check();
  await page.getByRole('button', { name: 'Verify' }).click();
}

/** Submits and waits for the browser to be sent to the redirect_uri with a code. */
async function submitAndLand(page: Page, code: string, trust = false): Promise<URL> {
  return urlReachedAfter(page, CALLBACK, () => submitCode(page, code, trust));
}

const setup = await setUp(t);

t.test('password, the code, trust the device; the next login skips the step', { skip: !setup }, async (t) => {
  const { standin, browser, secret } = setup!;
  const context = await browser.newContext();
  const page = await context.newPage();
  screenshotOnFailure(t, page, 'two-factor-trust');
  await toTwoFactorPage(t, setup!, page);
  await submitCode(page, '000000');
  t.ok(await page.getByText('Invalid verification code').isVisible(), 'a wrong code shows the error');
  t.equal(await page.getByLabel('Verification code').getAttribute('aria-invalid'), 'true');
  const url = await submitAndLand(page, authenticatorCode(secret, standin.clock.now()), true);
  t.match(url.searchParams.get('code'), /^[A-Za-z0-9_-]{43}$/, 'a code at the redirect_uri');
  t.equal(url.searchParams.get('state'), 'mfa');
  t.ok(
    (await context.cookies()).some((cookie) => cookie.name === 'fusionauth.trust' && cookie.httpOnly),
    'the trust cookie, HttpOnly',
  );

  // A new tab of the same browser: prompt=login asks for the password, and the trust cookie skips the code.
  const next = await context.newPage();
  const again = await urlReachedAfter(next, CALLBACK, () =>
    submitLoginForm(next, `${standin.url}/oauth2/authorize?${query}`, 'monica@example.com', 'password1'),
  );
  t.ok(again.searchParams.get('code'), 'the trusted browser goes straight to the redirect_uri');
  await context.close();
});

t.test('a recovery code works once', { skip: !setup }, async (t) => {
  const { browser, recoveryCodes } = setup!;
  const page = await browser.newPage();
  screenshotOnFailure(t, page, 'two-factor-recovery');
  await toTwoFactorPage(t, setup!, page);
  t.ok((await submitAndLand(page, recoveryCodes[0]!)).searchParams.get('code'));
  const second = await browser.newPage();
  await toTwoFactorPage(t, setup!, second);
  await submitCode(second, recoveryCodes[0]!);
  t.ok(await second.getByText('Invalid verification code').isVisible(), 'the used recovery code is refused');
});

t.test('a code gone stale as the clock moves past the window is refused; the twoFactorId expires', { skip: !setup }, async (t) => {
  const { standin, browser, secret } = setup!;
  const page = await browser.newPage();
  screenshotOnFailure(t, page, 'two-factor-expiry');
  await toTwoFactorPage(t, setup!, page);
  const code = authenticatorCode(secret, standin.clock.now());
  standin.clock.advance(60);
  await submitCode(page, code);
  t.ok(await page.getByText('Invalid verification code').isVisible(), 'two steps later the code is stale');
  standin.clock.advance(300);
  await submitCode(page, authenticatorCode(secret, standin.clock.now()));
  await page.getByRole('heading', { name: 'Log in again' }).waitFor();
  t.pass('after five minutes the pending login is gone');
  await page.getByRole('link', { name: 'Return to login' }).click();
  t.ok(await page.getByLabel('Password').isVisible(), 'the link goes back to the login page');
});

t.test('the two-factor page: labels, focus order, contrast, phone layout', { skip: !setup }, async (t) => {
  const { browser } = setup!;
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 375, height: 740 },
    ]) {
      const name = `${colorScheme} ${viewport.width}px`;
      const context = await browser.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      screenshotOnFailure(t, page, `two-factor-page-${colorScheme}-${viewport.width}`);
      await toTwoFactorPage(t, setup!, page);
      t.equal(await focusedId(page, 'code'), 'code', `${name}: the code field has the focus`);
      t.equal(await page.getByLabel('Verification code').getAttribute('autocomplete'), 'one-time-code');
      const order: string[] = [];
      for (let i = 0; i < 2; i++) {
        await page.keyboard.press('Tab');
        order.push(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name || document.activeElement?.textContent || ''));
      }
      t.same(order, ['trustComputer', 'Verify'], `${name}: Tab goes code → trust → Verify`);
      await assertReadable(t, page, name, ['button.primary', 'label[for="code"]', '.subtitle', '#code-hint', 'label.checkbox']);
      await context.close();
    }
  }
});

t.test(
  'loginPolicy Required: a user with no method sets one up, sees the recovery codes, and lands at the redirect_uri',
  { skip: !setup },
  async (t) => {
    const { standin, browser } = setup!;
    const page = await browser.newPage();
    screenshotOnFailure(t, page, 'two-factor-enrol');
    await submitLoginForm(
      page,
      `${standin.url}/oauth2/authorize?${new URLSearchParams({ ...Object.fromEntries(query), client_id: REQUIRED_APP })}`,
      'jian@example.com',
      'password1',
    );
    await page.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    const key = (await page.locator('#secret').textContent())!.replace(/\s/g, '');
    t.match(
      await page.getByRole('link', { name: 'Open in an authenticator app' }).getAttribute('href'),
      new RegExp(`^otpauth://totp/.*secret=${key}`),
    );
    await page.getByLabel('Verification code').fill('000000');
    await page.getByRole('button', { name: 'Enable' }).click();
    t.ok(await page.getByText('Invalid verification code').isVisible(), 'a wrong code is refused');
    await page.getByLabel('Verification code').fill(authenticatorCode(key, standin.clock.now()));
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    t.equal(await page.getByRole('listitem').count(), 10, 'ten recovery codes');
    const landed = await urlReachedAfter(page, CALLBACK, () => page.getByRole('button', { name: 'Continue' }).click());
    t.ok(landed.searchParams.get('code'), 'Continue ends the login with a code');
  },
);

t.test('a magic link asks for the second factor too, and the code ends the login', { skip: !setup }, async (t) => {
  const { standin, browser, secret } = setup!;
  const page = await browser.newPage();
  screenshotOnFailure(t, page, 'two-factor-magic-link');
  standin.clock.advance(30);
  await page.goto(`${standin.url}/oauth2/authorize?${query}`);
  await page.getByRole('link', { name: 'Log in with a magic link' }).click();
  standin.clearEmails();
  await page.getByLabel('Email').fill('monica@example.com');
  await page.getByRole('button', { name: 'Send me a link' }).click();
  const link = (await standin.waitForEmail({ to: 'monica@example.com', type: 'passwordless' })).links[0]!;
  await page.goto(link);
  await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
  t.ok(
    (await submitAndLand(page, authenticatorCode(secret, standin.clock.now()))).searchParams.get('code'),
    'the code at the redirect_uri after the second factor',
  );
});

t.test('a forged POST is refused', { skip: !setup }, async (t) => {
  const { standin } = setup!;
  for (const path of ['/oauth2/two-factor', '/oauth2/two-factor/enable']) {
    const response = await fetch(`${standin.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ ...Object.fromEntries(query), twoFactorId: 'x', code: '123456' }),
    });
    t.equal(response.status, 403, path);
  }
});
