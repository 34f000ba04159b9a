import type { FastifyInstance } from 'fastify';
import { createGroup, deleteGroup, groupResponse, searchGroups, updateGroup } from '../../manage/groups.js';
import { requireBody } from '../../manage/request-body.js';
import { isObject } from '../../model/json.js';
import { found, uuidParams } from './schemas.js';
import { isVisible, namedTenantId, requestTenant } from './tenant-scope.js';

interface Params {
  groupId?: string;
}

/**
 * FusionAuth's Group API (https://fusionauth.io/docs/apis/groups; docs/groups.md): `{group, roleIds}` in,
 * `{group}` out, scoped to the tenant the request names (`X-FusionAuth-TenantId` or a tenant-bound key).
 */
export async function groupRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('groupId');
  const get = (id: string | undefined) => (id === undefined ? undefined : app.standin.stores.groups.get(id));

  for (const url of ['/group', '/group/:groupId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const tenant = requestTenant(request);
      return {
        group: groupResponse(app.standin.stores, await createGroup(app.standin, tenant.id, request.params.groupId, requireBody(request.body))),
      };
    });
  }
  app.get('/group', async (request) => ({
    groups: app.standin.stores.groups
      .list()
      .filter((group) => isVisible(request, group.tenantId))
      .map((group) => groupResponse(app.standin.stores, group)),
  }));
  app.get<{ Params: Params }>('/group/:groupId', { schema: { params } }, async (request) => ({
    group: groupResponse(app.standin.stores, found(request, get(request.params.groupId))),
  }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/group/:groupId', { schema: { params } }, async (request) => {
      const existing = found(request, get(request.params.groupId));
      return { group: groupResponse(app.standin.stores, await updateGroup(app.standin, existing, requireBody(request.body), mode)) };
    });
  }
  // Deleting a group ends its memberships and the roles they granted (ON DELETE CASCADE); no body.
  app.delete<{ Params: Params }>('/group/:groupId', { schema: { params } }, async (request, reply) => {
    await deleteGroup(app.standin, found(request, get(request.params.groupId)));
    return reply.code(200).send();
  });
  app.get('/group/search', async (request) => searchGroups(app.standin.stores, request.query, namedTenantId(request), ''));
  app.post('/group/search', async (request) => {
    const body = request.body;
    return searchGroups(app.standin.stores, isObject(body) ? body.search : undefined, namedTenantId(request), 'search.');
  });
}
