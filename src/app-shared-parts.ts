import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import { answerBadUrl } from './http/bad-url-answer.js';
import { answerHeadWithGetRoutes } from './http/head-routes.js';
import { boundedJsonParser } from './http/json-body.js';
import { lazySchemaCompilers } from './http/lazy-schema-compilers.js';
import { redactUrl } from './http/redact-url.js';
import { addCanonicalIdHooks } from './plugins/canonical-ids.js';
import { corsPlugin } from './plugins/cors.js';
import { addFaultHooks } from './plugins/fault-hooks.js';
import { addIpAclGuard } from './plugins/ip-acl-guard.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';

/** The Fastify options of the root instance and of every route family's (http/lazy-route-families.ts). */
export function sharedOptions(config: Config): FastifyServerOptions {
  return {
    bodyLimit: 1024 * 1024,
    // Off unless asked for: X-Forwarded-* from anyone would let a client choose the endpoint URLs (docs/hardening.md,
    // "Client address").
    trustProxy: config.trustProxy,
    // Schemas compile when a route is first used, not at start-up (http/lazy-schema-compilers.ts).
    schemaController: { compilersFactory: lazySchemaCompilers },
    // HEAD is answered by each GET route itself (http/head-routes.ts).
    exposeHeadRoutes: false,
    // A path the router cannot decode gets Standin's answer, not Fastify's (http/bad-url-answer.ts).
    frameworkErrors: answerBadUrl,
    // Fastify's 100-character bound on a path segment answered a longer one with its own 414 before any hook ran.
    // Standin has no regular-expression routes, which the bound protects, and Node bounds the request line (16 KiB),
    // so every segment reaches its route, which judges it like any other (an id that is no id: 404 [NotModelled]).
    routerOptions: { maxParamLength: 16 * 1024 },
  };
}

/**
 * What every request meets before its route family's own hooks, on the root instance and on each family's:
 * HEAD for GET routes, the redacted 404, the bounded JSON parser, then CORS first (a preflight never uses up a
 * fault; a fault's answer keeps the CORS headers), ids in one spelling (plugins/canonical-ids.ts), so that faults
 * match a client id whatever its case, faults, security headers and the IP ACL guard. `root` owns the fault delays
 * that closing aborts. Must be added before any route. Cookies and pages are the route families' own
 * (route-families.ts): the root's routes read no cookie and render no page.
 */
export async function addSharedParts(app: FastifyInstance, root: FastifyInstance): Promise<void> {
  answerHeadWithGetRoutes(app);
  // Fastify's own 404 logs and echoes the raw URL, secrets included; this one says the same with them redacted
  // (route families with an error shape of their own keep their own 404).
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ message: `Route ${request.method}:${redactUrl(request.url)} not found`, error: 'Not Found', statusCode: 404 }),
  );
  // Every JSON body Standin reads is depth-bounded; the /api family keeps its own parser on the same bound.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, boundedJsonParser(app));
  await app.register(corsPlugin);
  addCanonicalIdHooks(app);
  addFaultHooks(app, root);
  await app.register(securityHeadersPlugin);
  // Before the routes, so that the hosted pages inherit it.
  addIpAclGuard(app);
}
