import { FusionAuthClient } from '@fusionauth/typescript-client';
import type { Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { startStandin } from '../../src/index.js';
import { focusedId, launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { submitLoginForm, urlReachedAfter } from '../helpers/hosted-login-page.js';
import { assertReadable } from '../helpers/contrast.js';
import { authenticatorCode } from '../helpers/totp.js';

// The hosted method chooser, in Chromium (docs/two-factor.md, "The hosted login page"): a user with an authenticator
// and an email method chooses after the password; the email method's code is emailed and ends the login, as does the
// authenticator's; "Resend the code" emails a new one that replaces the first; a POST without its CSRF token is
// refused; the pages are readable and work from the keyboard.
const API_KEY = 'two-factor-chooser-browser-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c7000000-0000-4000-8000-000000000001';
const USER = 'c8000000-0000-4000-8000-000000000001';
const ADDRESS = 'jared.mfa@example.com';
const CALLBACK = 'http://localhost:3000/callback';
const query = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'mfa', prompt: 'login' });
const T0 = Math.floor(Date.now() / 30_000) * 30_000 + 5_000;

const browser = await launchChromium(t);
const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  now: () => T0,
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: API_KEY }],
    requests: [
      {
        method: 'PATCH',
        url: `/api/tenant/${TENANT}`,
        body: {
          tenant: { emailConfiguration: { defaultFromEmail: 'noreply@standin.test' }, multiFactorConfiguration: { email: { enabled: true } } },
        },
      },
      {
        url: `/api/application/${APP}`,
        body: {
          application: { name: 'Pied Piper', oauthConfiguration: { authorizedRedirectURLs: [CALLBACK], enabledGrants: ['authorization_code'] } },
        },
      },
      {
        url: `/api/user/registration/${USER}`,
        body: { user: { email: 'jared@example.com', password: 'password1' }, registration: { applicationId: APP } },
      },
    ],
  },
});
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const secret = (await client.generateTwoFactorSecret()).response.secretBase32Encoded!;
await client.enableTwoFactor(USER, { method: 'authenticator', code: authenticatorCode(secret, standin.clock.now()), secretBase32Encoded: secret });
await client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'email', email: ADDRESS });
await client.enableTwoFactor(USER, {
  method: 'email',
  email: ADDRESS,
  code: (await standin.waitForEmail({ to: ADDRESS, type: 'twoFactorCode' })).code!,
});
const clientSecret = (await client.retrieveApplication(APP)).response.application!.oauthConfiguration!.clientSecret!;

/** A fresh page through the password, up to the chooser; the clock moves one step so the next TOTP code is unused. */
async function toChooser(t: Test, page: Page): Promise<void> {
  standin.clock.advance(30);
  standin.clearEmails();
  await submitLoginForm(page, `${standin.url}/oauth2/authorize?${query}`, 'jared@example.com', 'password1');
  await page.getByRole('group', { name: 'Choose how to get your verification code' }).waitFor();
  t.pass('the password leads to the method chooser');
}

async function choose(page: Page, method: RegExp): Promise<void> {
  await page.getByRole('radio', { name: method }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Verification code').waitFor();
}

/** Submits the code, waits for the redirect_uri, and exchanges its code for tokens with FusionAuth's client. */
async function finishAndExchange(t: Test, page: Page, code: string): Promise<void> {
  await page.getByLabel('Verification code').fill(code);
  const landed = await urlReachedAfter(page, CALLBACK, () => page.getByRole('button', { name: 'Verify' }).click());
  const authorizationCode = landed.searchParams.get('code')!;
  const tokens = await client.exchangeOAuthCodeForAccessToken(authorizationCode, APP, clientSecret, CALLBACK);
  t.equal(tokens.statusCode, 200, 'the code exchanged for tokens');
  t.equal(tokens.response.userId, USER);
  t.type(tokens.response.access_token, 'string');
}

t.test('the chooser, then the email method: its code is emailed and ends the login', { skip: !browser }, async (t) => {
  const page = await browser!.newPage();
  screenshotOnFailure(t, page, 'two-factor-chooser-email');
  await toChooser(t, page);
  t.equal(standin.emails({ to: ADDRESS, type: 'twoFactorCode' }).length, 0, 'nothing is sent before a method is chosen');
  t.ok(await page.getByRole('radio', { name: /Authenticator app/ }).isVisible());
  await choose(page, /Email/);
  t.match(await page.locator('#code-hint').textContent(), `sent to ${ADDRESS}`);
  const code = (await standin.waitForEmail({ to: ADDRESS, type: 'twoFactorCode' })).code!;
  await finishAndExchange(t, page, code);
  await page.close();
});

t.test('the chooser, then the authenticator: nothing is emailed and its code ends the login', { skip: !browser }, async (t) => {
  const page = await browser!.newPage();
  screenshotOnFailure(t, page, 'two-factor-chooser-authenticator');
  await toChooser(t, page);
  await choose(page, /Authenticator app/);
  t.match(await page.locator('#code-hint').textContent(), 'authenticator app');
  t.equal(await page.getByRole('button', { name: 'Resend the code' }).count(), 0, 'no resend for an authenticator');
  t.equal(standin.emails({ to: ADDRESS, type: 'twoFactorCode' }).length, 0, 'nothing emailed');
  await finishAndExchange(t, page, authenticatorCode(secret, standin.clock.now()));
  await page.close();
});

t.test('"Resend the code" emails a new code; the first stops working and the new one ends the login', { skip: !browser }, async (t) => {
  const page = await browser!.newPage();
  screenshotOnFailure(t, page, 'two-factor-chooser-resend');
  await toChooser(t, page);
  await choose(page, /Email/);
  const first = (await standin.waitForEmail({ to: ADDRESS, type: 'twoFactorCode' })).code!;
  await page.getByRole('button', { name: 'Resend the code' }).click();
  await page.getByRole('status').filter({ hasText: 'A new code was sent' }).waitFor();
  const sent = standin.emails({ to: ADDRESS, type: 'twoFactorCode' });
  t.equal(sent.length, 2, 'a second email');
  const second = sent.find((email) => email.code !== first)?.code ?? first;
  if (second !== first) {
    await page.getByLabel('Verification code').fill(first);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Invalid verification code').waitFor();
    t.pass('the first code no longer works');
  }
  await finishAndExchange(t, page, second);
  await page.close();
});

t.test('"Choose another method" goes back to the chooser with the current method checked', { skip: !browser }, async (t) => {
  const page = await browser!.newPage();
  screenshotOnFailure(t, page, 'two-factor-chooser-back');
  await toChooser(t, page);
  await choose(page, /Email/);
  await page.getByRole('button', { name: 'Choose another method' }).click();
  await page.getByRole('group', { name: 'Choose how to get your verification code' }).waitFor();
  t.ok(await page.getByRole('radio', { name: /Email/ }).isChecked(), 'the email method is checked');
  await choose(page, /Authenticator app/);
  await finishAndExchange(t, page, authenticatorCode(secret, standin.clock.now()));
  await page.close();
});

t.test('a chooser POST without its CSRF token is refused', { skip: !browser }, async (t) => {
  const page = await browser!.newPage();
  screenshotOnFailure(t, page, 'two-factor-chooser-csrf');
  await toChooser(t, page);
  await page.locator('input[name="csrf_token"]').evaluate((input) => {
    input.remove();
  });
  const answered = page.waitForResponse((response) => response.url().endsWith('/oauth2/two-factor-methods'));
  await page.getByRole('button', { name: 'Continue' }).click();
  t.equal((await answered).status(), 403);
  await page.getByText('Invalid CSRF token').waitFor();
  t.equal(standin.emails({ to: ADDRESS, type: 'twoFactorCode' }).length, 0, 'nothing sent');
  await page.close();
});

/** The name (or text) of the element with the focus. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLInputElement | null;
    if (!element) return '';
    const label = Array.from(element.labels ?? [], (one) => one.textContent).join(' ');
    return element.type === 'radio' ? `radio:${label.trim().split(/\s+/)[0]}` : element.name || element.textContent.trim();
  });
}

t.test('the chooser and the code page: labels, keyboard order, contrast, phone layout', { skip: !browser }, async (t) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 375, height: 740 },
    ]) {
      const name = `${colorScheme} ${viewport.width}px`;
      const context = await browser!.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      screenshotOnFailure(t, page, `two-factor-chooser-${colorScheme}-${viewport.width}`);
      await toChooser(t, page);
      await page
        .waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.type === 'radio', undefined, { timeout: 2000 })
        .catch(() => undefined);
      t.equal(await focused(page), 'radio:Authenticator', `${name}: the checked (first) method has the focus`);
      await page.keyboard.press('ArrowDown');
      t.equal(await focused(page), 'radio:Email', `${name}: an arrow key moves to the next method`);
      t.ok(await page.getByRole('radio', { name: /Email/ }).isChecked(), `${name}: and chooses it`);
      await page.keyboard.press('Tab');
      t.equal(await focused(page), 'Continue', `${name}: Tab goes from the methods to Continue`);
      await assertReadable(t, page, `${name} chooser`, ['button.primary', 'legend', '.method-label', '.method-detail', '.subtitle']);

      await page.keyboard.press('Enter');
      await page.getByLabel('Verification code').waitFor();
      t.equal(await focusedId(page, 'code'), 'code', `${name}: the code field has the focus`);
      const order: string[] = [];
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        order.push(await focused(page));
      }
      t.same(order, ['trustComputer', 'Verify', 'resendCode', 'selectMethod'], `${name}: code → trust → Verify → Resend → Choose another method`);
      await assertReadable(t, page, `${name} code page`, ['button.primary', 'button.link', '#code-hint']);
      await page.getByRole('button', { name: 'Resend the code' }).click();
      await page.getByRole('status').waitFor();
      await assertReadable(t, page, `${name} resent`, ['.notice']);
      await context.close();
    }
  }
});
