import type { FastifyInstance } from 'fastify';
import { checkCorsConfiguration } from '../../cors/check-cors-configuration.js';
import { requireMember } from '../../manage/request-body.js';
import { mergePatch, type JsonObject } from '../../model/json.js';

/**
 * FusionAuth's System Configuration API, stored as given once its `corsConfiguration` is one the CORS filter
 * can apply. Kickstarts set CORS here; the CORS filter reads it on every request (docs/cors-and-discovery.md).
 */
export async function systemConfigurationRoutes(app: FastifyInstance): Promise<void> {
  const store = app.standin.stores.systemConfiguration;
  const save = (configuration: JsonObject) => {
    checkCorsConfiguration(configuration.corsConfiguration);
    store.set(configuration);
    return { systemConfiguration: store.get() };
  };
  app.get('/system-configuration', async () => ({ systemConfiguration: store.get() }));
  app.put('/system-configuration', async (request) => save(requireMember(request.body, 'systemConfiguration')));
  app.patch('/system-configuration', async (request) => {
    const patch = requireMember(request.body, 'systemConfiguration');
    return save(mergePatch(store.get(), patch) as JsonObject);
  });
}
