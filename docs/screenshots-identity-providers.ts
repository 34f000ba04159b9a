// `npx tsx docs/screenshots-identity-providers.ts`: the hosted login page with a "Login with …" button per OpenID
// Connect identity provider, and the page a login gets when the provider cannot be reached, at a desktop and a phone
// width, into docs/screenshots/. Needs Debian's Chromium (/usr/bin/chromium).
import { startStandin } from '../src/index.js';
import { atEachWidth } from './screenshot-browser.js';

const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const STORE = 'b2000000-0000-4000-8000-000000000001';
const KEY = 'screenshots-api-key-0123456789';
const query = new URLSearchParams({
  client_id: STORE,
  redirect_uri: 'http://localhost:3000/callback',
  response_type: 'code',
  scope: 'openid',
  state: 'docs',
});
const provider = (id: string, name: string, issuer: string) => ({
  url: `/api/identity-provider/${id}`,
  body: {
    identityProvider: {
      type: 'OpenIDConnect',
      name,
      buttonText: `Login with ${name}`,
      enabled: true,
      // Nothing listens on port 39999: the press shows the page a login gets when the provider is down.
      oauth2: { client_id: 'standin', client_secret: 'secret', issuer },
      applicationConfiguration: { [STORE]: { enabled: true } },
    },
  },
});

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: KEY }],
    requests: [
      {
        url: `/api/application/${STORE}`,
        body: { application: { name: 'Store', oauthConfiguration: { authorizedRedirectURLs: ['http://localhost:3000/callback'] } } },
      },
      provider('b2000000-0000-4000-8000-00000000000a', 'Corporate SSO', 'http://127.0.0.1:39999'),
      provider('b2000000-0000-4000-8000-00000000000b', 'Partner Accounts', 'http://127.0.0.1:39999/partner'),
    ],
  },
});

await atEachWidth(async ({ page, shot }) => {
  await page.goto(`${standin.url}/oauth2/authorize?${query}`);
  await shot('login-identity-providers');
  await page.getByRole('button', { name: 'Login with Corporate SSO' }).click();
  await page.getByRole('heading', { name: 'Login with Corporate SSO failed' }).waitFor();
  await shot('identity-provider-error');
});
await standin.close();
