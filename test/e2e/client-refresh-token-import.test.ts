import { join } from 'node:path';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { startStandin } from '../../src/index.js';
import type { Kickstart } from '../../src/kickstart/types.js';
import { assertEmpty, assertFieldError, assertGeneralError, settle } from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

// FusionAuth's Import Refresh Tokens API (https://fusionauth.io/docs/apis/users/import-refresh-tokens) through
// @fusionauth/typescript-client: an imported value is then accepted by the refresh_token grant and /api/jwt/refresh
// under its application's refresh token settings; errors, tenant-bound keys, a restart and a reset.
const API_KEY = 'client-refresh-import-api-key-0123456789';
const TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';
const OTHER_TENANT = 'f1000000-0000-4000-8000-0000000000f2';
const OTHER_KEY = 'client-refresh-import-other-key-01234567';
const APP = 'f1000000-0000-4000-8000-0000000000a1';
const ROTATING_APP = 'f1000000-0000-4000-8000-0000000000a2';
const OTHER_APP = 'f1000000-0000-4000-8000-0000000000a3';
const SECRET = 'refresh-import-secret-0123456789abcdefghij';
const USER = 'f1000000-0000-4000-8000-000000000001';
const UNREGISTERED = 'f1000000-0000-4000-8000-000000000002';
const STRANGER = 'f1000000-0000-4000-8000-000000000003';
const UNKNOWN = 'f1999999-0000-4000-8000-000000000009';
const IMPORTED_ID = 'f1000000-0000-4000-8000-0000000000b1';
const MINUTE = 60_000;
const T0 = Date.UTC(2030, 0, 1);
let now = T0;

const application = (id: string, name: string, jwtConfiguration: Record<string, unknown> = {}) => ({
  url: `/api/application/${id}`,
  body: {
    application: {
      name,
      oauthConfiguration: { clientSecret: SECRET, enabledGrants: ['refresh_token', 'password'], generateRefreshTokens: true },
      loginConfiguration: { allowTokenRefresh: true, generateRefreshTokens: true },
      jwtConfiguration: { enabled: true, timeToLiveInSeconds: 3600, ...jwtConfiguration },
    },
  },
});

const kickstart: Kickstart = {
  variables: { defaultTenantId: TENANT },
  apiKeys: [{ key: API_KEY }, { key: OTHER_KEY, tenantId: OTHER_TENANT }],
  requests: [
    application(APP, 'Reusable, fixed', {
      refreshTokenUsagePolicy: 'Reusable',
      refreshTokenExpirationPolicy: 'Fixed',
      refreshTokenTimeToLiveInMinutes: 60,
    }),
    application(ROTATING_APP, 'One-time use, sliding', {
      refreshTokenUsagePolicy: 'OneTimeUse',
      refreshTokenExpirationPolicy: 'SlidingWindow',
      refreshTokenTimeToLiveInMinutes: 60,
    }),
    {
      url: `/api/user/registration/${USER}`,
      body: { user: { email: 'migrated@example.com', password: 'password' }, registration: { applicationId: APP } },
    },
    { url: `/api/user/registration/${USER}`, body: { registration: { applicationId: ROTATING_APP } } },
    { url: `/api/user/${UNREGISTERED}`, body: { user: { email: 'unregistered@example.com', password: 'password' } } },
    { url: `/api/tenant/${OTHER_TENANT}`, body: { tenant: { name: 'Other' } } },
    { url: `/api/application/${OTHER_APP}`, tenantId: OTHER_TENANT, body: { application: { name: 'Other app' } } },
    {
      url: `/api/user/registration/${STRANGER}`,
      tenantId: OTHER_TENANT,
      body: { user: { email: 'stranger@example.com', password: 'password' }, registration: { applicationId: OTHER_APP } },
    },
  ],
};

const token = (value: string, more: Record<string, unknown> = {}) => ({ token: value, userId: USER, applicationId: APP, startInstant: now, ...more });

t.test('Import Refresh Tokens through the FusionAuth client', async (t) => {
  now = T0;
  const standin = await startStandin({ passwordHashing: 'fast', logLevel: 'silent', kickstart, now: () => now });
  t.teardown(() => standin.close());
  const client = new FusionAuthClient(API_KEY, standin.url);
  const grant = (value: string, clientId = APP) =>
    settle(client.exchangeRefreshTokenForAccessToken(value, clientId, SECRET, null as never, null as never));
  const refresh = (value: string) => settle(client.exchangeRefreshTokenForJWT({ refreshToken: value }));

  t.test('an imported value is accepted by the refresh_token grant and /api/jwt/refresh', async (t) => {
    const imported = await client.importRefreshTokens({
      refreshTokens: [
        token('legacy-refresh-token-1', {
          id: IMPORTED_ID.toUpperCase(),
          metaData: { device: { name: 'Old phone' }, scopes: ['openid', 'offline_access'] },
        }),
      ],
    });
    t.equal(imported.statusCode, 200);
    t.equal(imported.response, undefined, 'no body');

    const granted = await grant('legacy-refresh-token-1');
    t.equal(granted.statusCode, 200);
    t.ok(granted.response.access_token, 'an access token');
    t.ok(granted.response.id_token, 'an id token: the imported scopes hold openid');
    t.equal(granted.response.refresh_token, 'legacy-refresh-token-1', 'Reusable: the same value comes back');
    t.equal(granted.response.userId, USER);

    const jwt = await refresh('legacy-refresh-token-1');
    t.equal(jwt.statusCode, 200);
    t.ok(jwt.response.token);

    const listed = (await client.retrieveRefreshTokens(USER)).response.refreshTokens!;
    const found = listed.find((listedToken) => listedToken.id === IMPORTED_ID);
    t.ok(found, 'listed under its id, in lower case');
    t.equal(found?.startInstant, T0);
    t.equal(found?.metaData?.device?.name, 'Old phone');
    t.same(found?.metaData?.scopes, ['openid', 'offline_access']);
    t.notOk(
      listed.some((stored) => stored.token === 'legacy-refresh-token-1'),
      'the value is never shown back',
    );
    const stored = standin.app.standin.stores.db
      .prepare('SELECT count(*) AS n FROM refresh_tokens WHERE token_hash = ?')
      .get('legacy-refresh-token-1') as {
      n: number;
    };
    t.equal(stored.n, 0, 'the value is stored hashed, not as itself');
  });

  t.test("the application's expiration policy counts from the imported startInstant", async (t) => {
    await client.importRefreshTokens({ refreshTokens: [token('legacy-fixed', { startInstant: T0 - 50 * MINUTE })] });
    t.equal((await grant('legacy-fixed')).statusCode, 200, 'ten minutes left');
    now = T0 + 11 * MINUTE;
    t.teardown(() => {
      now = T0;
    });
    t.equal((await grant('legacy-fixed')).statusCode, 400, 'Fixed, 60 minutes from the start: expired');
    t.equal((await refresh('legacy-fixed')).statusCode, 400);
  });

  t.test('under OneTimeUse the imported value is rotated away on its first use', async (t) => {
    await client.importRefreshTokens({ refreshTokens: [token('legacy-rotating', { applicationId: ROTATING_APP.toUpperCase() })] });
    const first = await grant('legacy-rotating', ROTATING_APP);
    t.equal(first.statusCode, 200);
    const next = first.response.refresh_token!;
    t.not(next, 'legacy-rotating', 'a new value');
    t.equal((await grant('legacy-rotating', ROTATING_APP)).statusCode, 400, 'the imported value is spent');
    t.equal((await refresh(next)).statusCode, 200, 'its successor works');
  });

  t.test('bad tokens are refused with field errors and nothing is imported', async (t) => {
    assertFieldError(t, await settle(client.importRefreshTokens({ refreshTokens: [] })), 'refreshTokens', 'missing');
    const blank = await settle(client.importRefreshTokens({ refreshTokens: [{ userId: 'nope' }] }));
    assertFieldError(t, blank, 'refreshToken.token', 'blank');
    assertFieldError(t, blank, 'refreshToken.userId', 'invalid');
    assertFieldError(t, blank, 'refreshToken.applicationId', 'blank');
    assertFieldError(t, blank, 'refreshToken.startInstant', 'blank');

    const checked = (refreshTokens: object[]) => settle(client.importRefreshTokens({ refreshTokens, validateDbConstraints: true }));
    assertFieldError(t, await checked([token('x1', { userId: UNKNOWN })]), 'refreshToken.userId', 'invalid');
    assertFieldError(t, await checked([token('x2', { applicationId: UNKNOWN })]), 'refreshToken.applicationId', 'invalid');
    assertFieldError(t, await checked([token('x3', { userId: UNREGISTERED })]), 'refreshToken.applicationId', 'notRegistered');
    assertFieldError(t, await checked([token('legacy-refresh-token-1')]), 'refreshToken.token', 'duplicate');
    assertFieldError(t, await checked([token('twice'), token('twice')]), 'refreshToken.token', 'duplicate');

    // Without validateDbConstraints, FusionAuth's database refuses the batch and says only that it failed.
    assertGeneralError(
      t,
      await settle(client.importRefreshTokens({ refreshTokens: [token('good-one'), token('x4', { userId: UNKNOWN })] })),
      '[ImportRequestFailed]',
    );
    t.equal((await grant('good-one')).statusCode, 400, 'a good token beside a bad one was not imported');
    t.equal((await grant('twice')).statusCode, 400);

    const badJson = await fetch(`${standin.url}/api/user/refresh-token/import`, {
      method: 'POST',
      headers: { authorization: API_KEY, 'content-type': 'application/json' },
      body: '{"refreshTokens": [',
    });
    t.equal(badJson.status, 400, 'bad JSON is a 400');
  });

  t.test("a key bound to a tenant imports only its tenant's users' tokens", async (t) => {
    const other = new FusionAuthClient(OTHER_KEY, standin.url);
    const refused = await settle(other.importRefreshTokens({ refreshTokens: [token('cross-tenant')], validateDbConstraints: true }));
    assertFieldError(t, refused, 'refreshToken.userId', 'invalid');
    t.equal((await grant('cross-tenant')).statusCode, 400, 'nothing imported');

    const own = await other.importRefreshTokens({ refreshTokens: [token('stranger-token', { userId: STRANGER, applicationId: OTHER_APP })] });
    t.equal(own.statusCode, 200);
    t.equal((await refresh('stranger-token')).statusCode, 200);
    const otherApp = await settle(
      client.importRefreshTokens({ refreshTokens: [token('mixed', { applicationId: OTHER_APP })], validateDbConstraints: true }),
    );
    assertFieldError(t, otherApp, 'refreshToken.applicationId', 'invalid');
  });

  t.test('a reset takes back the imported tokens', async (t) => {
    standin.reset();
    t.equal((await refresh('legacy-refresh-token-1')).statusCode, 400);
    assertEmpty(t, await settle(client.retrieveRefreshTokens(UNKNOWN)), 404);
    const left = (await client.retrieveRefreshTokens(USER)).response.refreshTokens!;
    t.notOk(
      left.some((listedToken) => listedToken.id === IMPORTED_ID),
      'the imported token is gone',
    );
  });
});

t.test('imported tokens survive a restart of a file-backed Standin, and a kickstart imports them', async (t) => {
  now = T0;
  const dir = temporaryFolder(t, 'standin-refresh-import-');
  const options = {
    db: join(dir, 'standin.db'),
    passwordHashing: 'fast' as const,
    logLevel: 'silent' as const,
    now: () => now,
    kickstart: {
      ...kickstart,
      requests: [...(kickstart.requests ?? []), { url: '/api/user/refresh-token/import', body: { refreshTokens: [token('from-kickstart')] } }],
    },
  };
  const first = await startStandin(options);
  t.same(first.app.seedReport.ignored, [], 'the import was replayed, not ignored');
  await new FusionAuthClient(API_KEY, first.url).importRefreshTokens({ refreshTokens: [token('before-restart')] });
  await first.close();

  const second = await startStandin(options);
  t.teardown(() => second.close());
  const client = new FusionAuthClient(API_KEY, second.url);
  for (const value of ['from-kickstart', 'before-restart']) {
    t.equal((await settle(client.exchangeRefreshTokenForJWT({ refreshToken: value }))).statusCode, 200, `${value} still works`);
  }
});
