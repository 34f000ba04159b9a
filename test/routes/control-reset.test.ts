import { createLocalJWKSet, jwtVerify } from 'jose';
import t from 'tap';
import { apiHeaders, APP, assertOAuthError, buildGrantApp, OTHER_APP, refresh, T0, TENANT_ID, USER } from '../helpers/fixtures.js';
import { control, logIn } from '../helpers/control.js';

const NEW_USER = 'dddddddd-9999-4000-8000-000000000009';
const NEW_APP = 'cccccccc-9999-4000-8000-000000000009';
const NEW_KEY = 'ffffffff-9999-4000-8000-000000000009';

t.test('reset restores deleted users and apps, removes added ones, ends logins, keeps the keys', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: apiHeaders(), ...(payload ? { payload } : {}) });
  const jwksBefore = (await app.inject('/.well-known/jwks.json')).json();
  const applicationsBefore = (await api('GET', '/api/application')).json();
  const userBefore = (await api('GET', `/api/user/${USER}`)).json();

  const { refreshToken } = await logIn(app);
  t.equal((await api('DELETE', `/api/user/${USER}?hardDelete=true`)).statusCode, 200);
  t.equal((await api('DELETE', `/api/application/${OTHER_APP}?hardDelete=true`)).statusCode, 200);
  t.equal((await api('POST', `/api/user/${NEW_USER}`, { user: { email: 'new@example.com', password: 'password1' } })).statusCode, 200);
  t.equal((await api('POST', `/api/application/${NEW_APP}`, { application: { name: 'new' } })).statusCode, 200);
  t.equal((await api('POST', `/api/key/generate/${NEW_KEY}`, { key: { algorithm: 'ES256', name: 'new key' } })).statusCode, 200);
  app.standin.control.faults.add({ path: '/api/status', status: 503 });
  app.standin.control.clock.advance(3600);

  const reset = await control(app, 'POST', '/_standin/reset');
  t.equal(reset.statusCode, 200);
  t.type(reset.json().ms, 'number');
  t.comment(`reset over HTTP took ${reset.json().ms.toFixed(2)} ms in the database`);

  t.same((await api('GET', `/api/user/${USER}`)).json(), userBefore, 'the deleted user is back, as it was');
  t.equal((await api('GET', `/api/user/${NEW_USER}`)).statusCode, 404, 'the added user is gone');
  t.same((await api('GET', '/api/application')).json(), applicationsBefore, 'the deleted application is back, the added one gone');
  t.same((await app.inject('/.well-known/jwks.json')).json(), jwksBefore, 'the same keys and kids; the added key is gone');
  t.equal((await api('GET', `/api/key/${NEW_KEY}`)).statusCode, 404);
  t.same(app.standin.control.sessions(), [], 'no SSO session');
  t.same(app.standin.control.refreshTokens(), [], 'no refresh token');
  assertOAuthError(t, await refresh(app, refreshToken), 400, 'invalid_grant');
  t.same(app.standin.control.faults.list(), [], 'no fault');
  t.equal(app.standin.config.now(), T0, 'the clock is back on its base');
  t.equal((await app.inject('/api/status')).statusCode, 200);
  const again = await logIn(app);
  t.ok(again.accessToken, 'logging in works as after the kickstart');
});

t.test('reset forgets login lockouts', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const login = (password: string) =>
    app.inject({
      method: 'POST',
      url: '/api/login',
      headers: apiHeaders(),
      payload: { loginId: 'richard@example.com', password, applicationId: APP },
    });
  for (let i = 0; i < 10; i += 1) await login('wrong-password');
  t.equal((await login('password1')).statusCode, 423, 'locked after 10 failures');
  app.standin.control.reset();
  t.equal((await login('password1')).statusCode, 200, 'after a reset the right password works');
});

t.test('a key id made after start and made again after a reset signs with the new key', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const vendAndVerify = async () => {
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: `/api/key/generate/${NEW_KEY}`,
          headers: apiHeaders(),
          payload: { key: { algorithm: 'ES256', name: 'k' } },
        })
      ).statusCode,
      200,
    );
    const { token } = (
      await app.inject({ method: 'POST', url: '/api/jwt/vend', headers: apiHeaders(), payload: { keyId: NEW_KEY, claims: { sub: 'x' } } })
    ).json();
    const jwks = createLocalJWKSet((await app.inject('/.well-known/jwks.json')).json());
    return jwtVerify(token, jwks, { currentDate: new Date(T0) });
  };
  await t.resolves(vendAndVerify(), 'before the reset');
  app.standin.control.reset();
  await t.resolves(vendAndVerify(), 'after it: not signed with the forgotten key');
});

t.test('reset is fast: a kickstart of a few applications and users', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  for (let i = 0; i < 5; i += 1) await logIn(app);
  const times: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    const started = performance.now();
    const response = await control(app, 'POST', '/_standin/reset');
    times.push(performance.now() - started);
    t.equal(response.statusCode, 200);
  }
  times.sort((a, b) => a - b);
  const database = app.standin.control.reset().ms;
  // Measured, not asserted (test/README.md: speed goals live in bench/).
  t.comment(
    `reset: median ${times[25]!.toFixed(2)} ms, max ${times[49]!.toFixed(2)} ms per HTTP call; ${database.toFixed(2)} ms in the database (tables: ${[...app.standin.stores.db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").pluck().all()].join(', ')})`,
  );
  t.equal(app.standin.stores.tenants.get(TENANT_ID)?.id, TENANT_ID);
});
