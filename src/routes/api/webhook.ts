import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { requireMember } from '../../manage/request-body.js';
import { createWebhook, searchWebhooks, updateWebhook } from '../../manage/webhooks.js';
import { refuseEventsNeverSent } from './refuse-unmodelled.js';
import { uuidParams } from './schemas.js';
import { searchRoutes } from './search-routes.js';

interface Params {
  webhookId?: string;
}

/**
 * Webhooks are an instance-wide setting in FusionAuth (Settings → Webhooks): an API key bound to one tenant may
 * not read or change them, since they hold other tenants' URLs and credentials (docs/webhooks.md, "Security").
 */
export async function requireInstanceKey(request: FastifyRequest): Promise<void> {
  if (request.apiKey?.tenantId !== undefined) throw ApiError.unauthorized();
}

/**
 * FusionAuth's Webhook API (https://fusionauth.io/docs/apis/webhooks): create with or without an id, retrieve one
 * or all, replace, merge-patch, delete, search.
 */
export async function webhookRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('webhookId');
  const load = (id: string | undefined) => {
    const webhook = id === undefined ? undefined : app.standin.stores.webhooks.get(id);
    if (!webhook) throw ApiError.notFound();
    return webhook;
  };
  app.addHook('preHandler', requireInstanceKey);

  searchRoutes(app, '/webhook/search', (search) => {
    const { results, total } = searchWebhooks(app.standin.stores, search.criteria, search.prefix);
    return { webhooks: results, total };
  });

  for (const url of ['/webhook', '/webhook/:webhookId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const input = requireMember(request.body, 'webhook');
      refuseEventsNeverSent(request, input, undefined);
      return { webhook: createWebhook(app.standin.stores, app.standin.config.now(), request.params.webhookId, input) };
    });
  }
  app.get('/webhook', async () => ({ webhooks: app.standin.stores.webhooks.list() }));
  app.get<{ Params: Params }>('/webhook/:webhookId', { schema: { params } }, async (request) => ({ webhook: load(request.params.webhookId) }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/webhook/:webhookId', { schema: { params } }, async (request) => {
      const existing = load(request.params.webhookId);
      const input = requireMember(request.body, 'webhook');
      refuseEventsNeverSent(request, input, existing);
      return { webhook: updateWebhook(app.standin.stores, app.standin.config.now(), existing, input, mode) };
    });
  }
  app.delete<{ Params: Params }>('/webhook/:webhookId', { schema: { params } }, async (request, reply) => {
    app.standin.stores.webhooks.delete(load(request.params.webhookId).id);
    return reply.code(200).send();
  });
}
