import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { focusedId, launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { submitLoginForm, urlReachedAfter } from '../helpers/hosted-login-page.js';
import { assertReadable } from '../helpers/contrast.js';

// The hosted login of a user whose method is email, in Chromium (docs/two-factor.md, "The email method"): the
// password sends the code and the page says where; a wrong code shows the error without sending another; the emailed
// code lands at the redirect_uri. A Required login in a tenant offering only email says enrolment is not modelled.
const API_KEY = 'two-factor-email-browser-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c5000000-0000-4000-8000-000000000001';
const REQUIRED_APP = 'c5000000-0000-4000-8000-000000000002';
const USER = 'c6000000-0000-4000-8000-000000000001';
const ADDRESS = 'dinesh.mfa@example.com';
const CALLBACK = 'http://localhost:3000/callback';
const query = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'mfa', prompt: 'login' });

const browser = await launchChromium(t);
const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: API_KEY }],
    requests: [
      {
        method: 'PATCH',
        url: `/api/tenant/${TENANT}`,
        body: {
          tenant: {
            emailConfiguration: { defaultFromEmail: 'noreply@standin.test' },
            multiFactorConfiguration: { authenticator: { enabled: false }, email: { enabled: true } },
          },
        },
      },
      { url: `/api/application/${APP}`, body: { application: { name: 'Store', oauthConfiguration: { authorizedRedirectURLs: [CALLBACK] } } } },
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
        url: `/api/user/registration/${USER}`,
        body: { user: { email: 'dinesh@example.com', password: 'password1' }, registration: { applicationId: APP } },
      },
      { url: `/api/user/registration/${USER}`, body: { registration: { applicationId: REQUIRED_APP } } },
      {
        url: '/api/user/registration/c6000000-0000-4000-8000-000000000002',
        body: { user: { email: 'jian@example.com', password: 'password1' }, registration: { applicationId: REQUIRED_APP } },
      },
    ],
  },
});
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
await client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'email', email: ADDRESS });
const enrolCode = (await standin.waitForEmail({ to: ADDRESS, type: 'twoFactorCode' })).code!;
await client.enableTwoFactor(USER, { method: 'email', email: ADDRESS, code: enrolCode });

t.test('the password emails a code; a wrong one shows the error; the emailed one lands at the redirect_uri', { skip: !browser }, async (t) => {
  const context = await browser!.newContext();
  const page = await context.newPage();
  screenshotOnFailure(t, page, 'two-factor-email');
  standin.clearEmails();
  await submitLoginForm(page, `${standin.url}/oauth2/authorize?${query}`, 'dinesh@example.com', 'password1');
  await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
  t.match(await page.locator('#code-hint').textContent(), `sent to ${ADDRESS}`, 'the page says where the code went');
  t.equal(await focusedId(page, 'code'), 'code', 'the code field has the focus');
  await assertReadable(t, page, 'email code', ['button.primary', 'label[for="code"]', '#code-hint']);
  const code = (await standin.waitForEmail({ to: ADDRESS, type: 'twoFactorCode' })).code!;

  await page.getByLabel('Verification code').fill(String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByText('Invalid verification code').waitFor();
  t.equal(standin.emails({ to: ADDRESS, type: 'twoFactorCode' }).length, 1, 'a wrong code sends no other');

  await page.getByLabel('Verification code').fill(code);
  const url = await urlReachedAfter(page, CALLBACK, () => page.getByRole('button', { name: 'Verify' }).click());
  t.match(url.searchParams.get('code'), /^[A-Za-z0-9_-]{43}$/, 'a code at the redirect_uri');
  await context.close();
});

t.test('Required, no method, a tenant offering only email: a page says hosted email enrolment is not modelled', { skip: !browser }, async (t) => {
  const page = await browser!.newPage();
  screenshotOnFailure(t, page, 'two-factor-email-enrol');
  await submitLoginForm(
    page,
    `${standin.url}/oauth2/authorize?${new URLSearchParams({ ...Object.fromEntries(query), client_id: REQUIRED_APP })}`,
    'jian@example.com',
    'password1',
  );
  await page.getByRole('heading', { name: 'Two-factor set-up not available' }).waitFor();
  t.ok(await page.getByText('do not model enrolling an email address or a phone').isVisible());
  t.equal(await page.getByLabel('Verification code').count(), 0, 'no code field that could never succeed');
  await page.close();
});
