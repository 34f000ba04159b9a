import { createRequire } from 'node:module';
import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify's own schema compilers (@fastify/ajv-compiler and @fastify/fast-json-stringify-compiler, with
 * Fastify's default options), run on first use instead of at start-up: compiling every route's schemas with Ajv
 * when the server becomes ready was the largest part of a start (bench/README.md, "Start-up"). A route's
 * validator is compiled the first time a request reaches it; validation itself is unchanged.
 *
 * @fastify/ajv-compiler is a dependency of Standin's own (the version range Fastify asks for, so one copy serves
 * both), bundled and so in the code cache: loaded from `node_modules`, it and Ajv took ≈ 40 ms of the first request
 * with a schema. Ajv does not check Standin's schemas against the JSON Schema meta-schema when it compiles them
 * (`validateSchema: false`): compiling the meta-schema took ≈ 25 ms more. They are Standin's own, fixed schemas;
 * test/unit/route-schemas.test.ts checks every one against the meta-schema instead.
 */

interface RouteSchema {
  schema: unknown;
  method: string;
  url: string;
  httpPart?: string;
}
type Validate = ((data: unknown, context?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type Builder = (externalSchemas: unknown, options: unknown) => (route: RouteSchema) => unknown;
interface AjvOptions {
  customOptions?: Record<string, unknown>;
}

const once = (make: () => Builder): (() => Builder) => {
  let builder: Builder | undefined;
  return () => (builder ??= make());
};
const ajvCompiler = once(() => AjvCompiler() as unknown as Builder);
// Only for response schemas, which no route has: resolved from Fastify's own location, so this is exactly the
// module (and version) Fastify would load.
const serializerCompiler = once(() =>
  (createRequire(createRequire(import.meta.url).resolve('fastify'))('@fastify/fast-json-stringify-compiler') as () => Builder)(),
);

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/** For `Fastify({ schemaController: { compilersFactory: lazySchemaCompilers } })`. */
export const lazySchemaCompilers = {
  buildValidator(externalSchemas: unknown, options: AjvOptions) {
    const withoutMetaSchema = { ...options, customOptions: { ...options.customOptions, validateSchema: false } };
    let compile: ((route: RouteSchema) => unknown) | undefined;
    return (route: RouteSchema): Validate => {
      // A custom compiler gets header schemas as written: lower-case them as Fastify's default does
      // (header names are case-insensitive, RFC 9110 §5.1).
      const input = route.httpPart === 'headers' ? { ...route, schema: lowerCaseHeaders(route.schema) } : route;
      let validate: Validate | undefined;
      const compiled = (): Validate => (validate ??= (compile ??= ajvCompiler()(externalSchemas, withoutMetaSchema))(input) as Validate);
      const lazy = ((data: unknown, context?: unknown) => compiled()(data, context)) as Validate;
      // Fastify reads `schemaEnv` before the first call (to pass the parent for root coercion) and `errors` after it.
      Object.defineProperty(lazy, 'schemaEnv', { get: () => compiled().schemaEnv });
      Object.defineProperty(lazy, 'errors', { get: () => validate?.errors });
      return lazy;
    };
  },
  buildSerializer(externalSchemas: unknown, options: unknown) {
    return (route: RouteSchema) => serializerCompiler()(externalSchemas, options)(route);
  },
} as unknown as CompilersFactory;

function lowerCaseHeaders(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Object.getPrototypeOf(schema) !== Object.prototype) return schema;
  const copy: Record<string, unknown> = { ...(schema as Record<string, unknown>) };
  if (typeof copy.properties === 'object' && copy.properties !== null) {
    copy.properties = Object.fromEntries(Object.entries(copy.properties).map(([name, value]) => [name.toLowerCase(), value]));
  }
  if (Array.isArray(copy.required))
    copy.required = (copy.required as unknown[]).map((name) => (typeof name === 'string' ? name.toLowerCase() : name));
  return copy;
}
