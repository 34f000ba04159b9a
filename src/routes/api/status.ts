import type { FastifyInstance } from 'fastify';
import { STANDIN_VERSION } from '../../version.js';

/**
 * `GET /api/status`: 200 once the server accepts requests (FusionAuth System API); health checks and
 * `wait-on` scripts poll it, so it needs no API key.
 */
export async function statusRoutes(app: FastifyInstance): Promise<void> {
  app.get('/status', { config: { public: true } }, async () => ({ status: 'ok', version: STANDIN_VERSION }));
}
