// `npx tsx docs/screenshots-forgot-and-passwordless.ts`: the forgot-password and magic-link pages as a person
// sees them, at a desktop and a phone width, into docs/screenshots/. Needs Debian's Chromium (/usr/bin/chromium).
import { startStandin } from '../src/index.js';
import { atEachWidth, OUT } from './screenshot-browser.js';

const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const STORE = 'b1000000-0000-4000-8000-000000000001';
const EMAIL = 'richard@example.com';
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
    apiKeys: [{ key: 'screenshots-api-key-0123456789' }],
    requests: [
      {
        url: `/api/application/${STORE}`,
        body: {
          application: {
            name: 'Store',
            passwordlessConfiguration: { enabled: true },
            oauthConfiguration: { authorizedRedirectURLs: ['http://localhost:3000/callback'] },
          },
        },
      },
      {
        url: '/api/user/registration/00000000-0000-4000-8000-00000000b001',
        body: { user: { email: EMAIL, password: 'password', firstName: 'Richard' }, registration: { applicationId: STORE } },
      },
    ],
  },
});
await atEachWidth(async ({ page, shot }) => {
  await page.goto(`${standin.url}/oauth2/authorize?${query}`);
  await shot('login-with-links');

  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await shot('forgot-password');
  standin.clearEmails();
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByRole('button', { name: 'Submit' }).click();
  await shot('forgot-password-sent');
  const change = (await standin.waitForEmail({ to: EMAIL, type: 'forgotPassword' })).links[0]!;
  await page.goto(change);
  await shot('change-password');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Confirm password').fill('short');
  await page.getByRole('button', { name: 'Submit' }).click();
  await shot('change-password-errors');
  await page.goto(`${standin.url}/password/change/not-a-live-id`);
  await shot('change-password-invalid');
  // A change with no application behind it ends on the complete page.
  const id = (await fetch(`${standin.url}/api/user/forgot-password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'screenshots-api-key-0123456789' },
    body: JSON.stringify({ loginId: EMAIL, sendForgotPasswordEmail: false }),
  }).then((response) => response.json())) as { changePasswordId: string };
  await page.goto(`${standin.url}/password/change/${id.changePasswordId}`);
  await page.getByLabel('Password', { exact: true }).fill('password');
  await page.getByLabel('Confirm password').fill('password');
  await page.getByRole('button', { name: 'Submit' }).click();
  await shot('change-password-complete');

  await page.goto(`${standin.url}/oauth2/passwordless?${query}`);
  await shot('passwordless');
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await shot('passwordless-sent');
  await page.goto(`${standin.url}/oauth2/passwordless/not-a-live-code?tenantId=${TENANT}`);
  await shot('passwordless-invalid');
});
await standin.close();
process.stdout.write(`screenshots written to ${OUT}\n`);
