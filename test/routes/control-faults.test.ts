import t from 'tap';
import { createFaultList } from '../../src/control/faults.js';
import {
  apiHeaders,
  APP,
  assertOAuthError,
  basic,
  buildGrantApp,
  exchange,
  issueCode,
  OTHER_APP,
  OTHER_SECRET,
  postToken,
  T0,
} from '../helpers/fixtures.js';
import { control, logIn } from '../helpers/control.js';

t.test('a failed login at /oauth2/token is one call: invalid_grant with its error_reason, once', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const added = await control(app, 'POST', '/_standin/faults', {
    method: 'POST',
    path: '/oauth2/token',
    oauthError: 'invalid_grant',
    errorReason: 'invalid_user_credentials',
  });
  t.equal(added.statusCode, 201);
  t.match(added.json().fault, { path: '/oauth2/token', method: 'POST', oauthError: 'invalid_grant', remaining: 1, hits: 0 });

  const failed = await exchange(app, issueCode(app));
  assertOAuthError(t, failed, 400, 'invalid_grant', 'invalid_user_credentials');
  t.equal(failed.headers['x-standin-fault'], added.json().fault.id, 'the answer names the fault');
  t.equal((await exchange(app, issueCode(app))).statusCode, 200, 'the next request is served as usual');
  t.same(app.standin.control.faults.list(), [], 'a used-up fault is gone');
});

t.test('a 503 from /oauth2/token for the next N requests, then normal service', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  app.standin.control.faults.add({ path: '/oauth2/token', status: 503, body: { message: 'down for maintenance' }, times: 2 });
  for (const n of [1, 2]) {
    const response = await exchange(app, issueCode(app));
    t.equal(response.statusCode, 503, `request ${n}`);
    t.same(response.json(), { message: 'down for maintenance' });
  }
  t.equal((await exchange(app, issueCode(app))).statusCode, 200, 'the third is served');

  app.standin.control.faults.add({ path: '/oauth2/token', status: 502, body: 'Bad Gateway' });
  const text = await exchange(app, issueCode(app));
  t.equal(text.statusCode, 502);
  t.equal(text.body, 'Bad Gateway');
  t.match(text.headers['content-type'], /^text\/plain/);
});

t.test('a fault for one client hits only that client, whether its id is in the form, the query or Basic', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const { faults } = app.standin.control;
  faults.add({ path: '/oauth2/token', clientId: OTHER_APP, oauthError: 'invalid_client', times: 3 });
  t.equal((await exchange(app, issueCode(app))).statusCode, 200, 'APP in the form: not its fault');
  t.equal((await exchange(app, issueCode(app), { client_id: APP })).statusCode, 200);
  t.equal(faults.list()[0]!.remaining, 3, 'other clients use none of its N');

  const form = { grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://forums.test/cb' };
  assertOAuthError(t, await postToken(app, { ...form, client_id: OTHER_APP, client_secret: OTHER_SECRET }), 401, 'invalid_client');
  assertOAuthError(t, await postToken(app, form, basic(OTHER_APP, OTHER_SECRET)), 401, 'invalid_client');
  const viaQuery = await app.inject({
    method: 'POST',
    url: `/oauth2/token?client_id=${OTHER_APP}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=x',
  });
  t.equal(viaQuery.statusCode, 401);
  t.equal(faults.list().length, 0, 'three requests of that client used it up');
  const after = await postToken(app, { ...form, client_id: OTHER_APP, client_secret: OTHER_SECRET });
  t.equal(after.headers['x-standin-fault'], undefined, 'no longer faulted');
});

t.test('method and path decide: another method or path is untouched; a trailing * is a prefix', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const { faults } = app.standin.control;
  faults.add({ method: 'GET', path: '/api/status', status: 500 });
  t.equal((await app.inject({ method: 'HEAD', url: '/api/status' })).statusCode, 200, 'HEAD is not GET');
  t.equal((await app.inject('/api/status?x=1')).statusCode, 500, 'the query is not part of the path');
  faults.add({ path: '/api/jwt/*', status: 418 });
  t.equal((await app.inject('/api/status')).statusCode, 200);
  t.equal((await app.inject({ method: 'POST', url: '/api/jwt/refresh' })).statusCode, 418);
});

t.test('a slow /api/jwt/refresh is one call, and the delay does not block other requests', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const { refreshToken } = await logIn(app);
  await control(app, 'POST', '/_standin/faults', { method: 'POST', path: '/api/jwt/refresh', delayMs: 300 });
  const started = performance.now();
  let statusDone = 0;
  const slow = app
    .inject({ method: 'POST', url: '/api/jwt/refresh', payload: { refreshToken } })
    .then((response) => ({ response, at: performance.now() }));
  const quick = app.inject('/api/status').then((response) => {
    statusDone = performance.now();
    return response;
  });
  const [{ response, at }, status] = await Promise.all([slow, quick]);
  t.equal(response.statusCode, 200, 'after the delay the request is served as usual');
  t.ok(at - started >= 290, `it waited (${Math.round(at - started)} ms)`);
  t.equal(status.statusCode, 200);
  t.ok(statusDone < at, 'another request was answered while it waited');
});

t.test('a delay can precede a failure', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  app.standin.control.faults.add({ path: '/oauth2/token', delayMs: 50, oauthError: 'temporarily_unavailable', status: 503 });
  const started = performance.now();
  const response = await exchange(app, issueCode(app));
  t.ok(performance.now() - started >= 45);
  assertOAuthError(t, response, 503, 'temporarily_unavailable');
});

t.test('faults are listed and cleared, one or all, through HTTP and in code', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const a = (await control(app, 'POST', '/_standin/faults', { path: '/oauth2/token', status: 503, times: 5 })).json().fault;
  const b = app.standin.control.faults.add({ path: '/oauth2/userinfo', status: 500 });
  t.same(
    (await control(app, 'GET', '/_standin/faults')).json().faults.map((fault: { id: string }) => fault.id),
    [a.id, b.id],
  );
  t.same((await control(app, 'DELETE', `/_standin/faults/${a.id}`)).json(), { cleared: 1 });
  t.equal((await control(app, 'DELETE', `/_standin/faults/${a.id}`)).statusCode, 404, 'already gone');
  t.same((await control(app, 'DELETE', '/_standin/faults')).json(), { cleared: 1 });
  t.same(app.standin.control.faults.list(), []);
  app.standin.control.faults.add({ path: '/x', status: 500 });
  t.equal(app.standin.control.faults.clear(), 1);
});

t.test('a malformed fault is refused with 400 and nothing is added', async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  const bad = [
    {},
    { path: 'oauth2/token', status: 503 },
    { path: '/oauth2/token' },
    { path: '/_standin/reset', status: 500 },
    { path: '/oauth2/token', status: 99 },
    { path: '/oauth2/token', status: 503, times: 0 },
    { path: '/oauth2/token', delayMs: -1 },
    { path: '/oauth2/token', delayMs: 10_000_000 },
    { path: '/oauth2/token', oauthError: 'bad"quote' },
    { path: '/oauth2/token', errorReason: 'x', status: 400 },
    { path: '/oauth2/token', oauthError: 'invalid_grant', body: {} },
    { path: '/oauth2/token', method: 'PO ST', status: 503 },
  ];
  for (const fault of bad) {
    const response = await control(app, 'POST', '/_standin/faults', fault);
    t.equal(response.statusCode, 400, JSON.stringify(fault));
    t.equal(response.json().error, 'invalid_request');
  }
  t.same(app.standin.control.faults.list(), []);
  t.throws(() => app.standin.control.faults.add({ path: '/oauth2/token' }), TypeError, 'the same checks in code');
});

t.test('the oldest matching fault applies first, and each counts only its own hits', async (t) => {
  const faults = createFaultList();
  const first = faults.add({ path: '/a', status: 500 });
  const second = faults.add({ path: '/a', status: 503, times: 2 });
  t.equal(faults.take({ method: 'GET', path: '/a' }, true)?.id, first.id);
  t.equal(faults.take({ method: 'GET', path: '/a' }, true)?.id, second.id);
  t.equal(faults.list()[0]!.hits, 1);
  t.equal(faults.take({ method: 'GET', path: '/b' }, true), undefined);
  faults.add({ path: '/c', clientId: 'x', status: 500 });
  t.equal(faults.take({ method: 'GET', path: '/c' }, false), undefined, 'a client-bound fault waits while the client is unknown');
  t.equal(faults.waitsForClient({ method: 'GET', path: '/c' }), true);
});

t.test("a fault for one client at /api/login matches the applicationId of the JSON body (FusionAuth's Login API)", async (t) => {
  const app = await buildGrantApp(t, { now: () => T0 });
  app.standin.control.faults.add({ path: '/api/login', clientId: APP, status: 500 });
  const login = (applicationId: string) =>
    app.inject({
      method: 'POST',
      url: '/api/login',
      headers: apiHeaders(),
      payload: { loginId: 'richard@example.com', password: 'password1', applicationId },
    });
  t.equal((await login(OTHER_APP)).headers['x-standin-fault'], undefined, 'another application is not faulted');
  t.equal((await login(APP)).statusCode, 500);
  t.equal((await login(APP)).statusCode, 200, 'once');
});
