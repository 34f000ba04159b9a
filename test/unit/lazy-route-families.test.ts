import Fastify, { type FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { LazyRouteFamilies, requestIdFromRoot, type RouteFamily } from '../../src/http/lazy-route-families.js';

interface Built {
  builds: number;
  closed: number;
}

/** A family whose instance echoes what it was given, and counts its builds and closes. */
function echoFamily(name: string, prefixes: string[], counts: Built, fail?: () => boolean): RouteFamily {
  return {
    name,
    prefixes,
    build: async () => {
      counts.builds += 1;
      // Slow enough that requests arriving together find the build under way.
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (fail?.()) throw new Error(`${name} would not build`);
      let own = 0;
      const app = Fastify({ genReqId: requestIdFromRoot(() => `own-${++own}`) });
      app.addHook('onClose', async () => {
        counts.closed += 1;
      });
      app.setNotFoundHandler((request, reply) => reply.code(404).send({ family: name, missing: request.url }));
      for (const prefix of prefixes) {
        app.post(`${prefix}/echo`, async (request) => ({ family: name, id: request.id, body: request.body }));
        app.get(prefix, async (request) => ({ family: name, id: request.id, query: request.query }));
      }
      await app.ready();
      return app;
    },
  };
}

async function rootWith(t: Test, families: RouteFamily[]): Promise<{ root: FastifyInstance; url: string; rootIds: string[] }> {
  const lazy = new LazyRouteFamilies(families);
  const root = Fastify();
  const rootIds: string[] = [];
  // Stands where the seed gate stands: a root hook that runs before the hand-over sees every request.
  root.addHook('onRequest', async (request) => {
    rootIds.push(request.id);
  });
  lazy.addHandOver(root);
  root.addHook('onClose', async () => lazy.close());
  root.get('/status', async () => ({ root: true }));
  root.setNotFoundHandler((_request, reply) => reply.code(404).send({ root: 'not found' }));
  const url = await root.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => root.close());
  return { root, url, rootIds };
}

t.test('a path belongs to the family of its prefix, at segment boundaries only', async (t) => {
  const lazy = new LazyRouteFamilies([
    echoFamily('api', ['/api'], { builds: 0, closed: 0 }),
    echoFamily('pages', ['/oauth2', '/app'], { builds: 0, closed: 0 }),
  ]);
  const of = (url: string) => lazy.familyOf(url)?.name;
  t.equal(of('/api'), 'api');
  t.equal(of('/api/user/1'), 'api');
  t.equal(of('/api?x=/oauth2'), 'api', 'the query is not part of the path');
  t.equal(of('/app/login'), 'pages');
  t.equal(of('/oauth2/token?client_id=a'), 'pages');
  t.equal(of('/apiary'), undefined, 'a longer first segment is not the prefix');
  t.equal(of('/oauth2x/token'), undefined);
  t.equal(of('/'), undefined);
  t.equal(of('/status'), undefined);
  const withHome = new LazyRouteFamilies([{ ...echoFamily('pages', ['/oauth2'], { builds: 0, closed: 0 }), paths: ['/'] }]);
  t.equal(withHome.familyOf('/')?.name, 'pages', 'a path of its own is the family’s');
  t.equal(withHome.familyOf('/?a=b')?.name, 'pages');
  t.equal(withHome.familyOf('//x'), undefined, 'and nothing below it');
});

t.test("a family is built on its first request, once for requests that arrive together, and answers with the root's request id", async (t) => {
  const api: Built = { builds: 0, closed: 0 };
  const pages: Built = { builds: 0, closed: 0 };
  const { root, url, rootIds } = await rootWith(t, [echoFamily('api', ['/api'], api), echoFamily('pages', ['/oauth2'], pages)]);

  t.same(await (await fetch(`${url}/status`)).json(), { root: true }, 'a root route answers');
  t.equal(api.builds + pages.builds, 0, 'no family is built for a root route');

  const answers = await Promise.all(
    Array.from({ length: 6 }, (_, index) =>
      fetch(`${url}/api/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ index }) }).then(
        async (response) => ({ status: response.status, body: (await response.json()) as { family: string; id: string; body: unknown } }),
      ),
    ),
  );
  t.equal(api.builds, 1, 'six requests arriving together build the family once');
  t.equal(pages.builds, 0, 'and no other family');
  answers.forEach(({ status, body }, index) => {
    t.equal(status, 200);
    t.same(body.body, { index }, 'the body reaches the family unread');
    t.ok(rootIds.includes(body.id), "the family's request id is the root's");
  });

  const injected = await root.inject({ url: '/oauth2?a=1' });
  t.same(injected.json(), { family: 'pages', id: injected.json<{ id: string }>().id, query: { a: '1' } }, 'inject reaches a family as well');
  t.equal(pages.builds, 1);
  t.same((await fetch(`${url}/api/nothing`)).status, 404);
  t.same(
    await (await fetch(`${url}/api/nothing`)).json(),
    { family: 'api', missing: '/api/nothing' },
    "an unknown path under a prefix is the family's 404",
  );
  t.same(await (await fetch(`${url}/elsewhere`)).json(), { root: 'not found' }, "an unknown path elsewhere is the root's 404");
  t.equal(api.builds, 1, 'a built family is kept');
});

t.test('a family that fails to build answers 500 and is built again by the next request', async (t) => {
  const counts: Built = { builds: 0, closed: 0 };
  let failures = 1;
  const { url } = await rootWith(t, [echoFamily('api', ['/api'], counts, () => failures-- > 0)]);
  const failed = await fetch(`${url}/api`);
  t.equal(failed.status, 500);
  t.match(await failed.json(), { statusCode: 500, message: /could not build the routes/ });
  const answered = await fetch(`${url}/api`);
  t.equal(answered.status, 200);
  t.equal(counts.builds, 2);
});

t.test('closing the root closes the families it built, and builds none', async (t) => {
  const api: Built = { builds: 0, closed: 0 };
  const pages: Built = { builds: 0, closed: 0 };
  const { root, url } = await rootWith(t, [echoFamily('api', ['/api'], api), echoFamily('pages', ['/oauth2'], pages)]);
  t.equal((await fetch(`${url}/api`)).status, 200);
  await root.close();
  t.same([api.builds, api.closed, pages.builds, pages.closed], [1, 1, 0, 0]);
});
