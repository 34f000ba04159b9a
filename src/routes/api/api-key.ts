import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { apiKeyView, createApiKey, updateApiKey, type KeyCaller } from '../../manage/api-keys.js';
import { requireBody, requireMember } from '../../manage/request-body.js';
import { keyCovers, type ApiKey } from '../../model/api-key.js';
import { uuidParams } from './schemas.js';
import { namedTenantId } from './tenant-scope.js';

interface Params {
  keyId?: string;
}

/**
 * FusionAuth's API Key API (https://fusionauth.io/docs/apis/api-keys): create with or without an id, retrieve,
 * replace, merge-patch, delete. Only a key manager gets here (model/api-key.ts keyAllows); a key bound to a tenant sees
 * only its tenant's keys (another's is FusionAuth's empty 404, as every object of another tenant), and no caller
 * reaches a key with rights it lacks (keyCovers: FusionAuth's "equal or greater permissions", an empty 401). A key
 * written here authenticates its very next request, and one deleted here none (api-key-access.ts reads the table).
 */
export async function apiKeyRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('keyId');
  const now = () => app.standin.config.now();
  const callerOf = (request: FastifyRequest): KeyCaller => ({ apiKey: request.apiKey!, tenantId: namedTenantId(request) });
  const load = (request: FastifyRequest<{ Params: Params }>): ApiKey => {
    const { keyId } = request.params;
    const apiKey = keyId === undefined ? undefined : app.standin.stores.apiKeys.get(keyId);
    const scope = namedTenantId(request);
    if (!apiKey || (scope !== undefined && apiKey.tenantId !== scope)) throw ApiError.notFound();
    if (!keyCovers(request.apiKey!, apiKey)) throw ApiError.unauthorized();
    return apiKey;
  };

  for (const url of ['/api-key', '/api-key/:keyId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const body = requireBody(request.body);
      // "Create a new Key from an existing Key": not modelled, rather than a key made from the rest of the body.
      if (body.sourceKeyId !== undefined && body.sourceKeyId !== null)
        throw ApiError.general('[NotModelled]', 'Standin does not copy API keys (sourceKeyId); see docs/management-api.md.');
      return { apiKey: createApiKey(app.standin.stores, now(), callerOf(request), request.params.keyId, requireMember(body, 'apiKey')) };
    });
  }
  app.get<{ Params: Params }>('/api-key/:keyId', { schema: { params } }, async (request) => ({ apiKey: apiKeyView(load(request)) }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/api-key/:keyId', { schema: { params } }, async (request) => {
      const existing = load(request);
      return { apiKey: updateApiKey(app.standin.stores, now(), callerOf(request), existing, requireMember(request.body, 'apiKey'), mode) };
    });
  }
  // A key may delete itself: it holds its own rights (FusionAuth's docs are silent; docs/management-api.md).
  app.delete<{ Params: Params }>('/api-key/:keyId', { schema: { params } }, async (request, reply) => {
    app.standin.stores.apiKeys.delete(load(request).id);
    return reply.code(200).send();
  });
}
