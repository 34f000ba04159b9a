// `npx tsx docs/screenshots-ip-acl.ts`: the page a hosted page answers when an IP ACL blocks the browser's address
// (docs/ip-acls.md), at a desktop and a phone width, into docs/screenshots/. Needs Debian's Chromium (/usr/bin/chromium).
import { startStandin } from '../src/index.js';
import { atEachWidth } from './screenshot-browser.js';

const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const APP = 'b1000000-0000-4000-8000-0000000000a1';
const LIST = 'b1000000-0000-4000-8000-0000000000a2';
const REDIRECT = 'http://localhost:3000/callback';

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: 'screenshots-ip-acl-api-key-0123456789' }],
    requests: [
      { url: `/api/ip-acl/${LIST}`, body: { ipAccessControlList: { name: 'Office only', entries: [{ action: 'Block', startIPAddress: '*' }] } } },
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

await atEachWidth(async ({ page, shot }) => {
  await page.goto(`${standin.url}/oauth2/authorize?${new URLSearchParams({ client_id: APP, response_type: 'code', redirect_uri: REDIRECT })}`);
  await page.getByRole('heading', { name: 'Access denied' }).waitFor();
  await shot('ip-acl-blocked');
});
await standin.close();
