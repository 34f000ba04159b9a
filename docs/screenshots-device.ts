// `npx tsx docs/screenshots-device.ts`: the hosted device page (docs/device-grant.md) as a person sees it, at a desktop
// and a phone width, into docs/screenshots/: the code filled in from verification_uri_complete, a wrong code, and the
// page after the login. Needs Debian's Chromium (/usr/bin/chromium).
import { startStandin } from '../src/index.js';
import { atEachWidth } from './screenshot-browser.js';

const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const TV = 'b1000000-0000-4000-8000-0000000000d1';
const SECRET = 'screenshots-device-secret-0123456789';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: 'screenshots-device-api-key-0123456789' }],
    requests: [
      {
        url: `/api/application/${TV}`,
        body: {
          application: {
            name: 'Living Room TV',
            oauthConfiguration: { clientSecret: SECRET, enabledGrants: [DEVICE_GRANT], deviceVerificationURL: 'http://localhost:9011/oauth2/device' },
          },
        },
      },
      {
        url: '/api/user/registration/00000000-0000-4000-8000-00000000d001',
        body: { user: { email: 'richard@example.com', password: 'password', firstName: 'Richard' }, registration: { applicationId: TV } },
      },
    ],
  },
});
const userCode = async () => {
  const response = await fetch(`${standin.url}/oauth2/device_authorize`, {
    method: 'POST',
    body: new URLSearchParams({ client_id: TV, client_secret: SECRET, scope: 'openid' }),
  });
  return ((await response.json()) as { user_code: string }).user_code;
};

await atEachWidth(async ({ page, newPage, shot }) => {
  await page.goto(`${standin.url}/oauth2/device?user_code=${await userCode()}`);
  await page.getByRole('heading', { name: 'Connect your device' }).waitFor();
  await shot('device');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByLabel('Login').fill('richard@example.com');
  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Device connected' }).waitFor();
  await shot('device-connected');

  const wrong = await newPage();
  await wrong.goto(`${standin.url}/oauth2/device?client_id=${TV}`);
  await wrong.getByLabel('User code').fill('NOPE42');
  await wrong.getByRole('button', { name: 'Submit' }).click();
  await wrong.getByText('Invalid user code.').waitFor();
  await shot('device-invalid', wrong);
  await wrong.close();
});
await standin.close();
