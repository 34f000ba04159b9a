import { createHash } from 'node:crypto';
import t from 'tap';
import type { AddressInfo } from 'node:net';
import {
  APP,
  assertOAuthError,
  basic,
  buildGrantApp,
  challengeOf,
  exchange,
  formBody,
  issueCode,
  movableClock,
  OTHER_APP,
  OTHER_SECRET,
  postToken,
  REDIRECT,
  refresh,
  SECRET,
  SSO_SESSION,
  T0,
  TENANT_ID,
  UNREGISTERED_USER,
  USER,
  VERIFIER,
  verifyJwt,
} from '../helpers/fixtures.js';

const halfHash = (value: string) => createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');

t.test("a code exchange answers FusionAuth's token response, no-store", async (t) => {
  const app = await buildGrantApp(t);
  const response = await exchange(app, issueCode(app, { scope: 'openid offline_access' }));
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^application\/json/);
  t.equal(response.headers['cache-control'], 'no-store');
  t.equal(response.headers.pragma, 'no-cache');
  const body = response.json();
  t.same(Object.keys(body), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'refresh_token_id', 'scope', 'token_type', 'userId']);
  t.match(body, { expires_in: 3600, scope: 'openid offline_access', token_type: 'Bearer', userId: USER });
  t.match(body.refresh_token, /^[A-Za-z0-9_-]{43}$/, '256 random bits, base64url');
});

t.test("the access token verifies against the JWKS and carries FusionAuth's claims", async (t) => {
  const app = await buildGrantApp(t);
  const body = (await exchange(app, issueCode(app))).json();
  const { claims, kid } = await verifyJwt(app, body.access_token);
  const key = app.standin.stores.keys.get(app.standin.stores.tenants.get(TENANT_ID)!.jwtConfiguration.accessTokenKeyId!)!;
  t.equal(kid, key.key.kid, 'signed with the tenant key, kid in the header');
  t.match(claims, {
    aud: APP,
    iss: 'http://localhost:9011',
    sub: USER,
    iat: T0 / 1000,
    exp: T0 / 1000 + 3600,
    authenticationType: 'PASSWORD',
    applicationId: APP,
    roles: ['user'],
    scope: 'openid offline_access',
    auth_time: (T0 - 5000) / 1000,
    tid: TENANT_ID,
    gty: ['authorization_code'],
    sid: body.refresh_token_id,
  });
  t.match(claims.jti, /^[0-9a-f-]{36}$/);
  t.notOk('email' in claims, 'Strict: no identity claims in the access token');
});

t.test('the id token has nonce, at_hash, c_hash, the SSO session id and no roles', async (t) => {
  const app = await buildGrantApp(t);
  const code = issueCode(app, { nonce: 'n-0S6_WzA2Mj' });
  const body = (await exchange(app, code)).json();
  const { claims } = await verifyJwt(app, body.id_token);
  t.match(claims, { aud: APP, sub: USER, nonce: 'n-0S6_WzA2Mj', sid: SSO_SESSION, auth_time: (T0 - 5000) / 1000, tid: TENANT_ID });
  t.equal(claims.at_hash, halfHash(body.access_token));
  t.equal(claims.c_hash, halfHash(code));
  t.notOk('roles' in claims || 'applicationId' in claims);
});

t.test('applicationId and roles only when the user is registered', async (t) => {
  const app = await buildGrantApp(t);
  const body = (await exchange(app, issueCode(app, { userId: UNREGISTERED_USER }))).json();
  const { claims } = await verifyJwt(app, body.access_token);
  t.equal(claims.sub, UNREGISTERED_USER);
  t.notOk('applicationId' in claims);
  t.notOk('roles' in claims);
});

t.test('a refresh token only with offline_access and generateRefreshTokens; an id token only with openid', async (t) => {
  const app = await buildGrantApp(t);
  const noOffline = (await exchange(app, issueCode(app, { scope: 'openid' }))).json();
  t.notOk('refresh_token' in noOffline || 'refresh_token_id' in noOffline, 'no offline_access, no refresh token');
  t.ok(noOffline.id_token);
  const { claims } = await verifyJwt(app, noOffline.access_token);
  t.notOk('sid' in claims, 'without a refresh token the access token has no sid (FusionAuth)');
  const noOpenid = (await exchange(app, issueCode(app, { scope: 'offline_access' }))).json();
  t.notOk('id_token' in noOpenid, 'no openid, no id token');
  t.ok(noOpenid.refresh_token);

  const disabled = await buildGrantApp(t, { oauth: { generateRefreshTokens: false } });
  const body = (await exchange(disabled, issueCode(disabled))).json();
  t.notOk('refresh_token' in body || 'refresh_token_id' in body, 'generateRefreshTokens false: no refresh token');
  t.equal(disabled.standin.stores.refreshTokens.ofUser(USER).length, 0);
});

t.test('a code can be used once', async (t) => {
  const app = await buildGrantApp(t);
  const code = issueCode(app);
  t.equal((await exchange(app, code)).statusCode, 200);
  assertOAuthError(t, await exchange(app, code), 400, 'invalid_request', 'auth_code_not_found');
  assertOAuthError(t, await exchange(app, 'no-such-code'), 400, 'invalid_request', 'auth_code_not_found');
});

t.test("a code expires after the tenant's authorizationGrantIdTimeToLiveInSeconds (30 s by default)", async (t) => {
  const clock = movableClock();
  const app = await buildGrantApp(t, { now: clock.now });
  const early = issueCode(app);
  const late = issueCode(app);
  clock.advance(29_999);
  t.equal((await exchange(app, early)).statusCode, 200, 'alive just before 30 s');
  clock.advance(1);
  assertOAuthError(t, await exchange(app, late), 400, 'invalid_request', 'auth_code_not_found');

  const slowClock = movableClock();
  const slow = await buildGrantApp(t, {
    now: slowClock.now,
    tenant: { externalIdentifierConfiguration: { authorizationGrantIdTimeToLiveInSeconds: 120 } },
  });
  const code = issueCode(slow);
  slowClock.advance(119_000);
  t.equal((await exchange(slow, code)).statusCode, 200, 'a 120 s tenant TTL');
});

t.test('code and redirect_uri are required, and redirect_uri must be the authorize one', async (t) => {
  const app = await buildGrantApp(t);
  assertOAuthError(
    t,
    await postToken(app, { grant_type: 'authorization_code', redirect_uri: REDIRECT, client_id: APP, client_secret: SECRET }),
    400,
    'invalid_request',
    'missing_code',
  );
  const code = issueCode(app);
  assertOAuthError(
    t,
    await postToken(app, { grant_type: 'authorization_code', code, client_id: APP, client_secret: SECRET }),
    400,
    'invalid_request',
    'missing_redirect_uri',
  );
  assertOAuthError(t, await exchange(app, code, { redirect_uri: `${REDIRECT}/` }), 400, 'invalid_request', 'auth_code_not_found');
  assertOAuthError(t, await exchange(app, code), 400, 'invalid_request', 'auth_code_not_found');
  // a mismatched redirect_uri consumes the code, as FusionAuth deletes it.
});

t.test('redirect_uri: an empty path equals "/" (RFC 3986 §6.2.3), nothing else is normalised', async (t) => {
  const app = await buildGrantApp(t);
  const bare = 'https://store.example.com';
  t.equal((await exchange(app, issueCode(app, { redirectUri: bare }), { redirect_uri: `${bare}/` })).statusCode, 200);
  t.equal((await exchange(app, issueCode(app, { redirectUri: `${bare}/` }), { redirect_uri: bare })).statusCode, 200);
  for (const nearMiss of [`${bare}//`, `${bare}/callback`, 'https://STORE.example.com/', `${bare}:443/`, `${bare}/?x=1`]) {
    assertOAuthError(
      t,
      await exchange(app, issueCode(app, { redirectUri: bare }), { redirect_uri: nearMiss }),
      400,
      'invalid_request',
      'auth_code_not_found',
    );
  }
});

t.test('PKCE S256', async (t) => {
  const app = await buildGrantApp(t);
  const withChallenge = () => issueCode(app, { codeChallenge: challengeOf(VERIFIER) });
  t.equal((await exchange(app, withChallenge(), { code_verifier: VERIFIER })).statusCode, 200, 'the right verifier');
  assertOAuthError(
    t,
    await exchange(app, withChallenge(), { code_verifier: VERIFIER.replace('d', 'e') }),
    400,
    'invalid_request',
    'auth_code_not_found',
  );
  assertOAuthError(t, await exchange(app, withChallenge()), 400, 'invalid_request', 'auth_code_not_found');
  assertOAuthError(t, await exchange(app, issueCode(app), { code_verifier: VERIFIER }), 400, 'invalid_request', 'auth_code_not_found');
  // a verifier for a code issued without a challenge is a refused downgrade.
  for (const bad of ['a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)} `, `${'a'.repeat(42)}+`]) {
    assertOAuthError(t, await exchange(app, withChallenge(), { code_verifier: bad }), 400, 'invalid_request', 'invalid_pkce_code_verifier');
  }
  t.equal((await exchange(app, withChallenge(), { code_verifier: 'a'.repeat(43) })).statusCode, 400, 'right format, wrong value');
  const code = withChallenge();
  await exchange(app, code, { code_verifier: 'x'.repeat(50) });
  assertOAuthError(t, await exchange(app, code, { code_verifier: VERIFIER }), 400, 'invalid_request', 'auth_code_not_found');
  // a wrong verifier consumes the code, as FusionAuth deletes it.
});

t.test('proofKeyForCodeExchangePolicy', async (t) => {
  const required = await buildGrantApp(t, { oauth: { proofKeyForCodeExchangePolicy: 'Required' } });
  assertOAuthError(t, await exchange(required, issueCode(required)), 400, 'invalid_request', 'auth_code_not_found');
  t.equal((await exchange(required, issueCode(required, { codeChallenge: challengeOf(VERIFIER) }), { code_verifier: VERIFIER })).statusCode, 200);

  const unlessAuthenticated = await buildGrantApp(t, {
    oauth: { proofKeyForCodeExchangePolicy: 'NotRequiredWhenUsingClientAuthentication', clientAuthenticationPolicy: 'NotRequired' },
  });
  t.equal((await exchange(unlessAuthenticated, issueCode(unlessAuthenticated))).statusCode, 200, 'authenticated client, no PKCE');
  const anonymous = await postToken(unlessAuthenticated, {
    grant_type: 'authorization_code',
    code: issueCode(unlessAuthenticated),
    redirect_uri: REDIRECT,
    client_id: APP,
  });
  assertOAuthError(t, anonymous, 400, 'invalid_request', 'auth_code_not_found');
});

t.test('clientAuthenticationPolicy Required', async (t) => {
  const app = await buildGrantApp(t);
  const form = (code: string) => ({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });

  const ok = await postToken(app, form(issueCode(app)), basic(APP, SECRET));
  t.equal(ok.statusCode, 200, 'Basic');
  t.equal((await postToken(app, { ...form(issueCode(app)), client_id: APP }, basic(APP, SECRET))).statusCode, 200, 'Basic and the same client_id');
  t.equal((await exchange(app, issueCode(app))).statusCode, 200, 'client_secret in the body');

  const none = await postToken(app, { ...form(issueCode(app)), client_id: APP });
  assertOAuthError(t, none, 401, 'invalid_client', 'client_authentication_missing');
  t.notOk(none.headers['www-authenticate'], 'no Basic, no WWW-Authenticate');

  const wrongBasic = await postToken(app, form(issueCode(app)), basic(APP, 'wrong'));
  assertOAuthError(t, wrongBasic, 401, 'invalid_client', 'invalid_client_authentication');
  t.match(wrongBasic.headers['www-authenticate'], /^Basic realm="[^"]+"$/);

  const wrongBody = await exchange(app, issueCode(app), { client_secret: 'wrong' });
  assertOAuthError(t, wrongBody, 401, 'invalid_client', 'invalid_client_authentication');
  t.notOk(wrongBody.headers['www-authenticate']);

  const both = await postToken(app, { ...form(issueCode(app)), client_id: APP, client_secret: SECRET }, basic(APP, SECRET));
  assertOAuthError(t, both, 400, 'invalid_request');
  const differing = await postToken(app, { ...form(issueCode(app)), client_id: OTHER_APP }, basic(APP, SECRET));
  assertOAuthError(t, differing, 400, 'invalid_request');

  const unknown = await postToken(app, form(issueCode(app)), basic('cccccccc-9999-4000-8000-000000000009', SECRET));
  assertOAuthError(t, unknown, 401, 'invalid_client', 'invalid_client_id');
  t.ok(unknown.headers['www-authenticate']);
  assertOAuthError(t, await exchange(app, issueCode(app), { client_id: 'not-a-client' }), 401, 'invalid_client', 'invalid_client_id');
  assertOAuthError(t, await postToken(app, form(issueCode(app)), { authorization: 'Basic !!!' }), 401, 'invalid_client');
  assertOAuthError(
    t,
    await postToken(app, form(issueCode(app)), { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }),
    401,
    'invalid_client',
  );

  const inQuery = await app.inject({
    method: 'POST',
    url: `/oauth2/token?client_secret=${SECRET}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: formBody({ ...form(issueCode(app)), client_id: APP }),
  });
  assertOAuthError(t, inQuery, 400, 'invalid_request');
});

t.test('Basic credentials are form-urlencoded before base64 (RFC 6749 App. B)', async (t) => {
  const secret = 'a:b+c %d/é';
  const app = await buildGrantApp(t, { oauth: { clientSecret: secret } });
  const response = await postToken(app, { grant_type: 'authorization_code', code: issueCode(app), redirect_uri: REDIRECT }, basic(APP, secret));
  t.equal(response.statusCode, 200);
  const plus = `Basic ${Buffer.from(`${APP}:${encodeURIComponent(secret).replace(/%20/g, '+')}`).toString('base64')}`;
  t.equal(
    (await postToken(app, { grant_type: 'authorization_code', code: issueCode(app), redirect_uri: REDIRECT }, { authorization: plus })).statusCode,
    200,
    '+ is a space',
  );
});

t.test('clientAuthenticationPolicy NotRequired: no secret is fine, a wrong one is not', async (t) => {
  const app = await buildGrantApp(t, { oauth: { clientAuthenticationPolicy: 'NotRequired' } });
  const form = { grant_type: 'authorization_code', redirect_uri: REDIRECT, client_id: APP };
  t.equal((await postToken(app, { ...form, code: issueCode(app) })).statusCode, 200);
  assertOAuthError(
    t,
    await postToken(app, { ...form, code: issueCode(app), client_secret: 'wrong' }),
    401,
    'invalid_client',
    'invalid_client_authentication',
  );
  t.equal((await postToken(app, { ...form, code: issueCode(app), client_secret: SECRET })).statusCode, 200);
});

t.test('clientAuthenticationPolicy NotRequiredWhenUsingPKCE', async (t) => {
  const app = await buildGrantApp(t, { oauth: { clientAuthenticationPolicy: 'NotRequiredWhenUsingPKCE' } });
  const form = { grant_type: 'authorization_code', redirect_uri: REDIRECT, client_id: APP };
  const pkce = await postToken(app, { ...form, code: issueCode(app, { codeChallenge: challengeOf(VERIFIER) }), code_verifier: VERIFIER });
  t.equal(pkce.statusCode, 200, 'a code with a challenge needs no secret');
  assertOAuthError(t, await postToken(app, { ...form, code: issueCode(app) }), 401, 'invalid_client', 'client_authentication_missing');
  t.equal((await postToken(app, { ...form, code: issueCode(app), client_secret: SECRET })).statusCode, 200, 'without PKCE, with the secret');
  assertOAuthError(t, await refresh(app, pkce.json().refresh_token, { client_secret: '' }), 401, 'invalid_client', 'client_authentication_missing');
  // the refresh grant still needs the secret, as FusionAuth.
});

t.test('a failed client authentication does not consume the code', async (t) => {
  const app = await buildGrantApp(t);
  const code = issueCode(app);
  assertOAuthError(t, await exchange(app, code, { client_secret: 'wrong' }), 401, 'invalid_client');
  assertOAuthError(t, await exchange(app, code, { client_secret: '' }), 401, 'invalid_client');
  t.equal((await exchange(app, code)).statusCode, 200);
});

t.test('grant_type: missing, unknown, disabled', async (t) => {
  const app = await buildGrantApp(t, { oauth: { enabledGrants: ['refresh_token'] } });
  const auth = { client_id: APP, client_secret: SECRET };
  assertOAuthError(t, await postToken(app, auth), 400, 'invalid_request', 'missing_grant_type');
  assertOAuthError(t, await postToken(app, { ...auth, grant_type: 'magic' }), 400, 'unsupported_grant_type', 'invalid_grant_type');
  // Served, but not enabled for this client (RFC 9700 §2.4).
  assertOAuthError(
    t,
    await postToken(app, { ...auth, grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'x' }),
    400,
    'unauthorized_client',
    'grant_type_disabled',
  );
  assertOAuthError(
    t,
    await postToken(app, { ...auth, grant_type: 'password', username: 'richard@example.com', password: 'password1' }),
    400,
    'unauthorized_client',
    'grant_type_disabled',
  );
  assertOAuthError(t, await postToken(app, { ...auth, grant_type: 'client_credentials' }), 400, 'unauthorized_client', 'grant_type_disabled');
  const code = issueCode(app);
  assertOAuthError(t, await exchange(app, code), 400, 'unauthorized_client', 'grant_type_disabled');
});

t.test("another client's code is refused (and burnt, as FusionAuth deletes it)", async (t) => {
  const app = await buildGrantApp(t);
  const code = issueCode(app);
  const stolen = await postToken(app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, basic(OTHER_APP, OTHER_SECRET));
  assertOAuthError(t, stolen, 400, 'invalid_request', 'auth_code_not_found');
  assertOAuthError(t, await exchange(app, code), 400, 'invalid_request', 'auth_code_not_found');
});

t.test('a valid replay revokes the refresh token and the access token the code issued', async (t) => {
  const app = await buildGrantApp(t);
  const code = issueCode(app);
  const first = (await exchange(app, code)).json();
  const { claims } = await verifyJwt(app, first.access_token);
  t.notOk(app.standin.stores.revokedAccessTokens.isRevoked(claims.jti!));
  assertOAuthError(t, await exchange(app, code), 400, 'invalid_request', 'auth_code_not_found');
  t.ok(app.standin.stores.revokedAccessTokens.isRevoked(claims.jti!), 'the access token jti is recorded as revoked');
  t.equal(app.standin.stores.refreshTokens.get(first.refresh_token_id), undefined, 'the refresh token family is gone');
  assertOAuthError(t, await refresh(app, first.refresh_token), 400, 'invalid_grant', 'refresh_token_not_found');
});

t.test('an invalid replay revokes nothing (RFC 6749 §10.5)', async (t) => {
  const app = await buildGrantApp(t, { oauth: { clientAuthenticationPolicy: 'NotRequiredWhenUsingPKCE' } });
  const code = issueCode(app, { codeChallenge: challengeOf(VERIFIER) });
  const first = (await exchange(app, code, { code_verifier: VERIFIER })).json();
  const { claims } = await verifyJwt(app, first.access_token);
  const replays = [
    exchange(app, code, { code_verifier: 'w'.repeat(43) }),
    exchange(app, code, { code_verifier: VERIFIER, client_secret: 'wrong' }),
    exchange(app, code),
    exchange(app, code, { code_verifier: VERIFIER, redirect_uri: 'https://evil.example/cb' }),
    postToken(app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: VERIFIER }, basic(OTHER_APP, OTHER_SECRET)),
  ];
  for (const replay of replays) t.ok([400, 401].includes((await replay).statusCode));
  t.notOk(app.standin.stores.revokedAccessTokens.isRevoked(claims.jti!));
  t.equal((await refresh(app, first.refresh_token)).statusCode, 200, 'the refresh token still works');
});

t.test('the user must still exist and be active', async (t) => {
  const app = await buildGrantApp(t);
  const code = issueCode(app);
  const user = app.standin.stores.users.get(USER)!;
  app.standin.stores.users.update({ ...user, active: false });
  assertOAuthError(t, await exchange(app, code), 400, 'invalid_request', 'auth_code_not_found');
  app.standin.stores.users.update(user);
  const other = issueCode(app);
  app.standin.stores.users.delete(USER);
  assertOAuthError(t, await exchange(app, other), 400, 'invalid_request', 'auth_code_not_found');
});

t.test('only form bodies; duplicate parameters and GET are refused', async (t) => {
  const app = await buildGrantApp(t);
  const code = issueCode(app);
  const json = await app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: APP, client_secret: SECRET }),
  });
  assertOAuthError(t, json, 400, 'invalid_request');
  assertOAuthError(t, await exchange(app, code, { grant_type: ['authorization_code', 'authorization_code'] } as never), 400, 'invalid_request');
  assertOAuthError(
    t,
    await postToken(app, { grant_type: 'authorization_code', code: [code, code], redirect_uri: REDIRECT, client_id: APP, client_secret: SECRET }),
    400,
    'invalid_request',
  );
  const get = await app.inject({
    method: 'GET',
    url: `/oauth2/token?grant_type=authorization_code&code=${code}&redirect_uri=${REDIRECT}&client_id=${APP}`,
  });
  t.ok(get.statusCode >= 400 && get.statusCode < 500, 'GET is a 4xx');
  t.notMatch(get.body, /access_token/);
  t.equal((await exchange(app, code)).statusCode, 200, 'none of that consumed the code');
});

t.test('20 concurrent exchanges of one code: exactly one 200 (inject)', async (t) => {
  const app = await buildGrantApp(t);
  const code = issueCode(app);
  const responses = await Promise.all(Array.from({ length: 20 }, () => exchange(app, code)));
  t.equal(responses.filter((r) => r.statusCode === 200).length, 1);
  // The 19 others are valid replays of a used code, so they revoke what the winner got (RFC 6749 §4.1.2).
  t.equal(app.standin.stores.refreshTokens.ofUser(USER).length, 0, "the winner's refresh token is revoked by the replays");
});

t.test('20 concurrent exchanges of one code over real HTTP: exactly one 200', async (t) => {
  const app = await buildGrantApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const code = issueCode(app);
  const body = formBody({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: APP, client_secret: SECRET });
  const statuses = await Promise.all(
    Array.from({ length: 20 }, () =>
      fetch(`http://127.0.0.1:${port}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }).then(
        (r) => r.status,
      ),
    ),
  );
  t.equal(statuses.filter((s) => s === 200).length, 1);
  t.equal(statuses.filter((s) => s === 400).length, 19);
});
