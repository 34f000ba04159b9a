import type { FastifyInstance } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import {
  createEntityType,
  createPermission,
  deleteEntityType,
  deletePermission,
  searchEntityTypes,
  updateEntityType,
  updatePermission,
} from '../../manage/entity-types.js';
import { requireMember } from '../../manage/request-body.js';
import type { EntityType } from '../../model/entity.js';
import { uuidParams } from './schemas.js';
import { searchRoutes } from './search-routes.js';

interface Params {
  entityTypeId?: string;
  permissionId?: string;
}

/**
 * FusionAuth's Entity Type API (https://fusionauth.io/docs/apis/entities/entity-types): entity types (create, retrieve
 * one or all, replace, merge-patch, delete, search) and their permissions (create, replace, merge-patch, delete by id
 * or by `?name=`). Entity types belong to no tenant, so only a key bound to none may call it (model/api-key.ts).
 */
export async function entityTypeRoutes(app: FastifyInstance): Promise<void> {
  const typeParams = uuidParams('entityTypeId');
  const permissionParams = uuidParams('entityTypeId', 'permissionId');
  const load = (id: string | undefined): EntityType => {
    const type = id === undefined ? undefined : app.standin.stores.entityTypes.get(id);
    if (!type) throw ApiError.notFound();
    return type;
  };
  const now = () => app.standin.config.now();

  searchRoutes(app, '/entity/type/search', (search) => {
    const { results, total } = searchEntityTypes(app.standin.stores, search.criteria, search.prefix);
    return { entityTypes: results, total };
  });

  for (const url of ['/entity/type', '/entity/type/:entityTypeId']) {
    app.post<{ Params: Params }>(url, { schema: { params: typeParams } }, async (request) => ({
      entityType: createEntityType(app.standin.stores, now(), request.params.entityTypeId, requireMember(request.body, 'entityType')),
    }));
  }
  app.get('/entity/type', async () => ({ entityTypes: app.standin.stores.entityTypes.list() }));
  app.get<{ Params: Params }>('/entity/type/:entityTypeId', { schema: { params: typeParams } }, async (request) => ({
    entityType: load(request.params.entityTypeId),
  }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/entity/type/:entityTypeId', { schema: { params: typeParams } }, async (request) => ({
      entityType: updateEntityType(app.standin.stores, now(), load(request.params.entityTypeId), requireMember(request.body, 'entityType'), mode),
    }));
    app[method]<{ Params: Params }>(
      '/entity/type/:entityTypeId/permission/:permissionId',
      { schema: { params: permissionParams } },
      async (request) => {
        const type = load(request.params.entityTypeId);
        const permission = type.permissions.find((each) => each.id === request.params.permissionId?.toLowerCase());
        if (!permission) throw ApiError.notFound();
        return { permission: updatePermission(app.standin.stores, now(), type, permission, requireMember(request.body, 'permission'), mode) };
      },
    );
  }
  app.delete<{ Params: Params }>('/entity/type/:entityTypeId', { schema: { params: typeParams } }, async (request, reply) => {
    deleteEntityType(app.standin.stores, load(request.params.entityTypeId));
    return reply.code(200).send();
  });

  for (const url of ['/entity/type/:entityTypeId/permission', '/entity/type/:entityTypeId/permission/:permissionId']) {
    app.post<{ Params: Params }>(url, { schema: { params: permissionParams } }, async (request) => {
      const type = load(request.params.entityTypeId);
      return {
        permission: createPermission(app.standin.stores, now(), type, request.params.permissionId, requireMember(request.body, 'permission')),
      };
    });
    // By id, or by `?name=` (Entity Type API, "Delete an Entity Type Permission").
    app.delete<{ Params: Params; Querystring: { name?: unknown } }>(url, { schema: { params: permissionParams } }, async (request, reply) => {
      const type = load(request.params.entityTypeId);
      const { permissionId } = request.params;
      const name = request.query.name;
      if (permissionId === undefined && (typeof name !== 'string' || name === '')) {
        new FieldErrors().add('name', 'blank', 'You must specify either the permission Id or the [name] parameter.').throwIfAny();
      }
      const permission = type.permissions.find((each) => (permissionId === undefined ? each.name === name : each.id === permissionId.toLowerCase()));
      if (!permission) throw ApiError.notFound();
      deletePermission(app.standin.stores, now(), type, permission);
      return reply.code(200).send();
    });
  }
}
