import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { corsDecision, corsScope, corsSettings, type CorsDecision, type CorsSettings } from '../cors/policy.js';
import { isApplicationOrigin } from '../hosted-backend/allowed-origins.js';
import { requestBaseUrl } from '../request-base-url.js';

/**
 * One CORS policy for the whole app, as FusionAuth's CORS filter (rules in src/cors/policy.ts,
 * docs/cors-and-discovery.md). The system configuration is read on every request, so a change through
 * `PUT`/`PATCH /api/system-configuration` applies to the next request. Registered on the root before the
 * fault hooks: a preflight is answered here and never uses up a fault, and a fault's answer to an allowed
 * origin carries the CORS headers, so a browser app sees the injected failure rather than a CORS error.
 */
export const corsPlugin = fp(
  async (app: FastifyInstance) => {
    const decisions = new WeakMap<FastifyRequest, CorsDecision>();

    app.addHook('onRequest', async (request, reply) => {
      const path = routePath(request);
      if (corsScope(path) === 'outside') return;
      let settings: CorsSettings | undefined;
      const readSettings = () => (settings ??= corsSettings(app.standin.stores.systemConfiguration.get().corsConfiguration));
      const origin = header(request, 'origin');
      const decision = corsDecision(
        {
          method: request.method,
          path,
          origin,
          ownOrigins: origin === undefined ? [] : ownOrigins(request, app.standin.baseUrl()),
          fetchSite: header(request, 'sec-fetch-site'),
          requestMethod: header(request, 'access-control-request-method'),
          requestHeaders: header(request, 'access-control-request-headers'),
          contentType: header(request, 'content-type'),
        },
        readSettings,
        (origin) => isApplicationOrigin(app.standin.stores, clientIdOf(request), origin),
      );
      decisions.set(request, decision);
      if (decision.kind === 'refuse') {
        // FusionAuth's corsConfiguration.debug explains each 403 in its event log; here, in the server log.
        request.log[readSettings().debug ? 'info' : 'debug']({ origin }, `CORS request refused: ${decision.reason}`);
        return reply.code(403).type('text/plain; charset=utf-8').send(`Forbidden by the CORS configuration: ${decision.reason}.`);
      }
      if (decision.kind === 'preflight') return reply.code(204).headers(decision.headers).send();
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const decision = decisions.get(request);
      if (!decision) return payload;
      if (decision.kind === 'actual') reply.headers(decision.headers);
      addVary(reply, decision.vary);
      return payload;
    });
  },
  { name: 'cors' },
);

/**
 * The path the router matched (so that `%61` or `//` spellings cannot move a request into or out of a
 * scope), or the request's own path on a 404.
 */
function routePath(request: FastifyRequest): string {
  const matched = request.routeOptions.url;
  if (matched !== undefined) return matched;
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Standin's origin as this request reached it, and as configured: a request from either is same-origin. */
function ownOrigins(request: FastifyRequest, configured: string): string[] {
  return [new URL(requestBaseUrl(request, configured)).origin, new URL(configured).origin];
}

function clientIdOf(request: FastifyRequest): string | undefined {
  const fromPath = (request.params as { clientId?: unknown } | undefined)?.clientId;
  if (typeof fromPath === 'string') return fromPath;
  const fromQuery = (request.query as { client_id?: unknown } | undefined)?.client_id;
  return typeof fromQuery === 'string' ? fromQuery : undefined;
}

/** Adds field names to `Vary`, keeping what the route set (discovery varies by Host too). */
function addVary(reply: FastifyReply, names: readonly string[]): void {
  if (names.length === 0) return;
  const existing = reply.getHeader('vary');
  const current = (Array.isArray(existing) ? existing.join(',') : existing === undefined ? '' : String(existing))
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (current.includes('*')) return;
  const lower = new Set(current.map((name) => name.toLowerCase()));
  const added = names.filter((name) => !lower.has(name.toLowerCase()));
  if (added.length > 0) reply.header('vary', [...current, ...added].join(', '));
}
