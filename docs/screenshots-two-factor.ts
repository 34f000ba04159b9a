// `npx tsx docs/screenshots-two-factor.ts`: the hosted two-factor page as a person sees it, at a desktop and a
// phone width, into docs/screenshots/. Needs Debian's Chromium (/usr/bin/chromium).
import { startStandin } from '../src/index.js';
import { submitLoginForm } from '../test/helpers/hosted-login-page.js';
import { authenticatorCode } from '../test/helpers/totp.js';
import { atEachWidth } from './screenshot-browser.js';

const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const STORE = 'b1000000-0000-4000-8000-000000000001';
const USER = '00000000-0000-4000-8000-00000000b001';
const BANK = 'b1000000-0000-4000-8000-000000000002';
const MAIL_USER = '00000000-0000-4000-8000-00000000b003';
const BOTH_USER = '00000000-0000-4000-8000-00000000b004';
const KEY = 'screenshots-api-key-0123456789';
const query = new URLSearchParams({
  client_id: STORE,
  redirect_uri: 'http://localhost:3000/callback',
  response_type: 'code',
  scope: 'openid',
  state: 'docs',
});

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: KEY }],
    requests: [
      // The email method on, for the page that asks for an emailed code.
      { method: 'PATCH', url: `/api/tenant/${TENANT}`, body: { tenant: { multiFactorConfiguration: { email: { enabled: true } } } } },
      {
        url: `/api/application/${STORE}`,
        body: { application: { name: 'Store', oauthConfiguration: { authorizedRedirectURLs: ['http://localhost:3000/callback'] } } },
      },
      {
        url: `/api/user/registration/${USER}`,
        body: { user: { email: 'richard@example.com', password: 'password', firstName: 'Richard' }, registration: { applicationId: STORE } },
      },
      {
        url: `/api/user/registration/${MAIL_USER}`,
        body: { user: { email: 'dinesh@example.com', password: 'password' }, registration: { applicationId: STORE } },
      },
      {
        url: `/api/user/registration/${BOTH_USER}`,
        body: { user: { email: 'gilfoyle@example.com', password: 'password' }, registration: { applicationId: STORE } },
      },
      {
        url: `/api/application/${BANK}`,
        body: {
          application: {
            name: 'Bank',
            multiFactorConfiguration: { loginPolicy: 'Required' },
            oauthConfiguration: { authorizedRedirectURLs: ['http://localhost:3000/callback'] },
          },
        },
      },
      {
        url: '/api/user/registration/00000000-0000-4000-8000-00000000b002',
        body: { user: { email: 'jian@example.com', password: 'password' }, registration: { applicationId: BANK } },
      },
    ],
  },
});
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${standin.url}${path}`, { ...init, headers: { authorization: KEY, 'content-type': 'application/json' } }).then((r) => r.json());
const { secretBase32Encoded } = (await api('/api/two-factor/secret')) as { secretBase32Encoded: string };
// Enrolment needs a code before Standin stores the secret: computed as an authenticator app would (RFC 6238).
const code = authenticatorCode(secretBase32Encoded, standin.clock.now());
await api(`/api/user/two-factor/${USER}`, { method: 'POST', body: JSON.stringify({ method: 'authenticator', code, secretBase32Encoded }) });
// An email method: the code Standin emails to enrol it is read from the outbox.
await fetch(`${standin.url}/api/two-factor/send`, {
  method: 'POST',
  headers: { authorization: KEY, 'content-type': 'application/json' },
  body: JSON.stringify({ userId: MAIL_USER, method: 'email', email: 'dinesh@example.com' }),
});
const emailed = (await standin.waitForEmail({ to: 'dinesh@example.com', type: 'twoFactorCode' })).code!;
await api(`/api/user/two-factor/${MAIL_USER}`, {
  method: 'POST',
  body: JSON.stringify({ method: 'email', email: 'dinesh@example.com', code: emailed }),
});
// A user with both methods, for the chooser: the authenticator of the first user's key, and an email address.
await api(`/api/user/two-factor/${BOTH_USER}`, {
  method: 'POST',
  body: JSON.stringify({ method: 'authenticator', code: authenticatorCode(secretBase32Encoded, standin.clock.now()), secretBase32Encoded }),
});
// Both answer 200 with no body (a second method gets no recovery codes), so not through `api`, which reads JSON.
const post = (path: string, body: object) =>
  fetch(`${standin.url}${path}`, { method: 'POST', headers: { authorization: KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
await post('/api/two-factor/send', { userId: BOTH_USER, method: 'email', email: 'gilfoyle.mfa@example.com' });
const bothCode = (await standin.waitForEmail({ to: 'gilfoyle.mfa@example.com', type: 'twoFactorCode' })).code!;
await post(`/api/user/two-factor/${BOTH_USER}`, { method: 'email', email: 'gilfoyle.mfa@example.com', code: bothCode });

await atEachWidth(
  async ({ page, newPage, shot }) => {
    await submitLoginForm(page, `${standin.url}/oauth2/authorize?${query}`, 'richard@example.com', 'password');
    await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await shot('two-factor');
    await page.getByLabel('Verification code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Invalid verification code').waitFor();
    await shot('two-factor-invalid');

    // A user whose method is email: the password sends the code, and the page says where it went.
    const mail = await newPage();
    await submitLoginForm(mail, `${standin.url}/oauth2/authorize?${query}`, 'dinesh@example.com', 'password');
    await mail.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
    await shot('two-factor-email', mail);
    await mail.close();

    // Several methods: the chooser, then the emailed code's page with its resend and the way back.
    const both = await newPage();
    await submitLoginForm(both, `${standin.url}/oauth2/authorize?${query}`, 'gilfoyle@example.com', 'password');
    await both.getByRole('button', { name: 'Continue' }).waitFor();
    await shot('two-factor-methods', both);
    await both.getByRole('radio', { name: /Email/ }).check();
    await both.getByRole('button', { name: 'Continue' }).click();
    await both.getByRole('button', { name: 'Resend the code' }).click();
    await both.getByRole('status').waitFor();
    await shot('two-factor-resent', both);
    await both.close();

    // Required, and the user has no method yet: the enrolment page, then the recovery codes.
    const enrol = await newPage();
    await submitLoginForm(
      enrol,
      `${standin.url}/oauth2/authorize?${new URLSearchParams({ ...Object.fromEntries(query), client_id: BANK })}`,
      'jian@example.com',
      'password',
    );
    await enrol.getByRole('heading', { name: 'Set up two-factor authentication' }).waitFor();
    await shot('two-factor-enable', enrol);
    const key = (await enrol.locator('#secret').textContent())!.replace(/\s/g, '');
    await enrol.getByLabel('Verification code').fill(authenticatorCode(key, standin.clock.now()));
    await enrol.getByRole('button', { name: 'Enable' }).click();
    await enrol.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    await shot('two-factor-recovery-codes', enrol);
    await enrol.close();
    // The next run needs a user with no method again.
    await api('/api/user/00000000-0000-4000-8000-00000000b002?hardDelete=true', { method: 'DELETE' }).catch(() => undefined);
    await api('/api/user/registration/00000000-0000-4000-8000-00000000b002', {
      method: 'POST',
      body: JSON.stringify({ user: { email: 'jian@example.com', password: 'password' }, registration: { applicationId: BANK } }),
    });
  },
  { width: 375, height: 740 },
);
await standin.close();
