import t from 'tap';
import { startStandin } from '../../src/index.js';
import { launchChromium, screenshotOnFailure } from '../helpers/chromium.js';
import { assertReadable } from '../helpers/contrast.js';

// The page a hosted page answers (assertReadable also checks that nothing scrolls sideways) when the application's IP ACL blocks the browser's address (docs/ip-acls.md): here
// the list blocks every address, the browser's 127.0.0.1 among them.
const TENANT = 'ac200000-0000-4000-8000-0000000000a1';
const APP = 'ac200000-0000-4000-8000-0000000000b1';
const LIST = 'ac200000-0000-4000-8000-0000000000c1';
const REDIRECT = 'http://localhost:3000/callback';

t.test('the blocked page: 401, a heading, the address, readable in both schemes and at a phone width', async (t) => {
  const browser = await launchChromium(t);
  if (!browser) return;
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      variables: { defaultTenantId: TENANT },
      apiKeys: [{ key: 'browser-ip-acl-api-key-0123456789abcdef' }],
      requests: [
        { url: `/api/ip-acl/${LIST}`, body: { ipAccessControlList: { name: 'Nobody', entries: [{ action: 'Block', startIPAddress: '*' }] } } },
        {
          url: `/api/application/${APP}`,
          body: {
            application: {
              name: 'Shop',
              accessControlConfiguration: { uiIPAccessControlListId: LIST },
              oauthConfiguration: { authorizedRedirectURLs: [REDIRECT], enabledGrants: ['authorization_code'] },
            },
          },
        },
      ],
    },
  });
  t.teardown(() => standin.close());
  const authorize = `${standin.url}/oauth2/authorize?${new URLSearchParams({ client_id: APP, response_type: 'code', redirect_uri: REDIRECT })}`;

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 375, height: 740 },
    ]) {
      const name = `${colorScheme} ${viewport.width}px`;
      const context = await browser.newContext({ colorScheme, viewport });
      const page = await context.newPage();
      screenshotOnFailure(t, page, `ip-acl-blocked-${colorScheme}-${viewport.width}`);
      const response = await page.goto(authorize);
      t.equal(response?.status(), 401, `${name}: 401`);
      t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Access denied', `${name}: the heading says why`);
      await page.getByText('IP address: 127.0.0.1').waitFor();
      t.equal(await page.locator('input:not([type=hidden])').count(), 0, `${name}: no form to fill`);
      await assertReadable(t, page, name, ['section.panel h1', 'section.panel p', 'header span']);
      await context.close();
    }
  }
});
