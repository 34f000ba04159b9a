import type { FastifyInstance, FastifyRequest } from 'fastify';
import { visibleEntity } from '../../manage/entities.js';
import { findGrant, grantView, searchGrants, upsertGrant } from '../../manage/entity-grants.js';
import { requireMember } from '../../manage/request-body.js';
import type { JsonObject } from '../../model/json.js';
import { uuidParams } from './schemas.js';
import { searchRoutes } from './search-routes.js';
import { namedTenantId } from './tenant-scope.js';

interface Params {
  entityId?: string;
}

/**
 * FusionAuth's Grant APIs (https://fusionauth.io/docs/apis/entities/grants): upsert a grant of an entity's permissions
 * to a user or a recipient entity (`POST` or `PUT`, no body answered), retrieve all of an entity's grants or the one
 * to `?userId=` / `?recipientEntityId=`, delete one, and search them.
 */
export async function entityGrantRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('entityId');
  const entityOf = (request: FastifyRequest<{ Params: Params }>) =>
    visibleEntity(app.standin.stores, request.params.entityId, namedTenantId(request));

  searchRoutes(app, '/entity/grant/search', (search) => {
    const tenantId = namedTenantId(search.request);
    const { results, total } = searchGrants(app.standin.stores, search.criteria, tenantId, search.prefix);
    return { grants: results, total };
  });

  for (const method of ['post', 'put'] as const) {
    app[method]<{ Params: Params }>('/entity/:entityId/grant', { schema: { params } }, async (request, reply) => {
      const entity = entityOf(request);
      upsertGrant(app.standin.stores, app.standin.config.now(), entity, requireMember(request.body, 'grant'));
      return reply.code(200).send();
    });
  }
  app.get<{ Params: Params }>('/entity/:entityId/grant', { schema: { params } }, async (request) => {
    const entity = entityOf(request);
    const query = request.query as JsonObject;
    if (query.userId === undefined && query.recipientEntityId === undefined) {
      return { grants: app.standin.stores.entityGrants.ofEntity(entity.id).map((grant) => grantView(app.standin.stores, grant, entity)) };
    }
    return { grant: grantView(app.standin.stores, findGrant(app.standin.stores, entity, query), entity) };
  });
  app.delete<{ Params: Params }>('/entity/:entityId/grant', { schema: { params } }, async (request, reply) => {
    const entity = entityOf(request);
    const grant = findGrant(app.standin.stores, entity, request.query as JsonObject);
    app.standin.stores.entityGrants.delete(entity.id, {
      ...(grant.userId ? { userId: grant.userId } : { recipientEntityId: grant.recipientEntityId! }),
    });
    return reply.code(200).send();
  });
}
