import { createSecretKey } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import t from 'tap';
import type { StandinApp } from '../../src/app.js';
import {
  accessToken,
  apiHeaders,
  buildMintedTokenApp,
  FORUMS_APP,
  idToken,
  insertSsoSession,
  RICHARD_ID,
  STORE_APP,
  STORE_SECRET,
  TENANT_ID,
} from '../helpers/fixtures.js';

// Access tokens, id tokens and vended JWTs are not interchangeable (RFC 8725 §3.12; docs/hardening-tokens.md):
// a JWT is a user's access token only when signed with the access-token key of its application or tenant.

async function generateKey(app: StandinApp, algorithm: string, name: string): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/key/generate', headers: apiHeaders(), payload: { key: { algorithm, name } } });
  return response.json().key.id;
}

/** Where each endpoint that takes a user's access token stands on `token`: true when it took it. */
async function acceptedBy(app: StandinApp, token: string): Promise<Record<string, boolean>> {
  const bearer = { authorization: `Bearer ${token}` };
  const introspect = await app.inject({
    method: 'POST',
    url: '/oauth2/introspect',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ client_id: STORE_APP, client_secret: STORE_SECRET, token }).toString(),
  });
  return {
    userinfo: (await app.inject({ url: '/oauth2/userinfo', headers: bearer })).statusCode === 200,
    introspect: introspect.json().active === true,
    'api/user': (await app.inject({ url: '/api/user', headers: bearer })).statusCode === 200,
    'api/jwt/validate': (await app.inject({ url: '/api/jwt/validate', headers: bearer })).statusCode === 200,
    'api/jwt/issue': [200, 202].includes((await app.inject({ url: `/api/jwt/issue?applicationId=${FORUMS_APP}`, headers: bearer })).statusCode),
    'app/me': (await app.inject({ url: '/app/me', cookies: { 'app.at': token } })).statusCode === 200,
  };
}

const everywhere = { userinfo: true, introspect: true, 'api/user': true, 'api/jwt/validate': true, 'api/jwt/issue': true, 'app/me': true };
const nowhere = { userinfo: false, introspect: false, 'api/user': false, 'api/jwt/validate': false, 'api/jwt/issue': false, 'app/me': false };

t.test('an access token is taken only when signed with its application’s or tenant’s access-token key', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { token } = await accessToken(app, STORE_APP, RICHARD_ID, 'openid email');
  t.same(await acceptedBy(app, token), everywhere, 'the real one, everywhere');

  // The same claims under another key Standin holds (one that signs nothing of this tenant's access tokens).
  const other = await generateKey(app, 'RS256', 'reports');
  const resigned = await app.standin.jwt.sign(other, decodeJwt(token));
  t.same(await acceptedBy(app, resigned), nowhere, 'another key’s signature: nowhere');

  // An application that signs with a key of its own: its tokens and its tenant's key are both its access-token keys.
  const store = app.standin.stores.applications.get(STORE_APP)!;
  app.standin.stores.applications.update({ ...store, jwtConfiguration: { ...store.jwtConfiguration, enabled: true, accessTokenKeyId: other } });
  const own = await accessToken(app, STORE_APP, RICHARD_ID, 'openid email');
  t.same(await acceptedBy(app, own.token), everywhere, 'signed with the application’s own access-token key');
  t.same(await acceptedBy(app, token), everywhere, 'and one signed with the tenant’s key before the change still is');
});

t.test('whoever holds an HMAC key’s secret cannot forge an access token with it unless it signs access tokens', async (t) => {
  const app = await buildMintedTokenApp(t);
  // An HS256 id-token key, as when id tokens are signed with a secret the client also knows.
  const hmac = await generateKey(app, 'HS256', 'forums id tokens');
  const forums = app.standin.stores.applications.get(FORUMS_APP)!;
  app.standin.stores.applications.update({ ...forums, jwtConfiguration: { ...forums.jwtConfiguration, enabled: true, idTokenKeyId: hmac } });
  const stored = app.standin.stores.keys.get(hmac)!;
  const secret = createSecretKey(Buffer.from(stored.privateKey!, 'base64'));
  const claims = decodeJwt((await accessToken(app, STORE_APP, RICHARD_ID, 'openid email')).token);
  const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: stored.key.kid }).sign(secret);
  t.same(await acceptedBy(app, forged), nowhere, 'an access token signed with the id-token secret: nowhere');
});

t.test('a vended JWT is validated, never a login', async (t) => {
  const app = await buildMintedTokenApp(t);
  const claims = decodeJwt((await accessToken(app, STORE_APP, RICHARD_ID, 'openid email')).token);
  const vended = await app.inject({ method: 'POST', url: '/api/jwt/vend', headers: apiHeaders(), payload: { claims } });
  t.equal(vended.statusCode, 200);
  t.same(await acceptedBy(app, vended.json().token), { ...nowhere, 'api/jwt/validate': true });
  const service = await app.inject({ method: 'POST', url: '/api/jwt/vend', headers: apiHeaders(), payload: { claims: { sub: 'batch-job' } } });
  t.equal(
    (await app.inject({ url: '/api/jwt/validate', headers: { authorization: `Bearer ${service.json().token}` } })).statusCode,
    200,
    'a free-form one validates',
  );
  const idKey = await generateKey(app, 'RS256', 'not for access tokens');
  const elsewhere = await app.inject({
    method: 'POST',
    url: '/api/jwt/vend',
    headers: apiHeaders(),
    payload: { keyId: idKey, claims: { sub: 'batch-job' } },
  });
  t.equal(elsewhere.statusCode, 200, 'the global key vends with any key');
  t.equal(
    (await app.inject({ url: '/api/jwt/validate', headers: { authorization: `Bearer ${elsewhere.json().token}` } })).statusCode,
    401,
    'but validate takes only access-token keys',
  );
});

t.test('logout: an access token signed with the id-token key is no hint; an HS256 id token is one', async (t) => {
  const app = await buildMintedTokenApp(t);
  const { cookie } = insertSsoSession(app, RICHARD_ID);
  const logout = (query: Record<string, string>) =>
    app.inject({ url: `/oauth2/logout?${new URLSearchParams(query)}`, cookies: { 'fusionauth.sso': cookie } });
  const tenantKeys = app.standin.stores.tenants.get(TENANT_ID)!.jwtConfiguration;
  t.equal(tenantKeys.accessTokenKeyId, tenantKeys.idTokenKeyId, 'one key signs both kinds here');
  const { token } = await accessToken(app, FORUMS_APP, RICHARD_ID);
  const refused = await logout({ id_token_hint: token, client_id: FORUMS_APP });
  t.equal(refused.statusCode, 400, 'an access token is no id_token_hint');
  t.match(refused.body, 'invalid_id_token_hint');
  t.ok(app.standin.stores.ssoSessions.byCookie(cookie), 'nothing ended');

  // Id tokens signed with an HMAC key go through the same verification (the signer's key lookup).
  const hmac = await generateKey(app, 'HS256', 'forums id tokens');
  const forums = app.standin.stores.applications.get(FORUMS_APP)!;
  app.standin.stores.applications.update({ ...forums, jwtConfiguration: { ...forums.jwtConfiguration, enabled: true, idTokenKeyId: hmac } });
  const hint = await idToken(app, FORUMS_APP, RICHARD_ID);
  const accepted = await logout({ id_token_hint: hint, client_id: FORUMS_APP });
  t.equal(accepted.statusCode, 200, 'an HS256 id token of the application is a hint: the logout page (the store has a logout URL to call)');
  t.notOk(app.standin.stores.ssoSessions.byCookie(cookie), 'and the session ended');
});

t.test('a tenant-bound key vends with any key its tenant or its applications sign with, and no other', async (t) => {
  const app = await buildMintedTokenApp(t);
  const bound = 'bound-to-the-default-tenant-0123456789abcdef';
  app.standin.stores.apiKeys.insert({ id: 'cccccccc-0000-4000-8000-0000000000aa', tenantId: TENANT_ID, insertInstant: 0 }, bound);
  const vend = (keyId: string) =>
    app.inject({ method: 'POST', url: '/api/jwt/vend', headers: { authorization: bound }, payload: { keyId, claims: { sub: RICHARD_ID } } });
  const own = await generateKey(app, 'ES256', 'store access tokens');
  const unrelated = await generateKey(app, 'RS256', 'nobody’s');
  t.equal((await vend(own)).statusCode, 400, 'a key no one in the tenant signs with yet: refused');
  const store = app.standin.stores.applications.get(STORE_APP)!;
  app.standin.stores.applications.update({ ...store, jwtConfiguration: { ...store.jwtConfiguration, enabled: true, accessTokenKeyId: own } });
  t.equal((await vend(own)).statusCode, 200, 'once an application of the tenant signs with it: allowed');
  t.equal(
    (await vend(app.standin.stores.tenants.get(TENANT_ID)!.jwtConfiguration.idTokenKeyId!)).statusCode,
    200,
    "the tenant's id-token key: allowed",
  );
  const refused = await vend(unrelated);
  t.equal(refused.statusCode, 400);
  t.same(Object.keys(refused.json().fieldErrors), ['keyId']);
});
