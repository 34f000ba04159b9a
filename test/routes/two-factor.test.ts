import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { StandinApp } from '../../src/app.js';
import { apiHeaders, buildEmptyApp, T0, testKickstart } from '../helpers/fixtures.js';
import { control } from '../helpers/control.js';
import { temporaryFolder } from '../helpers/temporary-folder.js';
import { authenticatorCode } from '../helpers/totp.js';

// The Two Factor API and the control API's code at the route level: the guard, bad input, restarts and
// parallel use of one code (docs/two-factor.md).
const APP = 'd1000000-0000-4000-8000-000000000001';
const USER = 'd2000000-0000-4000-8000-000000000001';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const kickstart = testKickstart([
  { url: `/api/application/${APP}`, body: { application: { name: 'Store' } } },
  {
    url: `/api/user/registration/${USER}`,
    body: { user: { email: 'gavin@example.com', password: 'password1' }, registration: { applicationId: APP } },
  },
]);

async function enable(app: StandinApp): Promise<void> {
  const code = authenticatorCode(SECRET, app.standin.config.now());
  const enabled = await app.inject({
    method: 'POST',
    url: `/api/user/two-factor/${USER}`,
    headers: apiHeaders(),
    payload: { method: 'authenticator', code, secretBase32Encoded: SECRET },
  });
  if (enabled.statusCode !== 200) throw new Error(`enable: ${enabled.statusCode} ${enabled.body}`);
}

async function twoFactorId(app: StandinApp): Promise<string> {
  const login = await app.inject({
    method: 'POST',
    url: '/api/login',
    headers: apiHeaders(),
    payload: { loginId: 'gavin@example.com', password: 'password1', applicationId: APP },
  });
  if (login.statusCode !== 242) throw new Error(`login: ${login.statusCode} ${login.body}`);
  return login.json().twoFactorId;
}

t.test('the control API gives the current code, says when it is used, and is guarded', async (t) => {
  const app = await buildEmptyApp(t, { kickstart });
  t.equal((await control(app, 'GET', `/_standin/two-factor/${USER}/code`, undefined, {})).statusCode, 401, 'no key: 401');
  const none = await control(app, 'GET', `/_standin/two-factor/${USER}/code`);
  t.equal(none.statusCode, 404, 'no method yet');
  t.equal(none.json().error, 'not_found');
  await enable(app);
  const fresh = (await control(app, 'GET', `/_standin/two-factor/${USER}/code`)).json();
  t.match(fresh, { code: authenticatorCode(SECRET, T0), methodId: /^[A-Z0-9]{4}$/, used: true, expiresInSeconds: 30 });
  app.standin.control.clock.advance(31);
  const next = (await control(app, 'GET', `/_standin/two-factor/${USER.toUpperCase()}/code?methodId=${fresh.methodId}`)).json();
  t.match(next, { code: authenticatorCode(SECRET, T0 + 31_000), used: false, expiresInSeconds: 29 });
  t.equal((await control(app, 'GET', `/_standin/two-factor/${USER}/code?methodId=NOPE`)).statusCode, 404);
});

t.test('bad input gets a 4xx in FusionAuth shape, never a 500, and writes nothing', async (t) => {
  const app = await buildEmptyApp(t, { kickstart });
  const cases: Array<[string, string, unknown, number]> = [
    ['POST', `/api/user/two-factor/${USER}`, null, 400],
    ['POST', `/api/user/two-factor/${USER}`, { method: 7, code: [] }, 400],
    ['POST', `/api/user/two-factor/${USER}`, { method: 'authenticator', code: '123456', secretBase32Encoded: '!!!' }, 400],
    ['POST', `/api/user/two-factor/${USER}`, { method: 'authenticator', code: '123456', secret: 'c2hvcnQ=' }, 400],
    ['POST', `/api/user/two-factor/${USER}`, { method: 'authenticator', code: 'x'.repeat(65), secretBase32Encoded: SECRET }, 400],
    ['DELETE', `/api/user/two-factor/${USER}`, undefined, 400],
    ['POST', '/api/two-factor/login', null, 400],
    ['POST', '/api/two-factor/login', { code: '123456' }, 404],
    ['POST', '/api/two-factor/login', { twoFactorId: 'x'.repeat(300), code: '1' }, 400],
    ['POST', '/api/user/two-factor', { method: 'authenticator' }, 401],
    ['GET', '/api/two-factor/secret', undefined, 200],
    ['POST', '/api/two-factor/start', null, 400],
    ['POST', '/api/two-factor/start', { userId: USER, state: 'not-an-object' }, 400],
    ['POST', '/api/two-factor/start', { userId: USER, code: '' }, 400],
    ['POST', '/api/two-factor/start', { userId: USER, code: 'x'.repeat(65) }, 400],
    ['POST', '/api/two-factor/start', { userId: 'not-a-uuid' }, 404],
    ['POST', '/api/two-factor/start', { loginId: 'gavin@example.com', loginIdTypes: ['fax'] }, 400],
    ['GET', '/api/two-factor/status', undefined, 400],
    ['POST', '/api/two-factor/status', { userId: 7 }, 400],
    ['POST', '/api/two-factor/status', { userId: USER, applicationId: 'nope' }, 400],
  ];
  for (const [method, url, payload, status] of cases) {
    const response = await app.inject({
      method: method as 'POST',
      url,
      headers: url === '/api/user/two-factor' ? { 'content-type': 'application/json' } : apiHeaders({ 'content-type': 'application/json' }),
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
    t.equal(response.statusCode, status, `${method} ${url} ${((JSON.stringify(payload) as string | undefined) ?? 'undefined').slice(0, 60)}`);
    if (status === 400) t.type(response.json().fieldErrors, 'object', 'FusionAuth error shape');
  }
  t.same(app.standin.stores.twoFactor.methods(USER), [], 'no method was written');
  t.same(app.standin.stores.users.get(USER)!.twoFactor, { methods: [] });
});

t.test('a User API update keeps the methods; two parallel logins with one code finish one', async (t) => {
  const app = await buildEmptyApp(t, { kickstart });
  await enable(app);
  const updated = await app.inject({
    method: 'PUT',
    url: `/api/user/${USER}`,
    headers: apiHeaders(),
    payload: { user: { email: 'gavin@example.com', twoFactor: { methods: [] } } },
  });
  t.equal(updated.statusCode, 200);
  t.equal(updated.json().user.twoFactor.methods.length, 1, 'the Two Factor API owns the methods');
  app.standin.control.clock.advance(30);
  const [first, second] = [await twoFactorId(app), await twoFactorId(app)];
  const code = authenticatorCode(SECRET, app.standin.config.now());
  const answers = await Promise.all(
    [first, second].map((id) => app.inject({ method: 'POST', url: '/api/two-factor/login', payload: { twoFactorId: id, code, applicationId: APP } })),
  );
  t.same(answers.map((a) => a.statusCode).sort(), [200, 421], 'the code is good once');
});

t.test('methods, recovery codes and trusted devices survive a restart', async (t) => {
  const dir = temporaryFolder(t, 'standin-two-factor-');
  const db = join(dir, 'standin.db');
  const first = await buildEmptyApp(t, { kickstart, db });
  await enable(first);
  first.standin.control.clock.advance(30);
  const id = await twoFactorId(first);
  const done = await first.inject({
    method: 'POST',
    url: '/api/two-factor/login',
    payload: { twoFactorId: id, code: authenticatorCode(SECRET, first.standin.config.now()), trustComputer: true },
  });
  const trustId = done.json().twoFactorTrustId;
  t.match(done.headers['set-cookie'], /fusionauth\.trust=[^;]+;.*HttpOnly/);
  const pending = await twoFactorId(first);
  await first.close();

  const second = await buildEmptyApp(t, { kickstart, db, now: () => T0 + 30_000 });
  t.equal(second.standin.stores.twoFactor.methods(USER).length, 1);
  const trusted = await second.inject({
    method: 'POST',
    url: '/api/login',
    headers: apiHeaders(),
    payload: { loginId: 'gavin@example.com', password: 'password1', applicationId: APP, twoFactorTrustId: trustId },
  });
  t.equal(trusted.statusCode, 200, 'the trust still holds');
  await finishWithCode(t, second, pending);
});

async function finishWithCode(t: Test, app: StandinApp, id: string): Promise<void> {
  app.standin.control.clock.advance(30);
  const answer = await app.inject({
    method: 'POST',
    url: '/api/two-factor/login',
    payload: { twoFactorId: id, code: authenticatorCode(SECRET, app.standin.config.now()) },
  });
  t.equal(answer.statusCode, 200, 'a login pending before the restart finishes after it');
}
