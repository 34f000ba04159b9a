import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

/**
 * Every GET route also answers HEAD (RFC 9110 §9.3.2), as one route for both methods instead of Fastify's
 * `exposeHeadRoutes`, which registers a second, HEAD-only route for each: with some 80 GET routes that was about a
 * fifth of a start's route registration (bench/README.md, "Sixth round"). Use with `exposeHeadRoutes: false`.
 *
 * The answer to HEAD is the one Fastify's HEAD-only route gives: the GET handler's status and headers, the
 * `content-length` of the body it would have sent (0 for none), and no body.
 */
export function answerHeadWithGetRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = toArray(route.method);
    if (!methods.includes('GET') || methods.includes('HEAD')) return;
    route.method = [...methods, 'HEAD'];
    route.onSend = [...toArray(route.onSend), dropHeadBody];
  });
}

function toArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * What Fastify's own HEAD route does to a payload (its `lib/head-route.js`): the length of the body kept, the body
 * dropped. A stream (Standin sends none) would go on to Node, which writes no body in answer to HEAD.
 */
function dropHeadBody(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void): void {
  if (request.method !== 'HEAD') {
    done(null, payload);
    return;
  }
  if (payload === undefined) reply.header('content-length', '0');
  else if (typeof payload === 'string' || Buffer.isBuffer(payload)) reply.header('content-length', String(Buffer.byteLength(payload)));
  else {
    done(null, payload);
    return;
  }
  done(null, null);
}
