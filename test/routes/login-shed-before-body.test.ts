import t from 'tap';
import type { StandinApp } from '../../src/app.js';
import { apiHeaders, buildLoginApiApp, LOGIN_APP } from '../helpers/fixtures.js';

// While argon2 is saturated, POST /api/login answers its 503 before the body is read (docs/performance.md):
// a body it cannot parse gets the same 503 as any other login, not the 400 it gets otherwise.
const login = (app: StandinApp, payload: string) =>
  app.inject({ method: 'POST', url: '/api/login', headers: { 'content-type': 'application/json', ...apiHeaders() }, payload });

t.test('a saturated password hasher: /api/login answers 503 before parsing the body; 400 again once it drains', async (t) => {
  const app = await buildLoginApiApp(t, { config: { passwordHashing: 'standard', limits: { passwordQueue: 1, passwordQueueTimeoutMs: 60_000 } } });
  const body = (i: number) => JSON.stringify({ loginId: `user${i}@example.com`, password: 'guess', applicationId: LOGIN_APP });
  const flood = Promise.all(Array.from({ length: 16 }, (_, i) => login(app, body(i))));
  while (!app.standin.passwords.saturated()) await new Promise((resolve) => setImmediate(resolve));

  const shed = await login(app, '{"loginId": ');
  t.equal(shed.statusCode, 503);
  t.equal(shed.headers['retry-after'], '1');
  t.same(shed.json(), {
    fieldErrors: {},
    generalErrors: [{ code: '[ServiceUnavailable]', message: 'Standin is busy checking other passwords; try again shortly.' }],
  });

  await flood;
  t.notOk(app.standin.passwords.saturated());
  const parsed = await login(app, '{"loginId": ');
  t.equal(parsed.statusCode, 400, 'not saturated: the body is parsed and its error answered');
});
