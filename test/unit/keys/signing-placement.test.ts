import { request as httpRequest, Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLocalJWKSet, jwtVerify } from 'jose';
import t, { type Test } from 'tap';
import { trackConcurrentClients } from '../../../src/http/concurrent-clients.js';
import { createJwtSigner } from '../../../src/keys/jwt-signer.js';
import { signOnPoolWhen } from '../../../src/keys/signing-placement.js';
import { API_KEY, buildEmptyApp } from '../../helpers/fixtures.js';

async function listening(t: Test): Promise<{ server: Server; get: (agent: Agent) => Promise<void> }> {
  const server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  );
  const { port } = server.address() as AddressInfo;
  const get = (agent: Agent) =>
    new Promise<void>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, agent }, (response) => response.resume().on('end', resolve))
        .on('error', reject)
        .end();
    });
  return { server, get };
}

t.test('one client asking again and again is not concurrent; two clients taking turns are, for a tenth of a second', async (t) => {
  const { server, get } = await listening(t);
  const concurrent = trackConcurrentClients(server);
  const [one, two] = [new Agent({ keepAlive: true, maxSockets: 1 }), new Agent({ keepAlive: true, maxSockets: 1 })];
  t.teardown(() => {
    [one, two].forEach((agent) => {
      agent.destroy();
    });
  });
  for (let i = 0; i < 5; i++) await get(one);
  t.equal(concurrent(), false, 'five requests on one kept-alive connection');
  await get(two);
  t.equal(concurrent(), true, 'a request on a second connection while the first is open');
  await sleep(150);
  t.equal(concurrent(), false, 'forgotten after a tenth of a second');
  await get(one);
  one.destroy();
  await sleep(150);
  await get(two);
  t.equal(concurrent(), false, 'the connection before it had closed: one client after another');
});

t.test('signatures go to the pool only with several clients and no password check running', async (t) => {
  let clients = false;
  let checks = 0;
  const onPool = signOnPoolWhen({ concurrentClients: () => clients, passwordChecksRunning: () => checks });
  t.equal(onPool(), false, 'one client');
  clients = true;
  t.equal(onPool(), true, 'several clients');
  checks = 2;
  t.equal(onPool(), false, 'argon2 holds the cores');
});

t.test('a token signed inline and one signed on the pool are the same JWS (RS256) or both verify (ES256)', async (t) => {
  const app = await buildEmptyApp(t);
  const es256 = await app.inject({
    method: 'POST',
    url: '/api/key/generate',
    headers: { authorization: API_KEY },
    payload: { key: { algorithm: 'ES256', name: 'es' } },
  });
  t.equal(es256.statusCode, 200);
  const keys = app.standin.stores.keys.list().filter((key) => key.algorithm === 'RS256' || key.algorithm === 'ES256');
  t.same(keys.map((key) => key.algorithm).sort(), ['ES256', 'RS256']);
  const jwks = createLocalJWKSet((await app.inject('/.well-known/jwks.json')).json());
  const claims = { sub: 'someone', iat: 1_700_000_000, exp: 4_000_000_000 };
  for (const key of keys) {
    const [inline, pooled] = await Promise.all(
      [false, true].map((pool) => createJwtSigner(app.standin.stores.keys, undefined, () => pool).sign(key.id, claims)),
    );
    if (key.algorithm === 'RS256') t.equal(inline, pooled, 'RSASSA-PKCS1-v1_5 is deterministic');
    for (const token of [inline!, pooled!]) t.same((await jwtVerify(token, jwks)).payload, claims, `${key.algorithm} verifies`);
  }
});
