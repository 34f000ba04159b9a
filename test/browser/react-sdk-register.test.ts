import { fileURLToPath } from 'node:url';
import t from 'tap';
import { build } from 'vite';
import { startStandin } from '../../src/index.js';
import { launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { serveSpa } from '../helpers/spa-server.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's React SDK signs a new user up: its startRegister goes to Standin's /app/register, which leads to the
// hosted registration page (docs/self-service-registration.md), and back through /app/callback signed in.
const SPA_SOURCE = fileURLToPath(new URL('./react-spa/', import.meta.url));
const APP = 'a3a3a3a3-0000-4000-8000-0000000000a3';

t.test('a React SDK app signs a new user up through /app/register', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const dist = temporaryFolder(t, 'standin-react-register-');
  await build({ root: SPA_SOURCE, logLevel: 'error', configFile: false, build: { outDir: dist, emptyOutDir: true, target: 'es2022' } });

  const config = { serverUrl: '', spaUrl: '' };
  const { server, url } = await serveSpa(dist, () => ({
    serverUrl: config.serverUrl,
    clientId: APP,
    redirectUri: `${config.spaUrl}/`,
    scope: 'openid offline_access email profile',
  }));
  t.teardown(() => server.close());
  config.spaUrl = url;

  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      apiKeys: [{ key: 'react-sdk-register-key-0123456789' }],
      requests: [
        {
          url: `/api/application/${APP}`,
          body: {
            application: {
              name: 'Sign-up SPA',
              oauthConfiguration: {
                authorizedRedirectURLs: [`${config.spaUrl}/`],
                authorizedOriginURLs: [config.spaUrl],
                enabledGrants: ['authorization_code', 'refresh_token'],
                generateRefreshTokens: true,
              },
              registrationConfiguration: { enabled: true, firstName: { enabled: true, required: true }, lastName: { enabled: true, required: true } },
            },
          },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  config.serverUrl = standin.url;

  const context = await browser.newContext();
  const page = await context.newPage();
  screenshotOnFailure(t, page, 'react-sdk-register');
  await page.goto(config.spaUrl);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/oauth2\/register\?/);
  await page.getByLabel('Email', { exact: true }).fill('grace@example.com');
  await page.getByLabel('First name', { exact: true }).fill('Grace');
  await page.getByLabel('Last name', { exact: true }).fill('Hopper');
  await page.getByLabel('Password', { exact: true }).fill('compile-it');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('status').filter({ hasText: 'Signed in as Grace Hopper' }).waitFor();
  t.equal(new URL(page.url()).origin, config.spaUrl, 'back on the SPA, signed in');
  t.ok(
    (await context.cookies(standin.url)).some((cookie) => cookie.name === 'app.at'),
    'the hosted backend set app.at',
  );
  const user = await fetch(`${standin.url}/api/user?email=grace%40example.com`, { headers: { authorization: 'react-sdk-register-key-0123456789' } });
  t.same(
    ((await user.json()) as { user: { registrations: Array<{ applicationId: string }> } }).user.registrations.map((r) => r.applicationId),
    [APP],
    'registered',
  );
});
