import { FusionAuthClient } from '@fusionauth/typescript-client';
import * as oidc from 'openid-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { focusedId, launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { assertReadable } from '../helpers/contrast.js';

// The Device Authorization Grant end to end (docs/device-grant.md): a device (openid-client) starts it and polls; a
// person opens verification_uri_complete in Chromium, finds the code filled in, logs in on the hosted login page, and
// sees "Device connected"; the device's poll then gets the tokens.
const API_KEY = 'device-browser-key-0123456789abcdef';
const TENANT = 'd7000000-0000-4000-8000-0000000000d0';
const TV = 'd7000000-0000-4000-8000-0000000000a1';
const USER = 'd7000000-0000-4000-8000-0000000000b1';
const SECRET = 'device-browser-secret-0123456789abcdef';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const browser = await launchChromium(t);
const standin = browser
  ? await startStandin({
      passwordHashing: 'fast',
      logLevel: 'silent',
      kickstart: {
        variables: { defaultTenantId: TENANT },
        apiKeys: [{ key: API_KEY }],
        requests: [
          {
            url: `/api/application/${TV}`,
            body: {
              application: {
                name: 'Living Room TV',
                oauthConfiguration: { clientSecret: SECRET, enabledGrants: [DEVICE_GRANT, 'refresh_token'], generateRefreshTokens: true },
              },
            },
          },
          {
            url: `/api/user/registration/${USER}`,
            body: { user: { email: 'jared@example.com', password: 'password1' }, registration: { applicationId: TV } },
          },
        ],
      },
    })
  : undefined;
if (standin) {
  t.teardown(() => standin.close());
  // The hosted page is the verification URL: FusionAuth's `deviceVerificationURL` setting names where devices send people.
  await new FusionAuthClient(API_KEY, standin.url).patchApplication(TV, {
    application: { oauthConfiguration: { deviceVerificationURL: `${standin.url}/oauth2/device` } },
  });
}
const configure = () => oidc.discovery(new URL(standin!.url), TV, SECRET, undefined, { execute: [oidc.allowInsecureRequests] });
const pollRaw = (deviceCode: string) =>
  fetch(`${standin!.url}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: TV, client_secret: SECRET }),
  }).then((response) => response.json() as Promise<Record<string, unknown>>);

t.test('the device polls while its user enters the code and logs in; then it gets the tokens', { skip: !browser }, async (t) => {
  const config = await configure();
  const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid offline_access' });
  t.equal(started.verification_uri_complete, `${standin!.url}/oauth2/device?user_code=${started.user_code}`);
  const polled = oidc.pollDeviceAuthorizationGrant(config, started);

  const page = await browser!.newPage();
  screenshotOnFailure(t, page, 'device-grant');
  await page.goto(started.verification_uri_complete!);
  await page.getByRole('heading', { name: 'Connect your device' }).waitFor();
  t.equal(await page.getByLabel('User code').inputValue(), started.user_code, 'verification_uri_complete fills the code in');
  t.equal(await focusedId(page, 'user_code'), 'user_code', 'the code field has the focus');
  await page.keyboard.press('Tab');
  t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Submit', 'Tab goes from the code to Submit');
  await assertReadable(t, page, 'device page', ['h1', 'label', 'button.primary', '.subtitle']);
  await page.getByRole('button', { name: 'Submit' }).click();

  await page.getByLabel('Login').fill('jared@example.com');
  await page.getByLabel('Password').fill('password1');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Device connected' }).waitFor();
  t.ok(await page.getByText('Your device is now connected to Living Room TV.').isVisible());

  const tokens = await polled;
  t.equal(tokens.claims()?.sub, USER, 'the id token names the user who logged in');
  t.ok(tokens.refresh_token, 'and offline_access gave a refresh token');
  await page.close();
});

t.test('a wrong code shows the error on the page; the CSRF token is required', { skip: !browser }, async (t) => {
  const page = await browser!.newPage();
  screenshotOnFailure(t, page, 'device-grant-wrong-code');
  await page.goto(`${standin!.url}/oauth2/device?client_id=${TV}`);
  await page.getByLabel('User code').fill('NOPE42');
  await page.getByRole('button', { name: 'Submit' }).click();
  t.ok(await page.getByText('Invalid user code.').isVisible(), 'the error is shown');
  t.equal(await page.getByLabel('User code').getAttribute('aria-invalid'), 'true');
  t.equal(await page.getByLabel('User code').inputValue(), 'NOPE42', 'what was typed stays');

  const forged = await fetch(`${standin!.url}/oauth2/device`, { method: 'POST', body: new URLSearchParams({ user_code: 'NOPE42', client_id: TV }) });
  t.equal(forged.status, 403, 'a POST without the page cookie and token is refused');
  await page.close();
});

t.test('a link made by someone else does not approve their device, even for a browser with an SSO session', { skip: !browser }, async (t) => {
  const context = await browser!.newContext();
  const page = await context.newPage();
  screenshotOnFailure(t, page, 'device-grant-phishing');
  // The victim's browser logs in once (an SSO session) by connecting a device of their own.
  const own = (await oidc.initiateDeviceAuthorization(await configure(), { scope: 'openid' })) as { user_code: string };
  await page.goto(`${standin!.url}/oauth2/device?user_code=${own.user_code}`);
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByLabel('Login').fill('jared@example.com');
  await page.getByLabel('Password').fill('password1');
  await page.getByRole('button', { name: 'Submit' }).click();
  await page.getByRole('heading', { name: 'Device connected' }).waitFor();

  // The attacker's device, and a link straight into the login that would come back approving it.
  const attacker = await oidc.initiateDeviceAuthorization(await configure(), { scope: 'openid' });
  const link = new URL(`${standin!.url}/oauth2/authorize`);
  for (const [name, value] of Object.entries({
    client_id: TV,
    response_type: 'code',
    redirect_uri: `${standin!.url}/oauth2/device-complete`,
    state: 'forged',
    user_code: attacker.user_code,
  }))
    link.searchParams.set(name, value);
  await page.goto(link.href);
  await page.getByRole('heading', { name: 'Device not connected' }).waitFor();
  t.match(await pollRaw(attacker.device_code), { error: 'authorization_pending' }, "the attacker's device is still pending");

  // The same browser typing the attacker's code on the page itself is what RFC 8628 §5.4 leaves to the user.
  await context.close();
});
