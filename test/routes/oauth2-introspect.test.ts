import t from 'tap';
import type { StandinApp } from '../../src/app.js';
import {
  accessToken,
  buildMintedTokenApp,
  FORUMS_APP,
  idToken,
  insertRefreshToken,
  RICHARD_ID,
  STORE_APP,
  STORE_SECRET,
  T0,
} from '../helpers/fixtures.js';

function introspect(app: StandinApp, form: Record<string, string>, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/oauth2/introspect',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });
const storeClient = { client_id: STORE_APP, client_secret: STORE_SECRET };

t.test('a live token: active first, then its claims', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token, jti } = await accessToken(app, STORE_APP, RICHARD_ID, 'openid offline_access');
  const response = await introspect(app, { ...storeClient, token });
  t.equal(response.statusCode, 200);
  t.equal(response.headers['cache-control'], 'no-store');
  t.match(response.body, /^\{"active":true,/, 'active is the first member');
  t.match(response.json(), {
    active: true,
    aud: STORE_APP,
    sub: RICHARD_ID,
    jti,
    scope: 'openid offline_access',
    applicationId: STORE_APP,
    roles: ['user'],
    exp: Number,
    iat: Number,
    iss: String,
    tid: String,
  });
});

t.test('the client may authenticate with HTTP Basic', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token } = await accessToken(app, STORE_APP, RICHARD_ID, 'openid');
  const response = await introspect(app, { token }, basic(STORE_APP, STORE_SECRET));
  t.equal(response.statusCode, 200);
  t.equal(response.json().active, true);
});

t.test('anything not live is only {"active":false}', async (t) => {
  let now = T0;
  const app = await buildMintedTokenApp(t, { now: () => now });
  const live = await accessToken(app, STORE_APP, RICHARD_ID, 'openid');
  const revoked = await accessToken(app, STORE_APP, RICHARD_ID, 'openid');
  app.standin.stores.revokedAccessTokens.revoke(revoked.jti, revoked.expiresAt);
  const inactive = async (token: string, label: string) => {
    const response = await introspect(app, { ...storeClient, token });
    t.equal(response.statusCode, 200, `${label}: 200`);
    t.equal(response.body, '{"active":false}', `${label}: only active=false`);
  };
  await inactive('total bs', 'garbage');
  await inactive(insertRefreshToken(app, STORE_APP, RICHARD_ID).value, 'a refresh token');
  await inactive(await idToken(app, STORE_APP, RICHARD_ID), 'an id token');
  await inactive(revoked.token, 'a revoked token');
  const forumsToken = await accessToken(app, FORUMS_APP, RICHARD_ID, 'openid');
  now = T0 + live.expiresIn * 1000;
  await inactive(live.token, 'an expired token');
  await inactive(forumsToken.token, "another client's expired token");
});

t.test('a live token of another client: 401, as FusionAuth answers', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token } = await accessToken(app, FORUMS_APP, RICHARD_ID, 'openid');
  const response = await introspect(app, { ...storeClient, token });
  t.equal(response.statusCode, 401);
  t.match(response.json(), { error: 'invalid_client' });
  t.notOk('active' in response.json(), 'nothing about the token');
});

t.test('the caller must authenticate (RFC 7662 §2.1)', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token } = await accessToken(app, STORE_APP, RICHARD_ID, 'openid');

  const noClient = await introspect(app, { token });
  t.equal(noClient.statusCode, 400);
  t.match(noClient.json(), { error: 'invalid_request', error_reason: 'missing_client_id' });

  const noSecret = await introspect(app, { client_id: STORE_APP, token });
  t.equal(noSecret.statusCode, 401);
  t.match(noSecret.json(), { error: 'invalid_client', error_reason: 'client_authentication_missing' });

  const wrongSecret = await introspect(app, { client_id: STORE_APP, client_secret: 'nope', token });
  t.equal(wrongSecret.statusCode, 401);
  t.match(wrongSecret.json(), { error: 'invalid_client', error_reason: 'invalid_client_authentication' });
  t.notOk(wrongSecret.body.includes('active'));

  const wrongBasic = await introspect(app, { token }, basic(STORE_APP, 'nope'));
  t.equal(wrongBasic.statusCode, 401);
  t.match(wrongBasic.headers['www-authenticate'], /^Basic /, 'a Basic challenge after Basic (RFC 6749 §5.2)');

  const unknown = await introspect(app, { client_id: 'cccccccc-0000-4000-8000-000000000000', client_secret: 'x', token });
  t.equal(unknown.statusCode, 401);
  t.match(unknown.json(), { error: 'invalid_client', error_reason: 'invalid_client_id' });

  const mismatch = await introspect(app, { client_id: FORUMS_APP, token }, basic(STORE_APP, STORE_SECRET));
  t.equal(mismatch.statusCode, 400, 'two different clients named: invalid request, as at the token endpoint');
  t.match(mismatch.json(), { error: 'invalid_request' });
});

t.test('a request without a token is invalid', async (t) => {
  const app = await buildMintedTokenApp(t);
  const response = await introspect(app, storeClient);
  t.equal(response.statusCode, 400);
  t.match(response.json(), { error: 'invalid_request', error_reason: 'missing_token' });
});

t.test('only a form body is accepted', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token } = await accessToken(app, STORE_APP, RICHARD_ID, 'openid');
  const response = await app.inject({
    method: 'POST',
    url: '/oauth2/introspect',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ ...storeClient, token }),
  });
  t.equal(response.statusCode, 400);
  t.match(response.json(), { error: 'invalid_request' });
});
