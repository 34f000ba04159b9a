import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertFieldError, settle } from '../helpers/fixtures.js';

// Redirect and logout URLs that can never be safe (script schemes, impossible ports) are refused when an
// application is saved, through FusionAuth's client and with FusionAuth's field error shape.
const API_KEY = 'redirect-url-safety-api-key-0123456789';
const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart: { apiKeys: [{ key: API_KEY }] } });
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const NO_ID = undefined as unknown as string;
const REDIRECTS = 'application.oauthConfiguration.authorizedRedirectURLs';

t.test('script schemes and impossible ports are refused as redirect URLs on create, update and patch', async (t) => {
  for (const url of [
    'javascript:alert(document.cookie)',
    'JavaScript://x/%0aalert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'http://localhost:0/callback',
    'http://localhost:99999/callback',
    'https://app.example.com:65536/cb',
  ]) {
    assertFieldError(
      t,
      await settle(
        client.createApplication(NO_ID, {
          application: { name: 'Bad', oauthConfiguration: { authorizedRedirectURLs: ['http://localhost:3000/cb', url] } },
        }),
      ),
      REDIRECTS,
      'invalid',
    );
  }
  const good = (
    await client.createApplication(NO_ID, {
      application: { name: 'Good', oauthConfiguration: { authorizedRedirectURLs: ['http://localhost:3000/cb'] } },
    })
  ).response.application!;
  assertFieldError(
    t,
    await settle(client.patchApplication(good.id!, { application: { oauthConfiguration: { authorizedRedirectURLs: ['javascript:alert(1)'] } } })),
    REDIRECTS,
    'invalid',
  );
  assertFieldError(
    t,
    await settle(client.updateApplication(good.id!, { application: { name: 'Good', oauthConfiguration: { authorizedRedirectURLs: ['data:,x'] } } })),
    REDIRECTS,
    'invalid',
  );
  assertFieldError(
    t,
    await settle(client.patchApplication(good.id!, { application: { oauthConfiguration: { logoutURL: 'javascript:alert(1)' } } })),
    'application.oauthConfiguration.logoutURL',
    'invalid',
  );
  const stored = (await client.retrieveApplication(good.id!)).response.application!;
  t.same(stored.oauthConfiguration!.authorizedRedirectURLs, ['http://localhost:3000/cb'], 'a refused change keeps the stored URLs');
});

t.test('native-app custom schemes and ordinary ports stay allowed', async (t) => {
  const urls = ['com.example.app:/oauth2redirect', 'myapp://callback', 'http://127.0.0.1:65535/cb', 'https://app.example.com/cb'];
  const created = await client.createApplication(NO_ID, {
    application: { name: 'Native', oauthConfiguration: { authorizedRedirectURLs: urls, logoutURL: 'com.example.app:/logout' } },
  });
  t.same(created.response.application!.oauthConfiguration!.authorizedRedirectURLs, urls);
});
