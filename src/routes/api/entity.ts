import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createEntity, deleteEntity, entityView, searchEntities, updateEntity, visibleEntity } from '../../manage/entities.js';
import { requireMember } from '../../manage/request-body.js';
import { isObject, type JsonObject } from '../../model/json.js';
import { namedTenantId, requestTenant } from './tenant-scope.js';
import { elasticsearchOnly, fromQueryString } from './user-search.js';
import { uuidParams } from './schemas.js';

interface Params {
  entityId?: string;
}

/**
 * FusionAuth's Entity API (https://fusionauth.io/docs/apis/entities/entities): create (in the tenant the request acts
 * in), retrieve, replace, merge-patch, delete, and search with the database search engine. A request that names a
 * tenant (`X-FusionAuth-TenantId`, a tenant-bound key) sees only that tenant's entities.
 */
export async function entityRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('entityId');
  const load = (request: FastifyRequest<{ Params: Params }>) => visibleEntity(app.standin.stores, request.params.entityId, namedTenantId(request));

  const search = (request: FastifyRequest, criteria: unknown, prefix: '' | 'search.') => {
    const given = isObject(criteria) ? criteria : {};
    // Precedence as FusionAuth lists it: ids, then query, then queryString; `query` and `nextResults` need Elasticsearch.
    if (given.ids === undefined) {
      for (const name of ['query', 'nextResults'] as const) if (given[name] !== undefined) throw elasticsearchOnly(`${prefix}${name}`, 'entities');
    }
    return searchEntities(app.standin.stores, given, namedTenantId(request), prefix);
  };
  app.get('/entity/search', async (request) => search(request, fromQueryString(request.query as JsonObject), ''));
  app.post('/entity/search', async (request) => search(request, isObject(request.body) ? request.body.search : undefined, 'search.'));

  for (const url of ['/entity', '/entity/:entityId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const input = requireMember(request.body, 'entity');
      const tenant = requestTenant(request);
      return { entity: await createEntity(app.standin, tenant.id, request.params.entityId, input) };
    });
  }
  app.get<{ Params: Params }>('/entity/:entityId', { schema: { params } }, async (request) => ({
    entity: entityView(app.standin.stores, load(request)),
  }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/entity/:entityId', { schema: { params } }, async (request) => {
      const existing = load(request);
      return { entity: await updateEntity(app.standin, existing, requireMember(request.body, 'entity'), mode) };
    });
  }
  app.delete<{ Params: Params }>('/entity/:entityId', { schema: { params } }, async (request, reply) => {
    await deleteEntity(app.standin, load(request));
    return reply.code(200).send();
  });
}
