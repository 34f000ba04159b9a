import type { FastifyInstance } from 'fastify';
import { callbackRoute } from './callback.js';
import { loginRoutes } from './login.js';
import { logoutRoutes } from './logout.js';
import { meRoutes } from './me.js';
import { refreshRoutes } from './refresh.js';

/**
 * FusionAuth's hosted backend (https://fusionauth.io/docs/apis/hosted-backend): the `/app/*` endpoints FusionAuth's
 * React, Angular and Vue SDKs call, so that a SPA with no backend of its own keeps its tokens in HttpOnly
 * cookies. Each call runs through Standin's own OAuth endpoints, with their rules; one file per endpoint.
 */
export async function hostedBackendRoutes(app: FastifyInstance): Promise<void> {
  // The SDKs send empty bodies as text/plain or JSON (docs/hosted-backend.md): any body here is ignored.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, _body, done) => {
    done(null, undefined);
  });
  // Every answer here sets or reads token cookies: never cached (RFC 6749 §5.1).
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  // CORS here is the app-wide policy's (src/plugins/cors.ts): the system configuration's origins, and the
  // applications' authorizedOriginURLs with credentials (docs/cors-and-discovery.md).
  loginRoutes(app);
  callbackRoute(app);
  refreshRoutes(app);
  meRoutes(app);
  logoutRoutes(app);
}
