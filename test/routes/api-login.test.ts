import t from 'tap';
import { decodeJwt } from 'jose';
import {
  ALICE_ID,
  apiHeaders,
  BOB_ID,
  buildLoginApiApp,
  cookieOf,
  insertSsoSession,
  login,
  LOGIN_APP,
  movableClock,
  PASSWORD,
  PUBLIC_APP,
  T0,
} from '../helpers/fixtures.js';

t.test('a registered user gets a JWT, a refresh token, the user and both cookies', async (t) => {
  const app = await buildLoginApiApp(t);
  const response = await login(app, { loginId: 'alice@example.com', password: PASSWORD, applicationId: LOGIN_APP });
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^application\/json/);
  const body = response.json();
  t.same(Object.keys(body), ['refreshToken', 'refreshTokenId', 'token', 'tokenExpirationInstant', 'user']);
  t.equal(body.tokenExpirationInstant, T0 + 3600_000, 'milliseconds');
  t.equal(body.user.id, ALICE_ID);
  t.notOk('password' in body.user);
  t.equal(body.user.lastLoginInstant, T0, 'the login is recorded');
  const claims = decodeJwt(body.token);
  t.match(claims, {
    aud: LOGIN_APP,
    sub: ALICE_ID,
    applicationId: LOGIN_APP,
    roles: ['user'],
    authenticationType: 'PASSWORD',
    email: 'alice@example.com',
    sid: body.refreshTokenId,
  });
  t.same(cookieOf(response, 'access_token'), { name: 'access_token', value: body.token, path: '/', httpOnly: true, sameSite: 'Lax' });
  t.match(cookieOf(response, 'refresh_token'), { value: body.refreshToken, maxAge: 30 * 24 * 3600, httpOnly: true, sameSite: 'Lax' });
  t.equal(app.standin.stores.registrations.get(ALICE_ID, LOGIN_APP)?.lastLoginInstant, T0);

  const refreshed = await app.inject({ method: 'POST', url: '/api/jwt/refresh', payload: { refreshToken: body.refreshToken } });
  t.equal(refreshed.statusCode, 200, 'the refresh token works at /api/jwt/refresh');
});

t.test('a user not registered to the application gets 202, a JWT and no refresh token', async (t) => {
  const app = await buildLoginApiApp(t);
  const response = await login(app, { loginId: 'bob@example.com', password: PASSWORD, applicationId: LOGIN_APP });
  t.equal(response.statusCode, 202);
  const body = response.json();
  t.ok(body.token);
  t.notOk('refreshToken' in body);
  t.notOk(cookieOf(response, 'refresh_token'));
  t.notOk('applicationId' in decodeJwt(body.token), 'no applicationId or roles without a registration');
});

t.test('no refresh token unless loginConfiguration.generateRefreshTokens', async (t) => {
  const app = await buildLoginApiApp(t);
  const response = await login(app, { loginId: 'alice', password: PASSWORD, applicationId: PUBLIC_APP });
  t.equal(response.statusCode, 200);
  t.notOk('refreshToken' in response.json());
});

t.test('without an application: a JWT with no aud, and no refresh token', async (t) => {
  const app = await buildLoginApiApp(t);
  const response = await login(app, { loginId: 'alice', password: PASSWORD });
  t.equal(response.statusCode, 200);
  const body = response.json();
  t.notOk('refreshToken' in body);
  t.notOk('aud' in decodeJwt(body.token));
});

t.test('unknown user and wrong password: the same empty 404', async (t) => {
  const app = await buildLoginApiApp(t);
  const unknown = await login(app, { loginId: 'nobody@example.com', password: PASSWORD, applicationId: LOGIN_APP });
  const wrong = await login(app, { loginId: 'alice@example.com', password: 'wrong-password', applicationId: LOGIN_APP });
  for (const response of [unknown, wrong]) {
    t.equal(response.statusCode, 404);
    t.equal(response.body, '');
    t.notOk(response.headers['set-cookie']);
  }
});

t.test('the API key is required unless the application says requireAuthentication=false', async (t) => {
  const app = await buildLoginApiApp(t);
  const keyless = await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP }, {});
  t.equal(keyless.statusCode, 401);
  t.equal(keyless.body, '');
  t.equal((await login(app, { loginId: 'alice', password: PASSWORD }, {})).statusCode, 401, "the tenant's setting without an application");
  t.equal((await login(app, { loginId: 'alice', password: PASSWORD, applicationId: PUBLIC_APP }, {})).statusCode, 200);
  t.equal((await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP }, { authorization: 'wrong' })).statusCode, 401);
});

t.test('missing credentials and an unknown application are 400 field errors', async (t) => {
  const app = await buildLoginApiApp(t);
  const missing = await login(app, { applicationId: LOGIN_APP });
  t.equal(missing.statusCode, 400);
  t.same(Object.keys(missing.json().fieldErrors), ['loginId', 'password']);
  const unknownApp = await login(app, { loginId: 'alice', password: PASSWORD, applicationId: '00000000-0000-4000-8000-000000000000' });
  t.equal(unknownApp.statusCode, 400);
  t.ok(unknownApp.json().fieldErrors.applicationId);
});

t.test('noJWT records the login and issues nothing', async (t) => {
  const app = await buildLoginApiApp(t);
  const response = await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP, noJWT: true });
  t.equal(response.statusCode, 200);
  t.same(Object.keys(response.json()), ['user']);
  t.notOk(response.headers['set-cookie']);
});

t.test('ten consecutive failures lock the login id: 423, even with the right password, for five minutes', async (t) => {
  const clock = movableClock();
  const app = await buildLoginApiApp(t, { now: clock.now });
  for (let i = 0; i < 9; i++) t.equal((await login(app, { loginId: 'alice', password: 'nope', applicationId: LOGIN_APP })).statusCode, 404);
  t.equal((await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP })).statusCode, 200, 'a success resets the count');
  for (let i = 0; i < 10; i++) await login(app, { loginId: 'ALICE', password: 'nope', applicationId: LOGIN_APP });
  const locked = await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP });
  t.equal(locked.statusCode, 423);
  t.equal(locked.body, '');
  for (let i = 0; i < 10; i++) await login(app, { loginId: 'ghost@example.com', password: 'nope', applicationId: LOGIN_APP });
  t.equal(
    (await login(app, { loginId: 'ghost@example.com', password: 'x', applicationId: LOGIN_APP })).statusCode,
    423,
    'unknown login ids lock alike: no enumeration',
  );
  t.equal(
    (await login(app, { loginId: 'alice', password: PASSWORD, applicationId: PUBLIC_APP }, {})).statusCode,
    200,
    'another application is not locked',
  );
  clock.advance(5 * 60_000);
  t.equal((await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP })).statusCode, 200, 'the lock ends');
});

t.test('logout revokes the refresh token of the cookie and clears both cookies', async (t) => {
  const app = await buildLoginApiApp(t);
  const first = (await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP })).json();
  const second = (await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP })).json();
  const response = await app.inject({
    method: 'POST',
    url: '/api/logout',
    headers: { 'content-type': 'text/plain' },
    cookies: { refresh_token: first.refreshToken },
  });
  t.equal(response.statusCode, 200);
  t.equal(response.body, '');
  t.match(cookieOf(response, 'access_token'), { value: '', path: '/' });
  t.match(cookieOf(response, 'refresh_token'), { value: '', path: '/' });
  t.notOk(app.standin.stores.refreshTokens.get(first.refreshTokenId), 'revoked');
  t.ok(app.standin.stores.refreshTokens.get(second.refreshTokenId), 'the other token lives');
});

t.test('logout: the refreshToken named wins over the cookie, as FusionAuth documents', async (t) => {
  const app = await buildLoginApiApp(t);
  const inCookie = (await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP })).json();
  const named = (await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP })).json();
  const inBody = (await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP })).json();
  const query = await app.inject({
    method: 'POST',
    url: `/api/logout?refreshToken=${named.refreshToken}`,
    headers: { 'content-type': 'text/plain' },
    cookies: { refresh_token: inCookie.refreshToken },
  });
  t.equal(query.statusCode, 200);
  t.notOk(app.standin.stores.refreshTokens.get(named.refreshTokenId), 'the named token is revoked');
  t.ok(app.standin.stores.refreshTokens.get(inCookie.refreshTokenId), "the cookie's lives");
  await app.inject({
    method: 'POST',
    url: '/api/logout',
    payload: { refreshToken: inBody.refreshToken },
    cookies: { refresh_token: inCookie.refreshToken },
  });
  t.notOk(app.standin.stores.refreshTokens.get(inBody.refreshTokenId), 'in a JSON body too');
  t.ok(app.standin.stores.refreshTokens.get(inCookie.refreshTokenId));
});

t.test('logout global=true (query, text/plain, no body) revokes every refresh token and SSO session of the owner', async (t) => {
  const app = await buildLoginApiApp(t);
  const first = (await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP })).json();
  const second = (await login(app, { loginId: 'alice', password: PASSWORD, applicationId: LOGIN_APP })).json();
  insertSsoSession(app, ALICE_ID);
  const response = await app.inject({
    method: 'POST',
    url: `/api/logout?global=true&refreshToken=${first.refreshToken}`,
    headers: { 'content-type': 'text/plain' },
  });
  t.equal(response.statusCode, 200);
  t.notOk(app.standin.stores.refreshTokens.get(second.refreshTokenId));
  t.same(app.standin.stores.ssoSessions.ofUser(ALICE_ID), []);
});

t.test('logout with an unknown token or none still answers an empty 200', async (t) => {
  const app = await buildLoginApiApp(t);
  t.equal((await app.inject({ method: 'POST', url: '/api/logout?refreshToken=nope' })).statusCode, 200);
  t.equal((await app.inject({ method: 'POST', url: '/api/logout' })).statusCode, 200);
});

t.test('loginPing records the login: 200 registered, 202 not, 404 unknown user, 401 without a key', async (t) => {
  const clock = movableClock();
  const app = await buildLoginApiApp(t, { now: clock.now });
  clock.advance(1000);
  const ping = (userId: string, headers = apiHeaders()) =>
    app.inject({ method: 'PUT', url: `/api/login/${userId}/${LOGIN_APP}?ipAddress=127.0.0.1`, headers });
  const ok = await ping(ALICE_ID);
  t.equal(ok.statusCode, 200);
  t.equal(ok.json().user.lastLoginInstant, T0 + 1000);
  t.equal((await ping(BOB_ID)).statusCode, 202);
  const unknown = await ping('00000000-0000-4000-8000-000000000000');
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.body, '');
  t.equal((await ping(ALICE_ID, {})).statusCode, 401);
  const withBody = await app.inject({
    method: 'PUT',
    url: '/api/login',
    headers: apiHeaders(),
    payload: { userId: ALICE_ID, applicationId: LOGIN_APP },
  });
  t.equal(withBody.statusCode, 200, 'loginPingWithRequest');
});
