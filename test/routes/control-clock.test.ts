import t from 'tap';
import { createControlClock } from '../../src/control/clock.js';
import { APP, assertOAuthError, authorizeQuery, buildGrantApp, exchange, issueCode, REDIRECT, refresh, T0, verifyJwt } from '../helpers/fixtures.js';
import { control, logIn } from '../helpers/control.js';

const DAY = 86_400;

t.test('the clock is the base clock plus an offset: advance, set, reset', async (t) => {
  let base = 1_000_000;
  const clock = createControlClock(() => base);
  t.equal(clock.now(), 1_000_000);
  t.equal(clock.advance(30), 1_030_000);
  base += 5;
  t.equal(clock.now(), 1_030_005, 'the base clock keeps ticking under the offset');
  t.equal(clock.set(5_000_000), 5_000_000);
  t.equal(clock.offsetMs(), 5_000_000 - 1_000_005);
  t.equal(clock.advance(-1), 4_999_000, 'back in time too');
  clock.reset();
  t.equal(clock.now(), base);
  t.throws(() => clock.advance(Number.NaN), RangeError);
  t.throws(() => clock.set(Number.POSITIVE_INFINITY), RangeError);
});

t.test('GET, POST and DELETE /_standin/clock read, move and put back the clock', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  t.same((await control(app, 'GET', '/_standin/clock')).json(), { now: T0, iso: '2026-01-01T00:00:00.000Z', offsetMs: 0 });
  const advanced = await control(app, 'POST', '/_standin/clock', { advanceSeconds: 90 });
  t.same(advanced.json(), { now: T0 + 90_000, iso: '2026-01-01T00:01:30.000Z', offsetMs: 90_000 });
  t.equal(app.standin.config.now(), T0 + 90_000, 'config.now() follows');
  t.equal((await control(app, 'POST', '/_standin/clock', { set: '2026-03-01T12:00:00Z' })).json().now, Date.UTC(2026, 2, 1, 12));
  t.equal((await control(app, 'POST', '/_standin/clock', { set: T0 + 5 })).json().now, T0 + 5, 'or epoch milliseconds');
  t.same((await control(app, 'DELETE', '/_standin/clock')).json(), { now: T0, iso: '2026-01-01T00:00:00.000Z', offsetMs: 0 });

  for (const bad of [
    {},
    { advanceSeconds: 1, set: 1 },
    { set: 'next tuesday' },
    { set: '2026-03-01' },
    { advanceSeconds: 'soon' },
    { advanceSeconds: 1e300 },
  ]) {
    const response = await control(app, 'POST', '/_standin/clock', bad);
    t.equal(response.statusCode, 400, JSON.stringify(bad));
    t.equal(response.json().error, 'invalid_request');
  }
  t.equal(app.standin.config.now(), T0, 'a refused move moves nothing');
});

t.test('one call expires a 30-day refresh token (HTTP and programmatic)', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const first = await logIn(app);
  const second = await logIn(app);

  await control(app, 'POST', '/_standin/clock', { advanceSeconds: 30 * DAY - 1 });
  t.equal((await refresh(app, first.refreshToken)).statusCode, 200, 'a second before the 30 days end, it still works');
  await control(app, 'POST', '/_standin/clock', { advanceSeconds: 1 });
  assertOAuthError(t, await refresh(app, first.refreshToken), 400, 'invalid_grant');

  app.standin.control.clock.reset();
  t.equal((await refresh(app, second.refreshToken)).statusCode, 200, 'back on the base clock it lives again');
  app.standin.control.clock.advance(30 * DAY);
  assertOAuthError(t, await refresh(app, second.refreshToken), 400, 'invalid_grant');
});

t.test('codes, SSO sessions and new JWTs follow the clock', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const code = issueCode(app);
  app.standin.control.clock.advance(30);
  t.equal((await exchange(app, code)).statusCode, 400, 'a 30 s code is dead 30 s later');

  const { sso } = await logIn(app);
  const authorize = () =>
    app.inject({
      url: `/oauth2/authorize?${authorizeQuery({ client_id: APP, redirect_uri: REDIRECT, state: 's' })}`,
      cookies: { 'fusionauth.sso': sso },
    });
  t.equal((await authorize()).statusCode, 302, 'the SSO session logs in without the form');
  app.standin.control.clock.advance(3599);
  t.equal((await authorize()).statusCode, 302, 'used again inside the hour: still live (and the idle time restarts)');
  await control(app, 'POST', '/_standin/clock', { advanceSeconds: 3600 });
  t.equal((await authorize()).statusCode, 200, 'an hour idle: the form again');

  const fresh = await logIn(app);
  const { claims } = await verifyJwt(app, fresh.accessToken);
  t.equal(claims.iat, Math.floor(app.standin.config.now() / 1000), 'iat is the moved clock');
  t.equal(claims.iat, Math.floor((T0 + 30_000 + 3_599_000 + 3_600_000) / 1000));
});
