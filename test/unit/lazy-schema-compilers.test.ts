import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance } from 'fastify';
import t from 'tap';
import { lazySchemaCompilers } from '../../src/http/lazy-schema-compilers.js';

const schema = {
  body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 2 }, count: { type: 'integer' } } },
  querystring: { type: 'object', properties: { page: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' } } } },
  headers: { type: 'object', required: ['X-Trace-Id'], properties: { 'X-Trace-Id': { type: 'string', pattern: '^t-' } } },
};

function build(lazy: boolean): FastifyInstance {
  const app = Fastify(lazy ? { schemaController: { compilersFactory: lazySchemaCompilers } } : {});
  app.post('/thing', { schema }, async (request) => ({ body: request.body, query: request.query }));
  return app;
}

t.test('a validator is compiled when its route is first used, not when the server gets ready', async (t) => {
  const app = Fastify({ schemaController: { compilersFactory: lazySchemaCompilers } });
  // A reference Ajv cannot resolve: compiling it throws, so where the error shows says when it was compiled.
  app.post('/broken', { schema: { body: { $ref: 'nowhere#' } } }, async () => ({}));
  app.post('/fine', { schema }, async () => ({}));
  await app.ready();
  t.pass('ready: nothing compiled');
  const fine = await app.inject({ method: 'POST', url: '/fine', headers: { 'x-trace-id': 't-1' }, payload: { name: 'ab' } });
  t.equal(fine.statusCode, 200, 'a route whose schema compiles answers');
  const broken = await app.inject({ method: 'POST', url: '/broken', payload: {} });
  t.equal(broken.statusCode, 500, 'the broken schema fails its first request');
  t.match(broken.json(), { message: /nowhere/ });
  await app.close();
});

t.test("validation answers exactly as with Fastify's default compilers", async (t) => {
  const [lazy, eager] = [build(true), build(false)];
  t.teardown(() => Promise.all([lazy.close(), eager.close()]));
  const requests = [
    { headers: { 'x-trace-id': 't-1' }, payload: { name: 'ab', count: '3' }, query: 'page=2&tags=a' },
    { headers: { 'X-TRACE-ID': 't-2' }, payload: { name: 'ab' } },
    { headers: { 'x-trace-id': 't-1' }, payload: { name: 'a' } },
    { headers: { 'x-trace-id': 't-1' }, payload: { count: 1 } },
    { headers: {}, payload: { name: 'ab' } },
    { headers: { 'x-trace-id': 'nope' }, payload: { name: 'ab' } },
    { headers: { 'x-trace-id': 't-1' }, payload: { name: 'ab' }, query: 'page=x' },
  ];
  for (const [index, { headers, payload, query }] of requests.entries()) {
    const options = { method: 'POST' as const, url: `/thing${query ? `?${query}` : ''}`, headers, payload };
    const [a, b] = [await lazy.inject(options), await eager.inject(options)];
    t.equal(a.statusCode, b.statusCode, `request ${index}: status ${b.statusCode}`);
    t.same(a.json(), b.json(), `request ${index}: same body`);
  }
});

// Standin depends on @fastify/ajv-compiler itself (bundled, src/http/lazy-schema-compilers.ts): it must be the copy
// Fastify would load, or validation could differ from Fastify's own. A second copy means the ranges drifted apart.
t.test('the schema compiler Standin bundles is the one Fastify depends on', async (t) => {
  const ours = createRequire(import.meta.url).resolve('@fastify/ajv-compiler');
  const fastifys = createRequire(createRequire(import.meta.url).resolve('fastify')).resolve('@fastify/ajv-compiler');
  t.equal(ours, fastifys);
});
