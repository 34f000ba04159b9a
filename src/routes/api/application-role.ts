import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createRole, deleteRole, updateRole } from '../../manage/application-roles.js';
import { requireBody } from '../../manage/request-body.js';
import { found, uuidParams } from './schemas.js';

interface Params {
  applicationId: string;
  roleId?: string;
}

/** FusionAuth's Application Role API: `{role}` in, `{role}` out; DELETE answers 200 with no body. */
export async function applicationRoleRoutes(app: FastifyInstance): Promise<void> {
  const { stores, config } = app.standin;
  const params = uuidParams('applicationId', 'roleId');
  const applicationOf = (request: FastifyRequest<{ Params: Params }>) => found(request, stores.applications.get(request.params.applicationId));
  const roleIdOf = (request: FastifyRequest<{ Params: Params }>) => request.params.roleId!;

  for (const url of ['/application/:applicationId/role', '/application/:applicationId/role/:roleId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => ({
      role: createRole(stores, config.now(), applicationOf(request), request.params.roleId, requireBody(request.body).role),
    }));
  }
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/application/:applicationId/role/:roleId', { schema: { params } }, async (request) => ({
      role: updateRole(stores, config.now(), applicationOf(request), roleIdOf(request), requireBody(request.body).role, mode),
    }));
  }
  app.delete<{ Params: Params }>('/application/:applicationId/role/:roleId', { schema: { params } }, async (request, reply) => {
    deleteRole(stores, config.now(), applicationOf(request), roleIdOf(request));
    return reply.code(200).send();
  });
}
