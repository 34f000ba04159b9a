import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { urlReachedAfter } from '../helpers/hosted-login-page.js';
import { assertReadable } from '../helpers/contrast.js';
import { startUpstream } from '../helpers/upstream-oidc.js';

// The "Login with …" button of an OpenID Connect identity provider in Chromium: where it sits in the keyboard order,
// its contrast in both colour schemes, and a whole login through a real oidc-provider upstream, pressed with the keyboard.
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'c9000000-0000-4000-8000-000000000001';
const PROVIDER = 'c9000000-0000-4000-8000-00000000000a';
const KEY = 'browser-idp-api-key-0123456789abcdef';
const REDIRECT = 'http://localhost:3000/callback';

t.test('the login page’s identity provider button, in Chromium', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: KEY }],
      requests: [
        { url: `/api/application/${APP}`, body: { application: { name: 'Store', oauthConfiguration: { authorizedRedirectURLs: [REDIRECT] } } } },
      ],
    },
  });
  t.teardown(() => standin.close());
  const upstream = await startUpstream(`${standin.url}/oauth2/callback`, [{ sub: 'ada', email: 'ada@example.com', email_verified: true }]);
  t.teardown(() => upstream.close());
  await new FusionAuthClient(KEY, standin.url).createIdentityProvider(PROVIDER, {
    identityProvider: {
      type: 'OpenIDConnect',
      name: 'Upstream',
      buttonText: 'Login with Upstream',
      enabled: true,
      oauth2: { client_id: upstream.clientId, client_secret: upstream.clientSecret, issuer: upstream.issuer, scope: 'openid email' },
      applicationConfiguration: { [APP]: { enabled: true, createRegistration: true } },
    } as never,
  });
  const query = new URLSearchParams({ client_id: APP, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 'idp' });

  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ colorScheme, viewport: { width: 390, height: 780 } });
    const page = await context.newPage();
    screenshotOnFailure(t, page, `identity-provider-login-${colorScheme}`);
    await page.goto(`${standin.url}/oauth2/authorize?${query}`);
    const button = page.getByRole('button', { name: 'Login with Upstream' });
    t.equal(await button.count(), 1, `${colorScheme}: one button, named by its buttonText`);
    // Tab from where the page puts the focus: the login field, once its autofocus has taken effect.
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'loginId');
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name || document.activeElement?.textContent || ''));
    }
    t.same(order, ['password', 'rememberDevice', 'Submit', 'identityProviderId'], `${colorScheme}: the button comes right after Submit`);
    await assertReadable(t, page, colorScheme, ['button.idp', 'button.primary', '.or']);

    if (colorScheme === 'dark') {
      // The keyboard alone: Enter on the focused button, the upstream's form, and back to the application with a code.
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.origin === upstream.issuer);
      await page.locator('input[name="login"]').fill('ada');
      await page.locator('input[name="password"]').fill('any');
      const redirected = await urlReachedAfter(page, REDIRECT, () => page.getByRole('button', { name: 'Sign-in' }).click());
      const code = redirected.searchParams.get('code');
      t.match(code, /^[A-Za-z0-9_-]{43}$/, 'the application gets its code');
      const user = await new FusionAuthClient(KEY, standin.url).retrieveUserByEmail('ada@example.com');
      t.equal(user.response.user!.registrations![0]!.applicationId, APP, 'the user was created and registered');
    }
    await context.close();
  }
});
