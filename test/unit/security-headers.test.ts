import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import t from 'tap';
import { SECURITY_HEADER_OPTIONS, securityHeadersPlugin } from '../../src/plugins/security-headers.js';

async function build(plugin: (app: FastifyInstance) => PromiseLike<unknown>): Promise<FastifyInstance> {
  const app = Fastify();
  await plugin(app);
  app.get('/page', async (_request, reply) => reply.type('text/html').send('<p>hi</p>'));
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  return app;
}

t.test('the precomputed headers are exactly those @fastify/helmet writes, on pages, 404s and errors', async (t) => {
  const ours = await build((app) => app.register(securityHeadersPlugin));
  const theirs = await build((app) => app.register(helmet, SECURITY_HEADER_OPTIONS as FastifyHelmetOptions));
  t.teardown(() => Promise.all([ours.close(), theirs.close()]));
  for (const url of ['/page', '/missing', '/boom']) {
    const [a, b] = [await ours.inject(url), await theirs.inject(url)];
    const strip = (headers: Record<string, unknown>) => {
      const { date: _date, ...rest } = headers;
      return rest;
    };
    t.equal(a.statusCode, b.statusCode, `${url}: status`);
    t.same(strip(a.headers), strip(b.headers), `${url}: same headers`);
    t.match(a.headers['content-security-policy'], /frame-ancestors 'none'/);
  }
});
