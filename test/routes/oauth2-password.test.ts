import t from 'tap';
import { decodeJwt } from 'jose';
import {
  ALICE_ID,
  assertOAuthError,
  BOB_ID,
  buildLoginApiApp,
  LOGIN_APP,
  LOGIN_SECRET,
  movableClock,
  PASSWORD,
  PLAIN_APP,
  postToken,
} from '../helpers/fixtures.js';

const grant = (form: Record<string, string>) => ({ grant_type: 'password', client_id: LOGIN_APP, client_secret: LOGIN_SECRET, ...form });

t.test('the password grant issues access, id and refresh tokens for the scopes asked', async (t) => {
  const app = await buildLoginApiApp(t);
  const response = await postToken(app, grant({ username: 'alice@example.com', password: PASSWORD, scope: 'openid offline_access' }));
  t.equal(response.statusCode, 200);
  t.equal(response.headers['cache-control'], 'no-store');
  const body = response.json();
  t.same(Object.keys(body), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'refresh_token_id', 'scope', 'token_type', 'userId']);
  t.equal(body.userId, ALICE_ID);
  t.match(decodeJwt(body.access_token), {
    sub: ALICE_ID,
    aud: LOGIN_APP,
    gty: ['password'],
    authenticationType: 'PASSWORD',
    sid: body.refresh_token_id,
  });
  const refreshed = await postToken(app, {
    grant_type: 'refresh_token',
    refresh_token: body.refresh_token,
    client_id: LOGIN_APP,
    client_secret: LOGIN_SECRET,
  });
  t.equal(refreshed.statusCode, 200, 'the refresh token works');
  t.equal(app.standin.stores.users.get(ALICE_ID)?.lastLoginInstant, app.standin.config.now(), 'the login is recorded');
});

t.test('no refresh token without offline_access, no id token without openid', async (t) => {
  const app = await buildLoginApiApp(t);
  const body = (await postToken(app, grant({ username: 'alice', password: PASSWORD }))).json();
  t.ok(body.access_token);
  t.notOk('refresh_token' in body);
  t.notOk('id_token' in body);
  t.notOk('scope' in body);
});

t.test('an application without the grant: unauthorized_client / grant_type_disabled', async (t) => {
  const app = await buildLoginApiApp(t);
  const response = await postToken(app, {
    grant_type: 'password',
    client_id: PLAIN_APP,
    client_secret: `${LOGIN_SECRET}-plain`,
    username: 'alice',
    password: PASSWORD,
  });
  assertOAuthError(t, response, 400, 'unauthorized_client', 'grant_type_disabled');
});

t.test('unknown user and wrong password get the same invalid_grant', async (t) => {
  const app = await buildLoginApiApp(t);
  const unknown = await postToken(app, grant({ username: 'nobody', password: PASSWORD }));
  const wrong = await postToken(app, grant({ username: 'alice', password: 'wrong-password' }));
  assertOAuthError(t, unknown, 400, 'invalid_grant', 'invalid_user_credentials');
  assertOAuthError(t, wrong, 400, 'invalid_grant', 'invalid_user_credentials');
  t.equal(unknown.body, wrong.body, 'byte-identical');
});

t.test('the client must authenticate; missing credentials are invalid_request', async (t) => {
  const app = await buildLoginApiApp(t);
  assertOAuthError(
    t,
    await postToken(app, { grant_type: 'password', client_id: LOGIN_APP, username: 'alice', password: PASSWORD }),
    401,
    'invalid_client',
    'client_authentication_missing',
  );
  assertOAuthError(t, await postToken(app, grant({ username: 'alice' })), 400, 'invalid_request');
  assertOAuthError(
    t,
    await postToken(app, grant({ username: 'alice', password: PASSWORD, scope: 'openid bogus' })),
    400,
    'invalid_scope',
    'unknown_scope',
  );
});

t.test('brute force: after ten failures the right password is refused alike, until the lock ends', async (t) => {
  const clock = movableClock();
  const app = await buildLoginApiApp(t, { now: clock.now });
  const attempt = (password: string) => postToken(app, grant({ username: 'alice', password }));
  for (let i = 0; i < 10; i++) assertOAuthError(t, await attempt(`wrong-${i}`), 400, 'invalid_grant', 'invalid_user_credentials');
  const during = await attempt(PASSWORD);
  assertOAuthError(t, during, 400, 'invalid_grant', 'invalid_user_credentials');
  t.equal((await postToken(app, grant({ username: 'bob@example.com', password: PASSWORD }))).statusCode, 200, 'other users are not locked');
  t.ok(app.standin.stores.users.get(BOB_ID));
  clock.advance(5 * 60_000);
  t.equal((await attempt(PASSWORD)).statusCode, 200, 'the lock ends');
});

t.test('requireRegistration refuses an unregistered user after the password check', async (t) => {
  const app = await buildLoginApiApp(t, { oauth: { requireRegistration: true } });
  assertOAuthError(
    t,
    await postToken(app, grant({ username: 'bob@example.com', password: PASSWORD })),
    400,
    'invalid_grant',
    'registration_required',
  );
  t.equal((await postToken(app, grant({ username: 'alice', password: PASSWORD }))).statusCode, 200);
});
