import Fastify from 'fastify';
import t from 'tap';
import { addSeedGate } from '../../src/seed/seed-gate.js';

t.test('while the seed runs, /api/status answers and other requests from the network wait for it', async (t) => {
  const app = Fastify();
  const gate = addSeedGate(app);
  let seeded = false;
  app.get('/api/status', async () => ({ status: 'ok' }));
  app.get('/data', async () => ({ seeded }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => app.close());

  let finish!: () => void;
  const running = gate.run(async () => {
    // The seed's own in-process requests pass the gate (the kickstart replays with inject).
    t.same((await app.inject('/data')).json(), { seeded: false }, 'an injected request is not held');
    await new Promise<void>((resolve) => (finish = resolve));
    seeded = true;
  });
  t.equal((await fetch(`${address}/api/status`)).status, 200, 'status answers before the seed is done');
  const data = fetch(`${address}/data`).then((response) => response.json());
  const early = await Promise.race([data.then(() => 'answered'), new Promise((resolve) => setTimeout(resolve, 200, 'waiting'))]);
  t.equal(early, 'waiting', 'a request for data waits');
  finish();
  await running;
  t.same(await data, { seeded: true }, 'and answers once the seed is committed');
  t.same(await (await fetch(`${address}/data`)).json(), { seeded: true });
});

t.test('a failed seed fails the requests that waited for it, and close still works', async (t) => {
  const app = Fastify();
  const gate = addSeedGate(app);
  app.get('/data', async () => ({ ok: true }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  let fail!: (error: Error) => void;
  const running = gate.run(() => new Promise<void>((_resolve, reject) => (fail = reject)));
  const data = fetch(`${address}/data`);
  await new Promise((resolve) => setTimeout(resolve, 50));
  fail(new Error('seed failed'));
  await t.rejects(running, /seed failed/);
  t.equal((await data).status, 500);
  await app.close();
});
