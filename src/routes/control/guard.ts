import type { FastifyReply, FastifyRequest } from 'fastify';
import { controlEnabled } from '../../control/guard.js';
import { isServerWideKey } from '../../model/api-key.js';

/**
 * The guard of everything under `/_standin/`, as an `onRequest` or `preHandler` hook
 * (`app.addHook('onRequest', controlGuard)`, or `{ preHandler: controlGuard }` on a route):
 * - control off: the same 404 as an unknown route, so nothing tells that the API exists;
 * - no API key, an unknown one, or one that may not act on the whole server (bound to a tenant, limited to some
 *   endpoints, or expired): 401.
 * The key is a kickstart `apiKeys` key, raw in `Authorization` as on FusionAuth's `/api/*`.
 */
export async function controlGuard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const { config, stores } = request.server.standin;
  if (!controlEnabled(config)) {
    reply.callNotFound();
    return reply;
  }
  const header = request.headers.authorization;
  const apiKey = typeof header === 'string' && header !== '' && header.length <= 1024 ? stores.apiKeys.find(header) : undefined;
  if (isServerWideKey(apiKey, config.now())) return undefined;
  return reply.code(401).header('cache-control', 'no-store').send({
    error: 'unauthorized',
    message: 'The control API needs an API key from the kickstart (not bound to a tenant) in the Authorization header.',
  });
}
