import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import t, { type Test } from 'tap';
import { startStandin, type RunningStandin } from '../../src/index.js';
import { settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// Applications, tenants and signing keys are kept parsed between token requests (src/store/row-cache.ts). Every
// change must still show in the very next token: one made through the API, one made by another Standin on the
// same database file, one a reset puts back. Seen through FusionAuth's TypeScript client, as an application sees it.
const KEY = 'cached-rows-key-0123456789abcdefghijklmnop';
const APP = 'c0c0c0c0-0000-4000-8000-000000000001';
const SECRET = 'cached-rows-secret-0123456789abcdefghij';
const USER = 'c0c0c0c0-0000-4000-8000-0000000000e1';
const LOGIN = { loginId: 'gilfoyle@example.com', password: 'password-g' };

const kickstart = {
  apiKeys: [{ key: KEY }],
  requests: [
    {
      url: `/api/application/${APP}`,
      body: {
        application: {
          name: 'Pied Piper',
          oauthConfiguration: { clientSecret: SECRET, enabledGrants: ['password', 'refresh_token'], generateRefreshTokens: true },
          jwtConfiguration: { enabled: true, timeToLiveInSeconds: 300 },
        },
      },
    },
    {
      url: `/api/user/registration/${USER}`,
      body: { user: { email: LOGIN.loginId, password: LOGIN.password }, registration: { applicationId: APP } },
    },
  ],
};

async function start(t: Test, db = ':memory:'): Promise<RunningStandin> {
  const standin = await startStandin({ db, passwordHashing: 'fast', logLevel: 'silent', kickstart });
  t.teardown(() => standin.close());
  return standin;
}

const clientOf = (standin: RunningStandin) => new FusionAuthClient(KEY, standin.url);

async function refreshToken(client: FusionAuthClient): Promise<string> {
  const login = await client.exchangeUserCredentialsForAccessToken(
    LOGIN.loginId,
    LOGIN.password,
    APP,
    SECRET,
    'openid offline_access',
    null as never,
  );
  return login.response.refresh_token!;
}

/** The lifetime and signing key of the access token the next refresh grant issues. */
async function nextAccessToken(client: FusionAuthClient, token: string): Promise<{ lifetime: number; kid: unknown }> {
  const refreshed = await client.exchangeRefreshTokenForAccessToken(token, APP, SECRET, 'openid offline_access', null as never);
  const accessToken = refreshed.response.access_token!;
  const claims = decodeJwt(accessToken);
  return { lifetime: claims.exp! - claims.iat!, kid: decodeProtectedHeader(accessToken).kid };
}

t.test('a change through the API shows in the next token: application, tenant, signing key', async (t) => {
  const client = clientOf(await start(t));
  const token = await refreshToken(client);
  t.equal((await nextAccessToken(client, token)).lifetime, 300, 'the application its own lifetime');
  t.equal((await nextAccessToken(client, token)).lifetime, 300, 'again, read from memory');

  await client.patchApplication(APP, { application: { jwtConfiguration: { timeToLiveInSeconds: 120 } } });
  t.equal((await nextAccessToken(client, token)).lifetime, 120, 'patched application');

  await client.patchApplication(APP, { application: { jwtConfiguration: { enabled: false } } });
  const tenantId = (await client.retrieveApplication(APP)).response.application!.tenantId!;
  const before = await nextAccessToken(client, token);
  t.equal(before.lifetime, 3600, "the tenant's lifetime once the application's own configuration is off");
  await client.patchTenant(tenantId, { tenant: { jwtConfiguration: { timeToLiveInSeconds: 900 } } });
  t.equal((await nextAccessToken(client, token)).lifetime, 900, 'patched tenant');

  const generated = await client.generateKey(null as never, { key: { algorithm: 'RS256' as never, name: 'Rotated' } });
  const rotated = generated.response.key!;
  await client.patchTenant(tenantId, { tenant: { jwtConfiguration: { accessTokenKeyId: rotated.id! } } });
  const signed = await nextAccessToken(client, token);
  t.not(before.kid, rotated.kid, 'a new key');
  t.equal(signed.kid, rotated.kid, 'the next token is signed with the key the tenant names now');
});

t.test('a change made by another Standin on the same database file shows in the next token', async (t) => {
  const dir = temporaryFolder(t, 'standin-cached-rows-');
  const file = join(dir, 'shared.db');
  const first = clientOf(await start(t, file));
  const second = clientOf(await start(t, file));
  const token = await refreshToken(first);
  t.equal((await nextAccessToken(first, token)).lifetime, 300);

  await second.patchApplication(APP, { application: { jwtConfiguration: { timeToLiveInSeconds: 60 } } });
  t.equal((await nextAccessToken(first, token)).lifetime, 60, "the other process's change, at the first's next request");

  await second.deactivateApplication(APP);
  const refused = await settle(first.exchangeRefreshTokenForAccessToken(token, APP, SECRET, 'openid offline_access', null as never));
  t.equal(refused.statusCode, 401, 'an application deactivated elsewhere authenticates no client here');
});

t.test('a reset puts back the application the cache had seen changed', async (t) => {
  const standin = await start(t);
  const client = clientOf(standin);
  await client.patchApplication(APP, { application: { jwtConfiguration: { timeToLiveInSeconds: 45 } } });
  t.equal((await nextAccessToken(client, await refreshToken(client))).lifetime, 45);
  standin.reset();
  t.equal((await nextAccessToken(client, await refreshToken(client))).lifetime, 300, 'the lifetime the kickstart gave');
});

/** The access token of the next refresh grant, checked against the JWKS as an application checks it. */
async function verifiedAccessToken(t: Test, standin: RunningStandin, client: FusionAuthClient, token: string): Promise<string> {
  const refreshed = await client.exchangeRefreshTokenForAccessToken(token, APP, SECRET, 'openid offline_access', null as never);
  const accessToken = refreshed.response.access_token!;
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', standin.url));
  await jwtVerify(accessToken, jwks);
  t.equal((await client.validateJWT(accessToken)).statusCode, 200, 'and /api/jwt/validate takes it');
  return accessToken;
}

// A key id can come back with other material: deleted, then generated again under the same id, here or by another
// process on the same file. The next token must be signed, and verified, with the key the id names now.
for (const where of ['here', 'by another Standin on the same file']) {
  t.test(`a signing key deleted and generated again under its id, ${where}, signs with its new material`, async (t) => {
    const dir = temporaryFolder(t, 'standin-cached-rows-');
    const file = join(dir, 'shared.db');
    const standin = await start(t, file);
    const client = clientOf(standin);
    const other = where === 'here' ? client : clientOf(await start(t, file));
    const token = await refreshToken(client);
    const tenantId = (await client.retrieveApplication(APP)).response.application!.tenantId!;
    const original = (await client.retrieveTenant(tenantId)).response.tenant!.jwtConfiguration!.accessTokenKeyId!;
    const KEY_ID = 'c0c0c0c0-0000-4000-8000-0000000000b1';

    const first = (await client.generateKey(KEY_ID, { key: { algorithm: 'RS256' as never, name: 'Recycled' } })).response.key!;
    await client.patchTenant(tenantId, { tenant: { jwtConfiguration: { accessTokenKeyId: KEY_ID } } });
    t.equal(decodeProtectedHeader(await verifiedAccessToken(t, standin, client, token)).kid, first.kid, 'signed with the first key');

    await other.patchTenant(tenantId, { tenant: { jwtConfiguration: { accessTokenKeyId: original } } });
    await other.deleteKey(KEY_ID);
    const second = (await other.generateKey(KEY_ID, { key: { algorithm: 'RS256' as never, name: 'Recycled' } })).response.key!;
    t.not(second.publicKey, first.publicKey, 'other material under the same id');
    await other.patchTenant(tenantId, { tenant: { jwtConfiguration: { accessTokenKeyId: KEY_ID } } });
    const signed = await verifiedAccessToken(t, standin, client, token);
    t.equal(decodeProtectedHeader(signed).kid, second.kid, 'signed with the second key, and verified with it');
  });
}
