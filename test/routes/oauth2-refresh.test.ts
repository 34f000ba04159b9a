import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import type { Test } from 'tap';
import type { StandinApp } from '../../src/app.js';
import { hashSecret } from '../../src/store/secrets.js';
import {
  APP,
  assertOAuthError,
  basic,
  buildEmptyApp,
  buildGrantApp,
  exchange,
  formBody,
  issueCode,
  movableClock,
  OTHER_APP,
  OTHER_SECRET,
  postToken,
  refresh,
  SECRET,
  SSO_SESSION,
  T0,
  TENANT_ID,
  testKickstart,
  type TokenAppOptions,
  USER,
  verifyJwt,
} from '../helpers/fixtures.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';

const MINUTE = 60_000;

/** Logs in through a code and returns the first token response. */
async function login(t: Test, options: TokenAppOptions = {}, scope = 'openid offline_access') {
  const app = await buildGrantApp(t, options);
  const first = (await exchange(app, issueCode(app, { scope }))).json();
  t.ok(first.refresh_token, 'set-up: a refresh token');
  return { app, first };
}

t.test("Reusable: the same refresh token and id, a new access token with FusionAuth's refreshed claims", async (t) => {
  const clock = movableClock();
  const { app, first } = await login(t, { now: clock.now });
  clock.advance(10 * MINUTE);
  const response = await refresh(app, first.refresh_token);
  t.equal(response.statusCode, 200);
  t.equal(response.headers['cache-control'], 'no-store');
  const body = response.json();
  t.same(Object.keys(body), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'refresh_token_id', 'scope', 'token_type', 'userId']);
  t.match(body, {
    refresh_token: first.refresh_token,
    refresh_token_id: first.refresh_token_id,
    scope: 'openid offline_access',
    token_type: 'Bearer',
    userId: USER,
    expires_in: 3600,
  });
  const { claims } = await verifyJwt(app, body.access_token);
  t.match(claims, {
    sub: USER,
    aud: APP,
    iat: (T0 + 10 * MINUTE) / 1000,
    auth_time: (T0 - 5000) / 1000,
    gty: ['authorization_code', 'refresh_token'],
    authenticationType: 'REFRESH_TOKEN',
    sid: first.refresh_token_id,
    applicationId: APP,
    roles: ['user'],
    tid: TENANT_ID,
  });
  const { claims: id } = await verifyJwt(app, body.id_token);
  t.match(id, { sub: USER, auth_time: (T0 - 5000) / 1000, sid: SSO_SESSION });
  t.notOk('nonce' in id, 'no nonce on a refreshed id token (OIDC Core §12.2)');
  t.equal((await refresh(app, first.refresh_token)).statusCode, 200, 'and again');
});

t.test('no id token when the scope has no openid', async (t) => {
  const { app, first } = await login(t, {}, 'offline_access');
  const body = (await refresh(app, first.refresh_token)).json();
  t.notOk('id_token' in body);
  t.equal(body.scope, 'offline_access');
});

t.test('OneTimeUse: a new value each time, the same id; the old value is refused', async (t) => {
  const { app, first } = await login(t, { jwt: { refreshTokenUsagePolicy: 'OneTimeUse' } });
  const second = (await refresh(app, first.refresh_token)).json();
  t.not(second.refresh_token, first.refresh_token);
  t.equal(second.refresh_token_id, first.refresh_token_id, 'refreshTokenId is constant across rotations');
  const third = (await refresh(app, second.refresh_token)).json();
  t.equal(third.refresh_token_id, first.refresh_token_id);
  t.equal((await verifyJwt(app, third.access_token)).claims.sid, first.refresh_token_id, 'sid stays the same');
  assertOAuthError(t, await refresh(app, first.refresh_token), 400, 'invalid_grant', 'refresh_token_not_found');
  assertOAuthError(t, await refresh(app, second.refresh_token), 400, 'invalid_grant', 'refresh_token_not_found');
  t.equal((await refresh(app, third.refresh_token)).statusCode, 200, 'onOneTimeTokenReuse false: the current value still works');
});

t.test('OneTimeUse with onOneTimeTokenReuse: reusing a rotated value revokes the family', async (t) => {
  const { app, first } = await login(t, {
    jwt: { refreshTokenUsagePolicy: 'OneTimeUse', refreshTokenRevocationPolicy: { onOneTimeTokenReuse: true } },
  });
  const second = (await refresh(app, first.refresh_token)).json();
  assertOAuthError(t, await refresh(app, first.refresh_token), 400, 'invalid_grant', 'refresh_token_not_found');
  assertOAuthError(t, await refresh(app, second.refresh_token), 400, 'invalid_grant', 'refresh_token_not_found');
  t.equal(app.standin.stores.refreshTokens.get(first.refresh_token_id), undefined);
});

t.test('Fixed expiration: use does not move the expiry', async (t) => {
  const clock = movableClock();
  const { app, first } = await login(t, { now: clock.now, jwt: { refreshTokenTimeToLiveInMinutes: 10, refreshTokenExpirationPolicy: 'Fixed' } });
  clock.advance(9 * MINUTE);
  t.equal((await refresh(app, first.refresh_token)).statusCode, 200);
  clock.set(T0 + 10 * MINUTE);
  assertOAuthError(t, await refresh(app, first.refresh_token), 400, 'invalid_grant', 'refresh_token_not_found');
});

t.test('SlidingWindow expiration: each use restarts the TTL', async (t) => {
  const clock = movableClock();
  const { app, first } = await login(t, {
    now: clock.now,
    jwt: { refreshTokenTimeToLiveInMinutes: 10, refreshTokenExpirationPolicy: 'SlidingWindow' },
  });
  clock.advance(8 * MINUTE);
  t.equal((await refresh(app, first.refresh_token)).statusCode, 200);
  clock.advance(9 * MINUTE);
  t.equal((await refresh(app, first.refresh_token)).statusCode, 200, '17 min after issue, 9 after the last use');
  clock.advance(10 * MINUTE);
  assertOAuthError(t, await refresh(app, first.refresh_token), 400, 'invalid_grant', 'refresh_token_not_found');
});

t.test('SlidingWindowWithMaximumLifetime: sliding, but never past the maximum', async (t) => {
  const clock = movableClock();
  const jwt = {
    refreshTokenTimeToLiveInMinutes: 10,
    refreshTokenExpirationPolicy: 'SlidingWindowWithMaximumLifetime',
    refreshTokenSlidingWindowConfiguration: { maximumTimeToLiveInMinutes: 15 },
  };
  const { app, first } = await login(t, { now: clock.now, jwt });
  clock.advance(8 * MINUTE);
  t.equal((await refresh(app, first.refresh_token)).statusCode, 200);
  clock.set(T0 + 14 * MINUTE);
  t.equal((await refresh(app, first.refresh_token)).statusCode, 200, 'slid past the first 10 minutes');
  clock.set(T0 + 15 * MINUTE);
  assertOAuthError(t, await refresh(app, first.refresh_token), 400, 'invalid_grant', 'refresh_token_not_found');
});

t.test('expiration policies hold with OneTimeUse rotation too', async (t) => {
  const clock = movableClock();
  const { app, first } = await login(t, { now: clock.now, jwt: { refreshTokenTimeToLiveInMinutes: 10, refreshTokenUsagePolicy: 'OneTimeUse' } });
  clock.advance(9 * MINUTE);
  const second = (await refresh(app, first.refresh_token)).json();
  clock.advance(MINUTE);
  assertOAuthError(t, await refresh(app, second.refresh_token), 400, 'invalid_grant', 'refresh_token_not_found');
  // Fixed: rotation does not extend the family.
});

t.test('scope may narrow, never widen; the refresh token keeps its scope', async (t) => {
  const { app, first } = await login(t, {}, 'openid email offline_access');
  const narrow = (await refresh(app, first.refresh_token, { scope: 'offline_access' })).json();
  t.equal(narrow.scope, 'offline_access');
  t.notOk('id_token' in narrow);
  t.equal((await verifyJwt(app, narrow.access_token)).claims.scope, 'offline_access');
  assertOAuthError(t, await refresh(app, first.refresh_token, { scope: 'openid profile' }), 400, 'invalid_scope');
  t.equal((await refresh(app, first.refresh_token)).json().scope, 'openid email offline_access', 'the original scope is intact');
});

t.test('a refresh token is bound to its client', async (t) => {
  const { app, first } = await login(t, {
    jwt: { refreshTokenUsagePolicy: 'OneTimeUse', refreshTokenRevocationPolicy: { onOneTimeTokenReuse: true } },
  });
  const stolen = await postToken(app, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, basic(OTHER_APP, OTHER_SECRET));
  assertOAuthError(t, stolen, 400, 'invalid_grant', 'refresh_token_not_found');
  t.equal((await refresh(app, first.refresh_token)).statusCode, 200, 'the owner can still use it: the attempt changed nothing');
});

t.test('the refresh grant needs client authentication under Required, and checks a given secret', async (t) => {
  const { app, first } = await login(t);
  const none = await postToken(app, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: APP });
  assertOAuthError(t, none, 401, 'invalid_client', 'client_authentication_missing');
  const wrong = await postToken(app, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, basic(APP, 'wrong'));
  assertOAuthError(t, wrong, 401, 'invalid_client', 'invalid_client_authentication');
  t.match(wrong.headers['www-authenticate'], /^Basic /);
  const open = await buildGrantApp(t, { oauth: { clientAuthenticationPolicy: 'NotRequired' } });
  const token = (await exchange(open, issueCode(open))).json().refresh_token;
  t.equal(
    (await postToken(open, { grant_type: 'refresh_token', refresh_token: token, client_id: APP })).statusCode,
    200,
    'NotRequired: a public client refreshes',
  );
});

t.test('unknown, missing and disabled', async (t) => {
  const { app } = await login(t);
  const unknown = await refresh(app, 'no-such-token');
  t.equal(unknown.statusCode, 400);
  t.same(unknown.json(), { error: 'invalid_grant', error_description: 'The refresh_token is invalid.', error_reason: 'refresh_token_not_found' });
  assertOAuthError(
    t,
    await postToken(app, { grant_type: 'refresh_token', client_id: APP, client_secret: SECRET }),
    400,
    'invalid_request',
    'missing_refresh_token',
  );
  const disabled = await buildGrantApp(t, { oauth: { enabledGrants: ['authorization_code'] } });
  const token = (await exchange(disabled, issueCode(disabled))).json().refresh_token;
  assertOAuthError(t, await refresh(disabled, token), 400, 'unauthorized_client', 'grant_type_disabled');
});

t.test('the user must still exist and be active', async (t) => {
  const { app, first } = await login(t);
  const user = app.standin.stores.users.get(USER)!;
  app.standin.stores.users.update({ ...user, active: false });
  assertOAuthError(t, await refresh(app, first.refresh_token), 400, 'invalid_grant', 'refresh_token_not_found');
  app.standin.stores.users.update(user);
  t.equal((await refresh(app, first.refresh_token)).statusCode, 200);
});

t.test('expires_in may shorten the access token, not lengthen it', async (t) => {
  const { app, first } = await login(t);
  const short = (await refresh(app, first.refresh_token, { expires_in: '60' })).json();
  t.equal(short.expires_in, 60);
  const { claims } = await verifyJwt(app, short.access_token);
  t.equal(claims.exp! - claims.iat!, 60);
  assertOAuthError(t, await refresh(app, first.refresh_token, { expires_in: '3601' }), 400, 'invalid_request', 'invalid_expires_in');
});

async function concurrentRefreshes(t: Test, app: StandinApp, token: string, send: () => Promise<{ status: number; body: any }>) {
  const results = await Promise.all(Array.from({ length: 20 }, send));
  const winners = results.filter((r) => r.status === 200);
  t.equal(winners.length, 1, 'exactly one 200');
  t.equal(results.filter((r) => r.status === 400).length, 19);
  const successor = winners[0]!.body.refresh_token;
  t.not(successor, token);
  t.equal((await refresh(app, successor)).statusCode, 200, 'the one successor works');
}

t.test('20 concurrent refreshes of one OneTimeUse token: one 200, one successor (inject)', async (t) => {
  const { app, first } = await login(t, { jwt: { refreshTokenUsagePolicy: 'OneTimeUse' } });
  await concurrentRefreshes(t, app, first.refresh_token, async () => {
    const response = await refresh(app, first.refresh_token);
    return { status: response.statusCode, body: response.json() };
  });
});

t.test('20 concurrent refreshes of one OneTimeUse token over real HTTP: one 200, one successor', async (t) => {
  const { app, first } = await login(t, { jwt: { refreshTokenUsagePolicy: 'OneTimeUse' } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const body = formBody({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: APP, client_secret: SECRET });
  await concurrentRefreshes(t, app, first.refresh_token, async () => {
    const response = await fetch(`http://127.0.0.1:${port}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    return { status: response.status, body: await response.json() };
  });
});

t.test('refresh token values never reach the database file, only their hashes', async (t) => {
  const dir = temporaryFolder(t, 'standin-rt-');
  const db = join(dir, 'standin.db');
  const app = await buildEmptyApp(t, {
    db,
    kickstart: testKickstart([
      {
        url: `/api/application/${APP}`,
        body: {
          application: {
            name: 'store',
            oauthConfiguration: {
              authorizedRedirectURLs: ['https://store.example.com/callback'],
              clientSecret: SECRET,
              enabledGrants: ['authorization_code', 'refresh_token'],
              generateRefreshTokens: true,
            },
            jwtConfiguration: { enabled: true, refreshTokenUsagePolicy: 'OneTimeUse' },
          },
        },
      },
      {
        url: `/api/user/registration/${USER}`,
        body: { user: { email: 'richard@example.com', password: 'password1' }, registration: { applicationId: APP } },
      },
    ]),
  });
  const first = (await exchange(app, issueCode(app))).json();
  const second = (await refresh(app, first.refresh_token)).json();
  const files = readdirSync(dir).map((name) => readFileSync(join(dir, name)).toString('latin1'));
  const everything = files.join('\n');
  for (const value of [first.refresh_token, second.refresh_token]) {
    t.notOk(everything.includes(value), 'the value is not in the database files');
  }
  t.ok(everything.includes(hashSecret(second.refresh_token)), 'its hash is (so the search can find things)');
});
