import { FusionAuthClient, type OAuthConfigurationResponse } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import { assertEmpty, settle } from '../helpers/fixtures.js';

// FusionAuth's Retrieve OAuth Configuration (https://fusionauth.io/docs/apis/applications) through the client's
// retrieveOauthConfiguration: the application's oauthConfiguration with its tenant's session timeout and logout URL,
// to anyone, and the client secret only to a caller with an API key that may call the endpoint.
const API_KEY = 'oauth-config-api-key-0123456789abcdefgh';
const USERS_ONLY_KEY = 'oauth-config-users-key-0123456789abcde';
const TENANT = 'a8000000-0000-4000-8000-000000000001';
const APP = 'a8000000-0000-4000-8000-0000000000a1';
const SECRET = 'oauth-config-secret-0123456789abcdefghijklmnop';
const UNKNOWN = 'a8000000-0000-4000-8000-0000000000ff';

const standin = await startStandin({
  passwordHashing: 'fast',
  logLevel: 'silent',
  kickstart: {
    variables: { defaultTenantId: TENANT },
    apiKeys: [{ key: API_KEY }, { key: USERS_ONLY_KEY, permissions: { endpoints: { '/api/user': ['GET'] } } }],
    requests: [
      {
        url: `/api/application/${APP}`,
        body: {
          application: {
            name: 'Store',
            oauthConfiguration: {
              authorizedRedirectURLs: ['https://store.example.com/callback'],
              clientSecret: SECRET,
              enabledGrants: ['authorization_code', 'refresh_token'],
              logoutURL: 'https://store.example.com/bye',
            },
          },
        },
      },
    ],
  },
});
t.teardown(() => standin.close());
const client = new FusionAuthClient(API_KEY, standin.url);
const url = `${standin.url}/api/application/${APP}/oauth-configuration`;

t.test("with an API key: the application's oauthConfiguration, client secret included, and its tenant's settings", async (t) => {
  const answer = await client.retrieveOauthConfiguration(APP);
  t.equal(answer.statusCode, 200);
  const application = (await client.retrieveApplication(APP)).response.application!;
  const tenant = (await client.retrieveTenant(TENANT)).response.tenant!;
  t.same(answer.response, {
    httpSessionMaxInactiveInterval: tenant.httpSessionMaxInactiveInterval,
    oauthConfiguration: application.oauthConfiguration,
  });
  t.equal(answer.response.oauthConfiguration!.clientSecret, SECRET);
  t.equal(answer.response.oauthConfiguration!.clientId, APP);
  t.notOk('logoutURL' in answer.response, 'no logout URL: the tenant has none');

  await client.patchTenant(TENANT, { tenant: { logoutURL: 'https://example.com/logged-out', httpSessionMaxInactiveInterval: 1800 } });
  const after = (await client.retrieveOauthConfiguration(APP)).response;
  t.equal(after.logoutURL, 'https://example.com/logged-out', "the tenant's logout URL");
  t.equal(after.httpSessionMaxInactiveInterval, 1800);
});

t.test('without an API key (or with one that may not call it): the same, without the client secret', async (t) => {
  const withKey = (await client.retrieveOauthConfiguration(APP)).response;
  const { clientSecret: _secret, ...withoutSecret } = withKey.oauthConfiguration!;
  const anonymous = await fetch(url);
  t.equal(anonymous.status, 200);
  const body = (await anonymous.json()) as OAuthConfigurationResponse;
  t.same(body, { ...withKey, oauthConfiguration: withoutSecret });
  for (const key of ['not-an-api-key', USERS_ONLY_KEY]) {
    const answer = await new FusionAuthClient(key, standin.url).retrieveOauthConfiguration(APP);
    t.equal(answer.statusCode, 200, key);
    t.notOk('clientSecret' in answer.response.oauthConfiguration!, `${key}: no client secret`);
  }
});

t.test('an unknown application, or one outside the tenant the request names, is the empty 404', async (t) => {
  assertEmpty(t, await settle(client.retrieveOauthConfiguration(UNKNOWN)), 404);
  t.equal((await fetch(`${standin.url}/api/application/${UNKNOWN}/oauth-configuration`)).status, 404, 'without a key too');
  const other = (await client.createTenant(undefined as unknown as string, { tenant: { name: 'Other' } })).response.tenant!;
  assertEmpty(t, await settle(new FusionAuthClient(API_KEY, standin.url, other.id).retrieveOauthConfiguration(APP)), 404);
  t.equal((await fetch(url, { headers: { 'x-fusionauth-tenantid': other.id! } })).status, 404, 'named by the header without a key');
});
