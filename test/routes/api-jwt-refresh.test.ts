import t from 'tap';
import type { Test } from 'tap';
import type { StandinApp } from '../../src/app.js';
import { APP, buildGrantApp, exchange, issueCode, movableClock, T0, type TokenAppOptions, USER, verifyJwt } from '../helpers/fixtures.js';

const MINUTE = 60_000;

async function login(t: Test, options: TokenAppOptions = {}) {
  const app = await buildGrantApp(t, options);
  const first = (await exchange(app, issueCode(app))).json();
  t.ok(first.refresh_token, 'set-up: a refresh token');
  return { app, first };
}

function post(app: StandinApp, body?: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/api/jwt/refresh',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

function cookieOf(response: { headers: Record<string, unknown> }, name: string): string | undefined {
  const cookies = [response.headers['set-cookie'] ?? []].flat() as string[];
  return cookies.find((cookie) => cookie.startsWith(`${name}=`));
}

t.test('a refresh by body answers {token, refreshToken, refreshTokenId} with no API key', async (t) => {
  const { app, first } = await login(t);
  const response = await post(app, { refreshToken: first.refresh_token });
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^application\/json/);
  const body = response.json();
  t.same(Object.keys(body).sort(), ['refreshToken', 'refreshTokenId', 'token']);
  t.equal(body.refreshToken, first.refresh_token, 'Reusable: the same value');
  t.equal(body.refreshTokenId, first.refresh_token_id);
  const { claims } = await verifyJwt(app, body.token);
  t.match(claims, {
    sub: USER,
    aud: APP,
    sid: first.refresh_token_id,
    gty: ['authorization_code', 'refresh_token'],
    authenticationType: 'REFRESH_TOKEN',
    applicationId: APP,
  });
});

t.test('sets the access_token session cookie and the refresh_token cookie for its remaining lifetime', async (t) => {
  const clock = movableClock();
  const { app, first } = await login(t, { now: clock.now, jwt: { refreshTokenTimeToLiveInMinutes: 60 } });
  clock.advance(15 * MINUTE);
  const response = await post(app, { refreshToken: first.refresh_token });
  const body = response.json();
  const access = cookieOf(response, 'access_token')!;
  const refresh = cookieOf(response, 'refresh_token')!;
  t.equal(access, `access_token=${body.token}; Path=/; HttpOnly; SameSite=Lax`, 'a session cookie: no Max-Age, no Expires, no Domain');
  t.match(refresh, new RegExp(`^refresh_token=${body.refreshToken}; `));
  t.match(refresh, /; Max-Age=2700(;|$)/, 'Fixed: 45 minutes left');
  t.match(refresh, new RegExp(`; Expires=${new Date(T0 + 60 * MINUTE).toUTCString()}`));
  for (const attribute of ['Path=/', 'HttpOnly', 'SameSite=Lax']) t.ok(refresh.split('; ').includes(attribute), attribute);
  t.notMatch(refresh, /Domain=|Secure/, 'host-only; no Secure over http');
});

t.test('the refresh_token cookie wins over the body', async (t) => {
  const { app, first } = await login(t);
  const cookie = await post(app, { refreshToken: 'bogus' }, { cookie: `refresh_token=${first.refresh_token}` });
  t.equal(cookie.statusCode, 200);
  const bogusCookie = await post(app, { refreshToken: first.refresh_token }, { cookie: 'refresh_token=bogus' });
  t.equal(bogusCookie.statusCode, 400, 'a bad cookie is not rescued by a good body');
});

t.test('empty bodies are accepted when the cookie carries the token', async (t) => {
  const { app, first } = await login(t);
  const cookie = { cookie: `refresh_token=${first.refresh_token}` };
  t.equal((await post(app, {}, cookie)).statusCode, 200, '{}');
  t.equal((await post(app, '', cookie)).statusCode, 200, 'empty with application/json');
  t.equal((await post(app, undefined, cookie)).statusCode, 200, 'no body at all');
  t.equal((await post(app, '', { ...cookie, 'content-type': 'text/plain' })).statusCode, 200, 'empty text/plain');
});

t.test("an unknown, missing or expired token is FusionAuth's 400 with field errors", async (t) => {
  const clock = movableClock();
  const { app, first } = await login(t, { now: clock.now, jwt: { refreshTokenTimeToLiveInMinutes: 10 } });
  const unknown = await post(app, { refreshToken: 'nope' });
  t.equal(unknown.statusCode, 400);
  t.same(Object.keys(unknown.json()).sort(), ['fieldErrors', 'generalErrors']);
  t.equal(unknown.json().fieldErrors.refreshToken[0].code, '[invalid]refreshToken');
  t.notOk(cookieOf(unknown, 'access_token'), 'no cookies on failure');
  const missing = await post(app, {});
  t.equal(missing.statusCode, 400);
  t.equal(missing.json().fieldErrors.refreshToken[0].code, '[blank]refreshToken');
  clock.advance(10 * MINUTE);
  t.equal((await post(app, { refreshToken: first.refresh_token })).statusCode, 400, 'expired');
});

t.test('timeToLiveInSeconds may shorten the token, not go past the configured lifetime', async (t) => {
  const { app, first } = await login(t);
  const short = await post(app, { refreshToken: first.refresh_token, timeToLiveInSeconds: 120 });
  t.equal(short.statusCode, 200);
  const { claims } = await verifyJwt(app, short.json().token);
  t.equal(claims.exp! - claims.iat!, 120);
  const long = await post(app, { refreshToken: first.refresh_token, timeToLiveInSeconds: 3601 });
  t.equal(long.statusCode, 400);
  t.equal(long.json().fieldErrors.timeToLiveInSeconds[0].code, '[invalid]timeToLiveInSeconds');
});

t.test('the same rules as the grant: OneTimeUse rotates, keeps the id, and refuses the old value', async (t) => {
  const { app, first } = await login(t, {
    jwt: { refreshTokenUsagePolicy: 'OneTimeUse', refreshTokenRevocationPolicy: { onOneTimeTokenReuse: true } },
  });
  const second = (await post(app, { refreshToken: first.refresh_token })).json();
  t.not(second.refreshToken, first.refresh_token);
  t.equal(second.refreshTokenId, first.refresh_token_id);
  const third = await post(app, {}, { cookie: `refresh_token=${second.refreshToken}` });
  t.equal(third.statusCode, 200);
  t.match(cookieOf(third, 'refresh_token'), new RegExp(`^refresh_token=${third.json().refreshToken};`), 'the cookie carries the successor');
  t.equal((await post(app, { refreshToken: first.refresh_token })).statusCode, 400, 'reuse of a rotated value');
  t.equal((await post(app, { refreshToken: third.json().refreshToken })).statusCode, 400, 'onOneTimeTokenReuse revoked the family');
});

t.test("SlidingWindow moves the refresh cookie's Max-Age", async (t) => {
  const clock = movableClock();
  const { app, first } = await login(t, {
    now: clock.now,
    jwt: { refreshTokenTimeToLiveInMinutes: 10, refreshTokenExpirationPolicy: 'SlidingWindow' },
  });
  clock.advance(5 * MINUTE);
  t.match(cookieOf(await post(app, { refreshToken: first.refresh_token }), 'refresh_token'), /; Max-Age=600(;|$)/);
});

t.test('the user must still be active', async (t) => {
  const { app, first } = await login(t);
  const user = app.standin.stores.users.get(USER)!;
  app.standin.stores.users.update({ ...user, active: false });
  t.equal((await post(app, { refreshToken: first.refresh_token })).statusCode, 400);
});
