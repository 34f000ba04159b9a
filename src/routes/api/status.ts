import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { FUSIONAUTH_VERSION, STANDIN_VERSION } from '../../version.js';
import { permittedApiKey, permittedBasicApiKey } from './api-key-access.js';
import { addApiScope } from './scope.js';

/**
 * The status routes alone in the API's scope: the root instance registers them, so that a readiness check is answered
 * before the rest of the API is built (route-families.ts).
 */
export async function apiStatusRoutes(app: FastifyInstance): Promise<void> {
  addApiScope(app);
  await statusRoutes(app);
}

/**
 * `GET /api/status`: 200 once the server accepts requests (FusionAuth System API); health checks and
 * `wait-on` scripts poll it, so it needs no API key. `GET /api/system/version`: the FusionAuth version served.
 * `GET /api/health`: whether the database answers.
 */
export async function statusRoutes(app: FastifyInstance): Promise<void> {
  app.get('/status', { config: { public: true } }, async () => ({ status: 'ok', version: STANDIN_VERSION }));
  // FusionAuth's Retrieve System Version (https://fusionauth.io/docs/apis/system/retrieve-system-version): an API key,
  // raw or as Basic authentication, so the hook that takes only the raw key stands aside (`public`) and this checks both.
  app.get('/system/version', { config: { public: true } }, async (request) => {
    if (!permittedApiKey(request) && !permittedBasicApiKey(request)) throw ApiError.unauthorized();
    return { version: FUSIONAUTH_VERSION };
  });
  // FusionAuth's Retrieve System Health (`retrieveSystemHealth`; FusionAuth's OpenAPI description, `/api/health`): no
  // API key, 200 with no body while the system is healthy, 500 when it is not. Standin's one dependency is its database.
  app.get('/health', { config: { public: true } }, async (request, reply) => {
    try {
      app.standin.stores.db.prepare('SELECT 1').get();
    } catch (error) {
      request.log.error({ err: error }, 'health: the database does not answer');
      return reply.code(500).send();
    }
    return reply.code(200).send();
  });
}
