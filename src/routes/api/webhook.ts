import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { requireMember } from '../../manage/request-body.js';
import { createWebhook, searchWebhooks, updateWebhook, type WebhookSearch } from '../../manage/webhooks.js';
import { isObject } from '../../model/json.js';
import { refuseEventsNeverSent } from './refuse-unmodelled.js';
import { uuidParams } from './schemas.js';

interface Params {
  webhookId?: string;
}

const searchQuery = {
  type: 'object',
  properties: {
    description: { type: 'string', maxLength: 512 },
    url: { type: 'string', maxLength: 2048 },
    tenantId: { type: 'string', pattern: '^[0-9a-fA-F-]{36}$' },
    orderBy: { type: 'string', maxLength: 128 },
    startRow: { type: 'integer', minimum: 0, default: 0 },
    numberOfResults: { type: 'integer', minimum: 1, maximum: 10_000, default: 25 },
  },
} as const;

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

  app.post('/webhook/search', async (request) => {
    const body = isObject(request.body) ? request.body : {};
    const search = isObject(body.search) ? body.search : {};
    const whole = (value: unknown, min: number, fallback: number) =>
      typeof value === 'number' && Number.isInteger(value) && value >= min ? value : fallback;
    const criteria: WebhookSearch = {
      startRow: whole(search.startRow, 0, 0),
      numberOfResults: Math.min(whole(search.numberOfResults, 1, 25), 10_000),
    };
    for (const field of ['description', 'url', 'tenantId'] as const) if (typeof search[field] === 'string') criteria[field] = search[field];
    return searchWebhooks(app.standin.stores, criteria);
  });
  app.get<{ Querystring: WebhookSearch }>('/webhook/search', { schema: { querystring: searchQuery } }, async (request) =>
    searchWebhooks(app.standin.stores, request.query),
  );

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
