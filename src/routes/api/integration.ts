import type { FastifyInstance } from 'fastify';
import { requireMember } from '../../manage/request-body.js';
import { mergePatch, isObject } from '../../model/json.js';
import { buildIntegrations, defaultIntegrations } from '../../model/integrations.js';

/**
 * FusionAuth's Integration API (https://fusionauth.io/docs/apis/integrations): retrieve, replace, merge-patch the one
 * Integrations object. Stored only while CleanSpeak and Kafka are disabled: Standin calls neither (model/integrations.ts).
 * Global keys only (model/api-key.ts).
 */
export async function integrationRoutes(app: FastifyInstance): Promise<void> {
  const current = () => app.standin.stores.integrations.get() ?? defaultIntegrations();
  app.get('/integration', async () => ({ integrations: current() }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]('/integration', async (request) => {
      const input = requireMember(request.body, 'integrations');
      const next = mode === 'merge' ? mergePatch(current(), input) : input;
      const integrations = buildIntegrations(isObject(next) ? next : {});
      app.standin.stores.integrations.set(integrations);
      return { integrations };
    });
  }
}
