import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import type { StandinApp } from '../../src/app.js';
import { loginRefusal } from '../../src/routes/api/login-refusal.js';
import { shedLoginsBeforeRouting } from '../../src/shed-logins-before-routing.js';
import { apiHeaders, buildEmptyApp, testKickstart } from '../helpers/build.js';

// The responder on a server of its own, over real HTTP: what it does not answer gets 299 from the server's own
// fallback, where Standin's server would hand it to Fastify. The saturation signal is the input under test here,
// set directly; test/e2e/client-login-flood-shed.test.ts saturates argon2 for real.
async function serve(t: Test, app: StandinApp, accepting: () => boolean = () => true) {
  let saturated = true;
  app.standin.passwords.saturated = () => saturated;
  const respond = shedLoginsBeforeRouting(app, accepting);
  const server: Server = createServer((request, response) => {
    if (respond(request, response)) return;
    response.writeHead(299);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (path = '/api/login', headers: Record<string, string> = {}, method = 'POST') =>
    fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(method === 'POST' ? { body: '{"loginId": ' } : {}),
    });
  return { post, setSaturated: (value: boolean) => (saturated = value) };
}

t.test('while argon2 is saturated, POST /api/login gets the route’s 503 from the listener, headers and all', async (t) => {
  const app = await buildEmptyApp(t);
  const { post } = await serve(t, app);
  const answer = await post();
  t.equal(answer.status, 503);
  t.same(await answer.json(), loginRefusal({ kind: 'busy', retryAfterSeconds: 1 }).body);
  t.equal(answer.headers.get('retry-after'), '1');
  t.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
  t.equal(answer.headers.get('cache-control'), 'no-store');
  t.equal(answer.headers.get('vary'), 'Origin');
  t.equal(answer.headers.get('x-frame-options'), 'DENY');
  t.match(answer.headers.get('content-security-policy'), /frame-ancestors 'none'/);
});

t.test('an address past its failed-login budget gets the route’s 429 from the listener', async (t) => {
  const app = await buildEmptyApp(t, { limits: { failedLoginsPerAddress: 1 } });
  // One failed password from this address uses up its budget (oauth/login-guard.ts).
  const failed = await app.inject({
    method: 'POST',
    url: '/api/login',
    remoteAddress: '127.0.0.1',
    headers: apiHeaders(),
    payload: { loginId: 'nobody@example.com', password: 'wrong' },
  });
  t.equal(failed.statusCode, 404);
  const { post } = await serve(t, app);
  const answer = await post();
  t.equal(answer.status, 429);
  t.equal((await answer.json()).generalErrors[0].code, '[TooManyRequests]');
  t.ok(Number(answer.headers.get('retry-after')) >= 1);
});

t.test('left to Fastify: another method or path, a query, an Origin, no saturation, a fault, before the seed or while closing', async (t) => {
  let accepting = true;
  const app = await buildEmptyApp(t);
  const { post, setSaturated } = await serve(t, app, () => accepting);
  t.equal((await post('/api/login', {}, 'PUT')).status, 299, 'PUT');
  t.equal((await post('/api/login/')).status, 299, 'another path');
  t.equal((await post('/api/login?applicationId=x')).status, 299, 'a query: the route may still match it');
  t.equal((await post('/api/login', { origin: 'http://localhost:3000' })).status, 299, 'CORS answers each origin its own way');
  setSaturated(false);
  t.equal((await post()).status, 299, 'not saturated: the login is tried');
  setSaturated(true);
  const fault = app.standin.control.faults.add({ method: 'POST', path: '/api/login', status: 500 });
  t.equal((await post()).status, 299, 'a fault set: it may name this path');
  app.standin.control.faults.clear(fault.id);
  accepting = false;
  t.equal((await post()).status, 299, 'the seed not committed, or closing');
  accepting = true;
  t.equal((await post()).status, 503, 'and answered again once nothing stands in the way');
});

t.test('left to Fastify where the log writes request lines, or the client address comes from X-Forwarded-For', async (t) => {
  for (const options of [{ logLevel: 'info' as const }, { trustProxy: true }]) {
    const app = await buildEmptyApp(t, options);
    const { post } = await serve(t, app);
    t.equal((await post()).status, 299, JSON.stringify(options));
  }
});

t.test('buildApp puts the responder on its server: a shed login is answered there, an injected one by Fastify', async (t) => {
  let answeredEarly = 0;
  const { buildApp } = await t.mockImport<typeof import('../../src/app.js')>('../../src/app.js', {
    '../../src/shed-logins-before-routing.ts': {
      shedLoginsBeforeRouting: (app: StandinApp, accepting: () => boolean) => {
        const respond = shedLoginsBeforeRouting(app, accepting);
        return (request: IncomingMessage, response: ServerResponse) => {
          const answered = respond(request, response);
          if (answered) answeredEarly += 1;
          return answered;
        };
      },
    },
  });
  const app = await buildApp({ db: ':memory:', logLevel: 'silent', passwordHashing: 'fast', kickstart: testKickstart() });
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  app.standin.passwords.saturated = () => true;
  const { port } = app.server.address() as AddressInfo;
  const answer = await fetch(`http://127.0.0.1:${port}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  t.equal(answer.status, 503);
  t.equal(answeredEarly, 1, 'answered by the server’s listener');
  const injected = await app.inject({ method: 'POST', url: '/api/login', payload: {} });
  t.equal(injected.statusCode, 503);
  t.equal(answeredEarly, 1, 'inject never reaches the server');
});
