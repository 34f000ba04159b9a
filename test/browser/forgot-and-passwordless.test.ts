import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { startStandin } from '../../src/index.js';
import { focusedId, launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { urlReachedAfter } from '../helpers/hosted-login-page.js';
import { assertReadable } from '../helpers/contrast.js';

// Forgot password and magic links in Chromium, from a store-like application's authorize URL to a code at its
// redirect_uri, with the emails read from the outbox (docs/forgot-password-and-passwordless.md).
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const STORE = 'b1000000-0000-4000-8000-000000000001';
const SECRET = 'store-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
// The store's callback: a plain page on a random port, so every navigation in the test ends somewhere.
const store = createServer((_request, response) => response.end('store callback')).listen(0, '127.0.0.1');
await once(store, 'listening');
t.teardown(() => store.close());
const CALLBACK = `http://127.0.0.1:${(store.address() as AddressInfo).port}/callback`;
const EMAIL = 'richard@example.com';

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: 'browser-forgot-api-key-0123456789' }],
    requests: [
      {
        url: `/api/application/${STORE}`,
        body: {
          application: {
            name: 'Store',
            passwordlessConfiguration: { enabled: true },
            oauthConfiguration: { authorizedRedirectURLs: [CALLBACK], clientSecret: SECRET, enabledGrants: ['authorization_code', 'refresh_token'] },
          },
        },
      },
      {
        url: `/api/user/registration/00000000-0000-4000-8000-00000000b001`,
        body: { user: { email: EMAIL, password: 'old-password', firstName: 'Richard' }, registration: { applicationId: STORE } },
      },
    ],
  },
});
t.teardown(() => standin.close());
const authorizeUrl = `${standin.url}/oauth2/authorize?${new URLSearchParams({ client_id: STORE, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid offline_access', state: 'cart-42' })}`;

/** Waits for the browser to be sent to the store's callback and returns the query it carries. */
async function callbackOf(page: Page, action: () => Promise<unknown>): Promise<URLSearchParams> {
  return (await urlReachedAfter(page, CALLBACK, action)).searchParams;
}

/** The store's backend exchanging the code: proof that the code is a real one for this user. */
async function exchange(code: string): Promise<{ access_token?: string; userId?: string }> {
  const response = await fetch(`${standin.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${STORE}:${SECRET}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }),
  });
  return (await response.json()) as { access_token?: string; userId?: string };
}

/** Labels, contrast and phone width of the page shown now (the login page's bar: test/browser/login-page.test.ts). */
async function checkPage(t: Test, page: Page, name: string, selectors: string[]): Promise<void> {
  await assertReadable(t, page, name, ['header span', ...selectors]);
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden])')]
      .filter((input) => !(input as HTMLInputElement).labels?.length)
      .map((input) => (input as HTMLInputElement).name),
  );
  t.same(unlabelled, [], `${name}: every input has a label`);
}

async function tabOrder(page: Page, from: string, presses: number): Promise<string[]> {
  // The field the page focuses itself (`autofocus`) first: a page still loading has not focused it yet.
  await page.waitForFunction((name) => (document.activeElement as HTMLInputElement | null)?.name === name, from);
  const order: string[] = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    order.push(
      await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name || document.activeElement?.textContent.trim() || ''),
    );
  }
  return order;
}

async function contextFor(browser: Browser, t: Test, viewport: { width: number; height: number }, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport });
  t.teardown(() => context.close());

  const page = await context.newPage();
  screenshotOnFailure(t, page, name);
  return page;
}

t.test('forgot password: login page link → email → change page → back at the redirect_uri with a code; the new password works', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 375, height: 740 },
  ]) {
    const name = `${viewport.width}px`;
    const password = `new-password-${viewport.width}`;
    const page = await contextFor(browser, t, viewport, `forgot-${viewport.width}`);
    await page.goto(authorizeUrl);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    t.equal(new URL(page.url()).pathname, '/password/forgot');
    t.equal(new URL(page.url()).searchParams.get('state'), 'cart-42', `${name}: the link carries the authorization request`);
    t.equal(await page.getByLabel('Email').getAttribute('name'), 'email', `${name}: FusionAuth's field name`);
    t.equal(await focusedId(page, 'email'), 'email', `${name}: Email has the focus`);
    t.same(await tabOrder(page, 'email', 2), ['Submit', 'Return to login'], `${name}: Tab goes Email → Submit → Return to login`);
    await checkPage(t, page, `${name} forgot`, ['label[for="email"]', 'button.primary', '.subtitle']);

    standin.clearEmails();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await checkPage(t, page, `${name} sent`, ['section.panel p']);
    const email = await standin.waitForEmail({ to: EMAIL, type: 'forgotPassword' });
    const link = email.links[0]!;
    t.equal(new URL(link).searchParams.get('redirect_uri'), CALLBACK, `${name}: the emailed link carries the authorization request`);

    await page.goto(link);
    t.equal(await page.getByLabel('Password', { exact: true }).getAttribute('name'), 'password');
    t.equal(await page.getByLabel('Confirm password').getAttribute('name'), 'passwordConfirm');
    t.same(await tabOrder(page, 'password', 2), ['passwordConfirm', 'Submit'], `${name}: Tab goes Password → Confirm password → Submit`);
    await checkPage(t, page, `${name} change`, ['label[for="password"]', 'button.primary', '#password-rules']);

    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill('something-else');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText("Passwords don't match").waitFor();
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('short');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText('Password does not meet the minimum length requirement').waitFor();
    await checkPage(t, page, `${name} change errors`, ['#password-error']);

    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill(password);
    const back = await callbackOf(page, () => page.getByRole('button', { name: 'Submit' }).click());
    t.equal(back.get('state'), 'cart-42', `${name}: back at the store with its state`);
    t.ok((await exchange(back.get('code')!)).access_token, `${name}: the code is good at the token endpoint`);

    // The link worked once.
    const again = await page.goto(link);
    t.equal(again?.status(), 404);
    await page.getByText('Your password reset code has expired or is invalid. Please retry your request.').waitFor();

    // The new password logs in, in a browser with no session.
    const fresh = await contextFor(browser, t, viewport, `forgot-login-${viewport.width}`);
    await fresh.goto(authorizeUrl);
    await fresh.getByLabel('Login').fill(EMAIL);
    await fresh.getByLabel('Password').fill(password);
    const loggedIn = await callbackOf(fresh, () => fresh.getByRole('button', { name: 'Submit' }).click());
    t.ok(loggedIn.get('code'), `${name}: the new password logs in`);
  }
});

t.test('the change page refuses an expired link (clock moved) and a forged form', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const page = await contextFor(browser, t, { width: 1280, height: 800 }, 'forgot-expired');
  standin.clearEmails();
  await page.goto(`${standin.url}/password/forgot?client_id=${STORE}`);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  const link = (await standin.waitForEmail({ to: EMAIL, type: 'forgotPassword' })).links[0]!;
  await page.goto(link);
  standin.clock.advance(601);
  t.teardown(() => {
    standin.clock.reset();
  });
  await page.getByLabel('Password', { exact: true }).fill('late-password');
  await page.getByLabel('Confirm password').fill('late-password');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByText('Your password reset code has expired or is invalid. Please retry your request.').waitFor();
  t.pass('an expired changePasswordId is refused');

  const forged = await fetch(`${standin.url}/password/change`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ changePasswordId: 'x', password: 'whatever-password', passwordConfirm: 'whatever-password' }),
  });
  t.equal(forged.status, 403, 'a POST without the CSRF token is refused');
});

t.test('magic link: login page button → email → link → logged in at the redirect_uri; a used or expired link refused', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 375, height: 740 },
  ]) {
    const name = `${viewport.width}px`;
    const page = await contextFor(browser, t, viewport, `passwordless-${viewport.width}`);
    await page.goto(authorizeUrl);
    await page.getByRole('link', { name: 'Log in with a magic link' }).click();
    t.equal(new URL(page.url()).pathname, '/oauth2/passwordless');
    t.equal(await page.getByLabel('Email').getAttribute('name'), 'loginId');
    t.same(await tabOrder(page, 'loginId', 2), ['Send me a link', 'Return to login'], `${name}: Tab goes Email → Send me a link → Return to login`);
    await checkPage(t, page, `${name} passwordless`, ['label[for="loginId"]', 'button.primary', '.subtitle']);

    standin.clearEmails();
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByText('A message is on the way.').waitFor();
    const link = (await standin.waitForEmail({ to: EMAIL, type: 'passwordless' })).links[0]!;
    t.equal(new URL(link).searchParams.get('client_id'), STORE, `${name}: the link carries the authorization request`);

    const back = await callbackOf(page, () => page.goto(link).catch(() => undefined));
    t.equal(back.get('state'), 'cart-42', `${name}: back at the store with its state`);
    t.ok((await exchange(back.get('code')!)).access_token, `${name}: the code is good at the token endpoint`);

    // The SSO session the link started logs the store in again with no form.
    const sso = await callbackOf(page, () => page.goto(authorizeUrl).catch(() => undefined));
    t.ok(sso.get('code'), `${name}: the magic link started an SSO session`);

    const used = await page.goto(link);
    t.equal(used?.status(), 404, `${name}: a used link is refused`);
    await page.getByText('Your link has expired or is invalid. Please retry your request.').waitFor();
    await checkPage(t, page, `${name} invalid link`, ['section.panel p']);
  }

  const page = await contextFor(browser, t, { width: 1280, height: 800 }, 'passwordless-expired');
  standin.clearEmails();
  await page.goto(authorizeUrl);
  await page.getByRole('link', { name: 'Log in with a magic link' }).click();
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  const link = (await standin.waitForEmail({ to: EMAIL, type: 'passwordless' })).links[0]!;
  standin.clock.advance(181);
  t.teardown(() => {
    standin.clock.reset();
  });
  t.equal((await page.goto(link))?.status(), 404, 'an expired link is refused');
});

t.test('the new pages in the dark colour scheme keep WCAG AA contrast', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 375, height: 740 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  screenshotOnFailure(t, page, 'forgot-dark');
  const oauth = new URL(authorizeUrl).search;
  const { changePasswordId } = (await fetch(`${standin.url}/api/user/forgot-password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'browser-forgot-api-key-0123456789' },
    body: JSON.stringify({ loginId: EMAIL, sendForgotPasswordEmail: false }),
  }).then((response) => response.json())) as { changePasswordId: string };
  for (const [path, selectors] of [
    [`/password/forgot${oauth}`, ['label[for="email"]', 'button.primary', '.subtitle']],
    [`/password/change/${changePasswordId}`, ['label[for="password"]', 'button.primary', '#password-rules']],
    [`/oauth2/passwordless${oauth}`, ['label[for="loginId"]', 'button.primary', '.subtitle']],
    ['/password/change/not-a-live-id', ['section.panel p']],
  ] as const) {
    await page.goto(`${standin.url}${path}`);
    await checkPage(t, page, `dark ${path.split('?')[0]}`, [...selectors]);
  }
});
