import t from 'tap';
import { controlEnabled } from '../../src/control/guard.js';
import { API_KEY, buildEmptyApp, T0, TENANT_ID, testKickstart } from '../helpers/fixtures.js';
import { control } from '../helpers/control.js';

const ROUTES = [
  ['GET', '/_standin/clock'],
  ['POST', '/_standin/clock', { advanceSeconds: 60 }],
  ['DELETE', '/_standin/clock'],
  ['GET', '/_standin/faults'],
  ['POST', '/_standin/faults', { path: '/api/status', status: 503 }],
  ['DELETE', '/_standin/faults'],
  ['POST', '/_standin/reset'],
  ['POST', '/_standin/revoke', { userId: 'nobody' }],
  ['POST', '/_standin/expire', { userId: 'nobody' }],
  ['GET', '/_standin/sessions'],
  ['GET', '/_standin/refresh-tokens'],
] as const;

t.test('the control API is on by default only on loopback', async (t) => {
  t.equal(controlEnabled({ control: undefined, host: '127.0.0.1' }), true);
  t.equal(controlEnabled({ control: undefined, host: 'localhost' }), true);
  t.equal(controlEnabled({ control: undefined, host: '::1' }), true);
  t.equal(controlEnabled({ control: undefined, host: '0.0.0.0' }), false);
  t.equal(controlEnabled({ control: undefined, host: '192.168.1.20' }), false);
  t.equal(controlEnabled({ control: true, host: '0.0.0.0' }), true, 'asked for: on anywhere');
  t.equal(controlEnabled({ control: false, host: '127.0.0.1' }), false, 'switched off: off on loopback too');
});

t.test('with the API key every control answers', async (t) => {
  const app = await buildEmptyApp(t);
  for (const [method, url, payload] of ROUTES) {
    const response = await control(app, method, url, payload);
    t.ok(response.statusCode === 200 || response.statusCode === 201, `${method} ${url}: ${response.statusCode}`);
    t.equal(response.headers['cache-control'], 'no-store');
  }
});

t.test('a control call without the key, or with a wrong or tenant-bound one, is refused with 401 and changes nothing', async (t) => {
  const tenantKey = 'tenant-bound-key-0123456789-abcdefghijklmnop';
  const app = await buildEmptyApp(t, { kickstart: { ...testKickstart(), apiKeys: [{ key: API_KEY }, { key: tenantKey, tenantId: TENANT_ID }] } });
  for (const headers of [
    {} as Record<string, string>,
    { authorization: 'wrong-key-0123456789' },
    { authorization: `Bearer ${API_KEY}` },
    { authorization: tenantKey },
  ]) {
    for (const [method, url, payload] of ROUTES) {
      const response = await control(app, method, url, payload, headers);
      t.equal(response.statusCode, 401, `${method} ${url} with ${JSON.stringify(headers)}`);
      t.equal(response.json().error, 'unauthorized');
    }
  }
  t.equal(app.standin.control.clock.offsetMs(), 0, 'the clock did not move');
  t.same(app.standin.control.faults.list(), [], 'no fault was added');
});

t.test('with the flag off every control is the 404 of an unknown route, key or not', async (t) => {
  for (const options of [{ control: false }, { host: '0.0.0.0' }]) {
    const app = await buildEmptyApp(t, options);
    const unknown = await app.inject({ method: 'GET', url: '/_standin/clock-nonexistent' });
    for (const [method, url, payload] of ROUTES) {
      const response = await control(app, method, url, payload);
      t.equal(response.statusCode, 404, `${JSON.stringify(options)}: ${method} ${url}`);
      t.equal(response.json().error, unknown.json().error);
      t.match(response.json().message, /^Route .* not found$/, 'worded as an unknown route');
    }
    t.equal(app.standin.control.clock.offsetMs(), 0);
    t.same(app.standin.control.faults.list(), []);
  }
  const forced = await buildEmptyApp(t, { host: '0.0.0.0', control: true });
  t.equal((await control(forced, 'GET', '/_standin/clock')).statusCode, 200, 'asked for beyond loopback: on');
});

t.test('the programmatic controls work whatever the flag says', async (t) => {
  const app = await buildEmptyApp(t, { control: false });
  app.standin.control.clock.advance(60);
  t.equal(app.standin.config.now(), T0 + 60_000, "Standin's clock moved");
});
