import AjvCompiler from '@fastify/ajv-compiler';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { lazySchemaCompilers } from '../../src/http/lazy-schema-compilers.js';

type RouteSchema = AjvCompiler.RouteDefinition;

// The server compiles its schemas without Ajv's meta-schema check (src/http/lazy-schema-compilers.ts says why):
// this is that check, for the schema of every part of every route Standin registers.
t.test("every route's schemas are valid JSON Schema, checked as Fastify's default compiler would", async (t) => {
  const registered: RouteSchema[] = [];
  const buildValidator = lazySchemaCompilers.buildValidator!;
  lazySchemaCompilers.buildValidator = (externalSchemas, options) => {
    const compile = buildValidator(externalSchemas, options);
    return (route: RouteSchema) => {
      registered.push(route);
      return compile(route);
    };
  };
  t.teardown(() => {
    lazySchemaCompilers.buildValidator = buildValidator;
  });
  const app = await buildApp({ db: ':memory:', passwordHashing: 'fast', logLevel: 'silent' });
  t.teardown(() => app.close());
  // A route family registers its routes when it is first asked for (src/route-families.ts): ask each once.
  const families = ['/api', '/oauth2', '/_standin'];
  for (const prefix of families) await app.inject(`${prefix}/no-such-route`);
  for (const prefix of families)
    t.ok(
      registered.some((route) => route.url?.startsWith(`${prefix}/`)),
      `the routes under ${prefix} are checked`,
    );

  // Fastify's own defaults: Ajv checks each schema against the meta-schema before compiling it.
  const compile = AjvCompiler()({}, { customOptions: {} });
  const failures = registered.flatMap((route) => {
    try {
      compile(route);
      return [];
    } catch (error) {
      return [`${route.method} ${route.url} ${route.httpPart ?? ''}: ${(error as Error).message}`];
    }
  });
  t.same(failures, [], 'every schema compiles with the meta-schema check');
  t.ok(registered.length >= 50, `${registered.length} route schemas checked`);
});
