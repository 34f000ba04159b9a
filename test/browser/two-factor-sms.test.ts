import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { submitLoginForm, urlReachedAfter } from '../helpers/hosted-login-page.js';
import { authenticatorCode } from '../helpers/totp.js';

// The SMS method on the hosted pages, in Chromium (docs/two-factor.md, "The SMS method"): a user with an authenticator
// and a phone picks "Text message" on the method chooser; the code goes to the Generic messenger's URL (a loopback
// gateway started here), "Resend the code" texts a new one that replaces the first, and the new one ends the login.
// A gateway that fails shows the reason on the page.
const API_KEY = 'two-factor-sms-browser-key-0123456789abc';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c7100000-0000-4000-8000-000000000001';
const USER = 'c8100000-0000-4000-8000-000000000001';
const MESSENGER = 'c9100000-0000-4000-8000-000000000001';
const PHONE = '+15555550142';
const CALLBACK = 'http://localhost:3000/callback';
const query = new URLSearchParams({ client_id: APP, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid', state: 'mfa', prompt: 'login' });
const T0 = Math.floor(Date.now() / 30_000) * 30_000 + 5_000;

let failing = false;
const texted: string[] = [];
const gateway = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    texted.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code: string }).code);
    response.writeHead(failing ? 503 : 200).end();
  });
});
await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
t.teardown(() => {
  gateway.close();
});

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
        url: `/api/messenger/${MESSENGER}`,
        body: {
          messenger: {
            name: 'Gateway',
            type: 'Generic',
            url: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/`,
            connectTimeout: 1000,
            readTimeout: 2000,
          },
        },
      },
      {
        method: 'PATCH',
        url: `/api/tenant/${TENANT}`,
        body: { tenant: { multiFactorConfiguration: { sms: { enabled: true, messengerId: MESSENGER } } } },
      },
      {
        url: `/api/application/${APP}`,
        body: {
          application: { name: 'Pied Piper', oauthConfiguration: { authorizedRedirectURLs: [CALLBACK], enabledGrants: ['authorization_code'] } },
        },
      },
      {
        url: `/api/user/registration/${USER}`,
        body: { user: { email: 'monica@example.com', password: 'password1' }, registration: { applicationId: APP } },
      },
    ],
  },
});
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const secret = (await client.generateTwoFactorSecret()).response.secretBase32Encoded!;
await client.enableTwoFactor(USER, { method: 'authenticator', code: authenticatorCode(secret, standin.clock.now()), secretBase32Encoded: secret });
await client.sendTwoFactorCodeForEnableDisable({ userId: USER, method: 'sms', mobilePhone: PHONE });
await client.enableTwoFactor(USER, { method: 'sms', mobilePhone: PHONE, code: texted.at(-1)! });
const clientSecret = (await client.retrieveApplication(APP)).response.application!.oauthConfiguration!.clientSecret!;

t.test('the chooser, then "Text message": the texted code (resent once) ends the login', { skip: !browser }, async (t) => {
  const page = await browser!.newPage();
  screenshotOnFailure(t, page, 'two-factor-sms');
  texted.length = 0;
  await submitLoginForm(page, `${standin.url}/oauth2/authorize?${query}`, 'monica@example.com', 'password1');
  await page.getByRole('group', { name: 'Choose how to get your verification code' }).waitFor();
  t.equal(texted.length, 0, 'nothing is texted before a method is chosen');
  await page.getByRole('radio', { name: /Text message/ }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Verification code').waitFor();
  t.match(await page.locator('#code-hint').textContent(), `texted to ${PHONE}`);
  t.equal(texted.length, 1, 'one text to the gateway');
  const first = texted[0]!;

  failing = true;
  await page.getByRole('button', { name: 'Resend the code' }).click();
  await page.getByText(/could not be sent.*HTTP 503/).waitFor();
  t.pass('a failing gateway is reported on the page');
  failing = false;
  await page.getByRole('button', { name: 'Resend the code' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `A new code was sent to ${PHONE}` })
    .waitFor();
  const second = texted.at(-1)!;
  if (second !== first) {
    await page.getByLabel('Verification code').fill(first);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Invalid verification code').waitFor();
    t.pass('the first code no longer works');
  }

  await page.getByLabel('Verification code').fill(second);
  const landed = await urlReachedAfter(page, CALLBACK, () => page.getByRole('button', { name: 'Verify' }).click());
  const authorizationCode = landed.searchParams.get('code')!;
  const tokens = await client.exchangeOAuthCodeForAccessToken(authorizationCode, APP, clientSecret, CALLBACK);
  t.equal(tokens.statusCode, 200, 'the code exchanged for tokens');
  t.equal(tokens.response.userId, USER);
  await page.close();
});
