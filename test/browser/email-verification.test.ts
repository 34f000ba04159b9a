import { FusionAuthClient, VerificationStrategy } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { focusedId, launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { submitLoginForm, urlReachedAfter } from '../helpers/hosted-login-page.js';
import { assertReadable } from '../helpers/contrast.js';

// A Gated tenant in Chromium: an unverified user logs in on the hosted page, meets the gate, follows the link
// read from the outbox, verifies, and logs in to the app; plus each new page's accessibility
// (docs/email-verification.md). STANDIN_SAVE_SCREENSHOTS=1 writes the pages to docs/screenshots/.
const API_KEY = 'browser-verify-api-key-0123456789abcdef';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'a2000000-0000-4000-8000-000000000001';
const CALLBACK = 'http://localhost:3000/callback';
const SAVE = process.env.STANDIN_SAVE_SCREENSHOTS === '1';
const authorizeQuery = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid email', state: 'gate-1' });

/** A tenant that verifies email and gates unverified users, and the store application. */
function gatedKickstart(): Kickstart {
  return {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: API_KEY }],
    requests: [
      {
        method: 'PATCH',
        url: `/api/tenant/${TENANT}`,
        body: { tenant: { emailConfiguration: { verifyEmail: true, unverified: { behavior: 'Gated' } } } },
      },
      {
        url: `/api/application/${APP}`,
        body: {
          application: {
            name: 'Store',
            oauthConfiguration: { authorizedRedirectURLs: [CALLBACK], clientSecret: 'store-secret-0123456789abcdefghijklmnop' },
          },
        },
      },
    ],
  };
}

t.test('Gated: login → gate → link from the outbox → verified → logged in; expiry; the form-field gate; accessibility', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: gatedKickstart(),
  });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const control = (path: string, init: RequestInit = {}) =>
    fetch(`${standin.url}/_standin${path}`, { ...init, headers: { authorization: API_KEY, 'content-type': 'application/json' } });
  const newestEmail = async (to: string) => ((await (await control(`/emails?to=${encodeURIComponent(to)}`)).json()) as { emails: any[] }).emails[0];
  const register = async (email: string) => {
    const created = await client.register(undefined as unknown as string, {
      user: { email, password: 'password1', firstName: 'Jared' },
      registration: { applicationId: APP },
    });
    t.equal(created.response.user!.verified, false, `${email} starts unverified`);
  };

  for (const viewport of [
    { width: 1280, height: 800, name: 'desktop' },
    { width: 375, height: 740, name: 'phone' },
  ]) {
    const { name } = viewport;
    const email = `jared-${name}@example.com`;
    await register(email);
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    // The app at the redirect_uri: a page that says so, so the browser lands somewhere.
    await context.route(`${CALLBACK}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'the app' }));
    const page = await context.newPage();
    screenshotOnFailure(t, page, `email-verification-${name}`);
    const checkPage = async (what: string, selectors: string[]) => {
      await assertReadable(t, page, `${name} ${what}`, selectors);
      if (SAVE) await page.screenshot({ path: `docs/screenshots/${what}-${name}.png`, fullPage: true });
    };

    // Log in: the gate, not a code.
    await page.goto(`${standin.url}/oauth2/authorize?${authorizeQuery}`);
    await page.getByLabel('Login').fill(email);
    await page.getByLabel('Password').fill('password1');
    let redirectedEarly = false;
    page.on('request', (request) => {
      if (request.url().startsWith(CALLBACK)) redirectedEarly = true;
    });
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Verify your email' }).waitFor();
    t.notOk(redirectedEarly, `${name}: no code before verification`);
    t.match(await page.textContent('main'), /You must verify your email address before you continue to Store/);
    // Keyboard: Continue, then Send me another email.
    await page.keyboard.press('Tab');
    t.equal(await page.evaluate(() => document.activeElement?.textContent.trim()), 'Continue', `${name}: Tab reaches Continue first`);
    await page.keyboard.press('Tab');
    t.equal(await page.evaluate(() => document.activeElement?.textContent.trim()), 'Send me another email', `${name}: then Send me another email`);
    const firstId = (await newestEmail(email)).verificationId;
    await page.keyboard.press('Enter');
    await page.getByText('A verification email is on the way.').waitFor();
    await checkPage('email-gate', ['button.primary', 'button.pick', '.subtitle', '.notice', 'header span']);
    const mail = await newestEmail(email);
    t.not(mail.verificationId, firstId, `${name}: the resend issued a new id`);

    // The link from the outbox: a page whose button verifies.
    const link = (mail.links as string[]).find((one) => one.includes('/email/verify/'))!;
    await page.goto(link);
    await page.getByRole('heading', { name: 'Verify your email' }).waitFor();
    t.equal((await client.retrieveUserByEmail(email)).response.user!.verified, false, `${name}: opening the link alone verifies nothing`);
    await checkPage('email-verify', ['button.primary', '.subtitle']);
    await page.getByRole('button', { name: 'Verify my email' }).click();
    await page.getByText('Thank you. Your email has been verified.').waitFor();
    t.match(new URL(page.url()).pathname, '/email/complete');
    await checkPage('email-complete', ['.notice', 'p.muted']);
    t.equal((await client.retrieveUserByEmail(email)).response.user!.verified, true, `${name}: verified`);

    // Back to the app: log in again, and the code goes to the redirect_uri.
    await page.goto(`${standin.url}/oauth2/authorize?${authorizeQuery}`);
    await page.getByLabel('Login').fill(email);
    await page.getByLabel('Password').fill('password1');
    const redirected = await urlReachedAfter(page, CALLBACK, () => page.getByRole('button', { name: 'Submit' }).click());
    t.match(redirected.searchParams.get('code'), /^[A-Za-z0-9_-]{43}$/, `${name}: logged in to the app`);
    await page.waitForURL((url) => url.href.startsWith(CALLBACK));

    // The used link is dead: the invalid page with its resend form.
    await page.goto(link);
    await page.getByText('invalid or expired verification Id').waitFor();
    t.equal(await page.getByLabel('Email', { exact: true }).getAttribute('name'), 'email', `${name}: the resend field is labelled`);
    await checkPage('email-verify-invalid', ['.alert', 'button.primary', 'label[for="email"]']);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Verification sent' }).waitFor();
    await checkPage('email-verify-sent', ['.notice']);
    await context.close();
  }

  await t.test("a link expires on Standin's clock", async (t) => {
    await register('expiring@example.com');
    const { links } = await newestEmail('expiring@example.com');
    t.teardown(() => control('/clock', { method: 'DELETE' }));
    await control('/clock', { method: 'POST', body: JSON.stringify({ advanceSeconds: 86_401 }) });
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(links.find((one: string) => one.includes('/email/verify/')));
    t.equal(response!.status(), 404);
    await page.getByText('invalid or expired verification Id').waitFor();
    await context.close();
  });

  await t.test('FormField: the gate asks for the code', async (t) => {
    await client.patchTenant(TENANT, { tenant: { emailConfiguration: { verificationStrategy: VerificationStrategy.FormField } } });
    for (const viewport of [
      { width: 1280, height: 800, name: 'desktop' },
      { width: 375, height: 740, name: 'phone' },
    ]) {
      const email = `code-${viewport.name}@example.com`;
      await register(email);
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      const page = await context.newPage();
      await submitLoginForm(page, `${standin.url}/oauth2/authorize?${authorizeQuery}`, email, 'password1');
      await page.getByLabel('Verification code').waitFor();
      t.equal(await focusedId(page, 'oneTimeCode'), 'oneTimeCode', `${viewport.name}: the code field has the focus`);
      await page.getByLabel('Verification code').fill('WRONG9');
      await page.keyboard.press('Enter');
      await page.getByText('The verification code is invalid or has expired.').waitFor();
      await assertReadable(t, page, viewport.name, ['.alert', 'button.primary', 'button.pick', 'label[for="oneTimeCode"]']);
      if (SAVE) await page.screenshot({ path: `docs/screenshots/email-gate-code-${viewport.name}.png`, fullPage: true });
      const { verificationOneTimeCode } = await newestEmail(email);
      await page.getByLabel('Verification code').fill(verificationOneTimeCode);
      await page.keyboard.press('Enter');
      // Verified: back to the login page of the same authorization request.
      await page.getByLabel('Password').waitFor();
      t.equal((await client.retrieveUserByEmail(email)).response.user!.verified, true);
      await page.getByLabel('Login').fill(email);
      await page.getByLabel('Password').fill('password1');
      const redirected = await urlReachedAfter(page, CALLBACK, () => page.getByRole('button', { name: 'Submit' }).click());
      t.equal(redirected.searchParams.get('state'), 'gate-1', `${viewport.name}: the original request continues`);
      await context.close();
    }
  });

  await t.test('a forged gate POST is refused', async (t) => {
    const response = await fetch(`${standin.url}/email/verification-required`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'resend', email: 'expiring@example.com', client_id: APP }),
    });
    t.equal(response.status, 403);
  });
});
