import t from 'tap';
import type { Test } from 'tap';
import type { StandinApp } from '../../src/app.js';
import {
  API_KEY,
  apiClient,
  assertEmpty,
  assertFieldError,
  assertGeneralError,
  buildMintedTokenApp,
  FORUMS_APP,
  insertRefreshToken,
  insertSsoSession,
  MONICA_ID,
  RICHARD_ID,
  STORE_APP,
  T0,
} from '../helpers/fixtures.js';

const MISSING = 'dddddddd-0000-4000-8000-000000000009';

/** Richard: one token for store, one for forums, and an SSO session; Monica: one token for store. */
async function setUp(t: Test) {
  const app = await buildMintedTokenApp(t);
  const tokens = {
    richardStore: insertRefreshToken(app, STORE_APP, RICHARD_ID, { scope: 'openid offline_access' }),
    richardForums: insertRefreshToken(app, FORUMS_APP, RICHARD_ID),
    monicaStore: insertRefreshToken(app, STORE_APP, MONICA_ID),
  };
  const sso = insertSsoSession(app, RICHARD_ID);
  return { app, api: apiClient(t, app), tokens, sso };
}

const live = (app: StandinApp, value: string) => app.standin.stores.refreshTokens.lookup(value).found === 'current';

t.test("GET ?userId= lists the user's refresh tokens, SSO session included, never a token value", async (t) => {
  const { app, api, tokens, sso } = await setUp(t);
  const response = await api('GET', `/api/jwt/refresh?userId=${RICHARD_ID}`);
  t.equal(response.status, 200);
  const list = response.body.refreshTokens as Record<string, unknown>[];
  t.same(list.map((token) => token.id).sort(), [tokens.richardStore.id, tokens.richardForums.id, sso.id].sort());
  const byId = (id: string) => list.find((token) => token.id === id)!;
  t.same(byId(tokens.richardStore.id), {
    applicationId: STORE_APP,
    id: tokens.richardStore.id,
    insertInstant: T0,
    metaData: { device: { name: 'Test browser', type: 'BROWSER' }, scopes: ['openid', 'offline_access'] },
    startInstant: T0,
    tenantId: app.standin.stores.users.get(RICHARD_ID)!.tenantId,
    userId: RICHARD_ID,
  });
  t.notOk('applicationId' in byId(sso.id), 'the SSO session has no applicationId (FusionAuth)');
  for (const value of Object.values(tokens).map((token) => token.value)) t.notOk(response.raw.body.includes(value), 'no token value');
  t.notOk(
    list.some((token) => 'token' in token),
    'no token member',
  );
});

t.test('GET /{tokenId} shows one token; unknown ids are 404', async (t) => {
  const { api, tokens, sso } = await setUp(t);
  const one = await api('GET', `/api/jwt/refresh/${tokens.monicaStore.id}`);
  t.equal(one.status, 200);
  t.match(one.body.refreshToken, { id: tokens.monicaStore.id, userId: MONICA_ID, applicationId: STORE_APP });
  t.match((await api('GET', `/api/jwt/refresh/${sso.id}`)).body.refreshToken, { id: sso.id, userId: RICHARD_ID });
  assertEmpty(t, await api('GET', `/api/jwt/refresh/${MISSING}`), 404);
  assertEmpty(t, await api('GET', `/api/jwt/refresh?userId=${MISSING}`), 404);
});

t.test('GET without a userId or with a bad one is 400', async (t) => {
  const { api } = await setUp(t);
  assertGeneralError(t, await api('GET', '/api/jwt/refresh'), '[missing]userId');
  assertFieldError(t, await api('GET', '/api/jwt/refresh?userId=nope'), 'userId', 'invalid');
});

t.test('DELETE ?token= revokes that token only (query, form body and JSON body)', async (t) => {
  const { app, api, tokens } = await setUp(t);
  assertEmpty(t, await api('DELETE', `/api/jwt/refresh?token=${encodeURIComponent(tokens.richardStore.value)}`), 200);
  t.notOk(live(app, tokens.richardStore.value));
  t.ok(live(app, tokens.richardForums.value), 'the others live on');

  const form = await app.inject({
    method: 'DELETE',
    url: '/api/jwt/refresh',
    headers: { authorization: API_KEY, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ token: tokens.richardForums.value }).toString(),
  });
  t.equal(form.statusCode, 200);
  t.equal(form.body, '');
  t.notOk(live(app, tokens.richardForums.value), 'revoked by form body');

  assertEmpty(t, await api('DELETE', '/api/jwt/refresh', { token: tokens.monicaStore.value }), 200);
  t.notOk(live(app, tokens.monicaStore.value), 'revoked by JSON body (TSC revokeRefreshTokensWithRequest)');

  assertEmpty(t, await api('DELETE', `/api/jwt/refresh?token=unknown-value`), 404);
});

t.test("DELETE ?userId= revokes all of the user's tokens and ends their SSO session", async (t) => {
  const { app, api, tokens, sso } = await setUp(t);
  assertEmpty(t, await api('DELETE', `/api/jwt/refresh?userId=${RICHARD_ID}`), 200);
  t.notOk(live(app, tokens.richardStore.value));
  t.notOk(live(app, tokens.richardForums.value));
  t.notOk(app.standin.stores.ssoSessions.byCookie(sso.cookie), 'the SSO session is over');
  t.ok(live(app, tokens.monicaStore.value), "Monica's token lives on");
  assertEmpty(t, await api('DELETE', `/api/jwt/refresh?userId=${MISSING}`), 404);
});

t.test('DELETE ?applicationId= revokes every token of the application', async (t) => {
  const { app, api, tokens, sso } = await setUp(t);
  assertEmpty(t, await api('DELETE', `/api/jwt/refresh?applicationId=${STORE_APP}`), 200);
  t.notOk(live(app, tokens.richardStore.value));
  t.notOk(live(app, tokens.monicaStore.value));
  t.ok(live(app, tokens.richardForums.value), 'forums keeps its token');
  t.ok(app.standin.stores.ssoSessions.byCookie(sso.cookie), 'the SSO session is not an application token');
  assertEmpty(t, await api('DELETE', `/api/jwt/refresh?applicationId=${MISSING}`), 404);
});

t.test("DELETE ?userId=&applicationId= revokes the user's tokens for that application", async (t) => {
  const { app, api, tokens } = await setUp(t);
  assertEmpty(t, await api('DELETE', `/api/jwt/refresh?userId=${RICHARD_ID}&applicationId=${STORE_APP}`), 200);
  t.notOk(live(app, tokens.richardStore.value));
  t.ok(live(app, tokens.richardForums.value));
  t.ok(live(app, tokens.monicaStore.value));
});

t.test('DELETE /{tokenId} revokes one token, or ends an SSO session; unknown is 404', async (t) => {
  const { app, api, tokens, sso } = await setUp(t);
  assertEmpty(t, await api('DELETE', `/api/jwt/refresh/${tokens.richardForums.id}`), 200);
  t.notOk(live(app, tokens.richardForums.value));
  t.ok(live(app, tokens.richardStore.value));
  assertEmpty(t, await api('DELETE', `/api/jwt/refresh/${sso.id}`), 200);
  t.notOk(app.standin.stores.ssoSessions.byCookie(sso.cookie));
  assertEmpty(t, await api('DELETE', `/api/jwt/refresh/${tokens.richardForums.id}`), 404);
  assertEmpty(t, await api('DELETE', `/api/jwt/refresh/${MISSING}`), 404);
});

t.test('DELETE that names nothing is 400 and revokes nothing', async (t) => {
  const { app, api, tokens } = await setUp(t);
  assertGeneralError(t, await api('DELETE', '/api/jwt/refresh'), '[missing]');
  assertFieldError(t, await api('DELETE', '/api/jwt/refresh?applicationId=nope'), 'applicationId', 'invalid');
  t.ok(Object.values(tokens).every((token) => live(app, token.value)));
});

t.test('every refresh-token API needs an API key', async (t) => {
  const { app, tokens } = await setUp(t);
  const requests = [
    { method: 'GET', url: `/api/jwt/refresh?userId=${RICHARD_ID}` },
    { method: 'GET', url: `/api/jwt/refresh/${tokens.richardStore.id}` },
    { method: 'DELETE', url: `/api/jwt/refresh?token=${encodeURIComponent(tokens.richardStore.value)}` },
    { method: 'DELETE', url: `/api/jwt/refresh?userId=${RICHARD_ID}` },
    { method: 'DELETE', url: `/api/jwt/refresh/${tokens.richardStore.id}` },
  ] as const;
  for (const request of requests) {
    for (const authorization of [undefined, 'wrong-key']) {
      const response = await app.inject({ ...request, headers: authorization ? { authorization } : {} });
      t.equal(response.statusCode, 401, `${request.method} ${request.url.split('?')[0]} with ${authorization ?? 'no key'}: 401`);
      t.equal(response.body, '');
    }
  }
  t.ok(
    Object.values(tokens).every((token) => live(app, token.value)),
    'nothing revoked',
  );
});

t.test('an expired refresh token is not listed', async (t) => {
  const { app, api, tokens } = await setUp(t);
  const expired = insertRefreshToken(app, STORE_APP, MONICA_ID, { expiresAt: T0 });
  const list = (await api('GET', `/api/jwt/refresh?userId=${MONICA_ID}`)).body.refreshTokens.map((token: { id: string }) => token.id);
  t.same(list, [tokens.monicaStore.id]);
  assertEmpty(t, await api('GET', `/api/jwt/refresh/${expired.id}`), 404);
});
