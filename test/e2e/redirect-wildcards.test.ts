import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertFieldError, settle } from '../helpers/fixtures.js';

// authorizedURLValidationPolicy: AllowWildcards (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/url-validation):
// a kickstart that registers wildcard redirect URLs starts, and the authorize endpoint, as a browser reaches it,
// accepts what the wildcards stand for and nothing more.
const API_KEY = 'redirect-wildcards-api-key-0123456789ab';
const APP = 'b5000000-0000-4000-8000-000000000001';
const EXACT_APP = 'b5000000-0000-4000-8000-000000000002';
const WILDCARDS = ['https://*.example.com/callback', 'http://127.0.0.1:*/callback', 'https://app.example.org/tenant/*/cb?env=*'];

t.test('wildcard redirect URLs under AllowWildcards, literal ones under ExactMatch', async (t) => {
  const application = (name: string, authorizedURLValidationPolicy: string, authorizedRedirectURLs: string[]) => ({
    application: { name, oauthConfiguration: { authorizedRedirectURLs, authorizedURLValidationPolicy, clientSecret: 'secret' } },
  });
  const standin = await startStandin({
    passwordHashing: 'fast',
    logLevel: 'silent',
    kickstart: {
      apiKeys: [{ key: API_KEY }],
      requests: [
        { url: `/api/application/${APP}`, body: application('Wild', 'AllowWildcards', WILDCARDS) },
        // A port wildcard is not a URL at all without the policy.
        { url: `/api/application/${EXACT_APP}`, body: application('Exact', 'ExactMatch', [WILDCARDS[0]!, WILDCARDS[2]!]) },
      ],
    },
  });
  t.teardown(() => standin.close());
  const authorize = async (clientId: string, redirectUri: string) => {
    const query = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope: 'openid' });
    const response = await fetch(`${standin.url}/oauth2/authorize?${query.toString()}`, { redirect: 'manual' });
    await response.arrayBuffer();
    return response.status;
  };
  for (const uri of ['https://login.example.com/callback', 'http://127.0.0.1:49152/callback', 'https://app.example.org/tenant/acme/cb?env=prod']) {
    t.equal(await authorize(APP, uri), 200, `the login page for ${uri}`);
    if (!uri.startsWith('http://127.0.0.1')) t.equal(await authorize(EXACT_APP, uri), 400, `refused under ExactMatch: ${uri}`);
  }
  for (const uri of [
    'https://a.b.example.com/callback',
    'https://example.com/callback',
    'https://login.example.com/callback/more',
    'https://app.example.org/tenant/acme/cb?env=prod&next=evil',
    'https://app.example.org/tenant/a/b/cb?env=prod',
  ]) {
    t.equal(await authorize(APP, uri), 400, `refused: ${uri}`);
  }
  t.equal(await authorize(EXACT_APP, WILDCARDS[0]!), 200, 'under ExactMatch a * is a character like another');

  const client = new FusionAuthClient(API_KEY, standin.url);
  const misplaced = await settle(
    client.patchApplication(APP, { application: { oauthConfiguration: { authorizedRedirectURLs: ['https://*.com/callback'] } } }),
  );
  assertFieldError(t, misplaced, 'application.oauthConfiguration.authorizedRedirectURLs', 'invalid');
});
