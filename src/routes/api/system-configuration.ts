import type { FastifyInstance } from 'fastify';
import { requireMember } from '../../manage/request-body.js';
import { mergePatch, type JsonObject } from '../../model/json.js';

/**
 * FusionAuth's System Configuration API, stored as given. Kickstarts set CORS here
 * (`corsConfiguration`); the CORS filter reads it on every request (docs/cors-and-discovery.md).
 */
export async function systemConfigurationRoutes(app: FastifyInstance): Promise<void> {
  app.get('/system-configuration', async () => ({ systemConfiguration: app.standin.stores.systemConfiguration.get() }));
  app.put('/system-configuration', async (request) => {
    app.standin.stores.systemConfiguration.set(requireMember(request.body, 'systemConfiguration'));
    return { systemConfiguration: app.standin.stores.systemConfiguration.get() };
  });
  app.patch('/system-configuration', async (request) => {
    const patch = requireMember(request.body, 'systemConfiguration');
    app.standin.stores.systemConfiguration.set(mergePatch(app.standin.stores.systemConfiguration.get(), patch) as JsonObject);
    return { systemConfiguration: app.standin.stores.systemConfiguration.get() };
  });
}
