import type { FastifyInstance } from 'fastify';
import { requireMember } from '../../manage/request-body.js';
import { mergePatch, type JsonObject } from '../../model/json.js';

/**
 * FusionAuth's System Configuration API, stored as given. Kickstarts set CORS here
 * (`corsConfiguration`); the CORS filter reads it on every request (docs/cors-and-discovery.md).
 */
export async function systemConfigurationRoutes(app: FastifyInstance): Promise<void> {
  const { systemConfiguration } = app.standin.stores;
  app.get('/system-configuration', async () => ({ systemConfiguration: systemConfiguration.get() }));
  app.put('/system-configuration', async (request) => {
    systemConfiguration.set(requireMember(request.body, 'systemConfiguration'));
    return { systemConfiguration: systemConfiguration.get() };
  });
  app.patch('/system-configuration', async (request) => {
    const patch = requireMember(request.body, 'systemConfiguration');
    systemConfiguration.set(mergePatch(systemConfiguration.get(), patch) as JsonObject);
    return { systemConfiguration: systemConfiguration.get() };
  });
}
