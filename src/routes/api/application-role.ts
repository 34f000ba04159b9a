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
  const params = uuidParams('applicationId', 'roleId');
  const applicationOf = (request: FastifyRequest<{ Params: Params }>) =>
    found(request, app.standin.stores.applications.get(request.params.applicationId));
  const roleIdOf = (request: FastifyRequest<{ Params: Params }>) => request.params.roleId!;

  for (const url of ['/application/:applicationId/role', '/application/:applicationId/role/:roleId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => ({
      role: createRole(app.standin.stores, app.standin.config.now(), applicationOf(request), request.params.roleId, requireBody(request.body).role),
    }));
  }
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/application/:applicationId/role/:roleId', { schema: { params } }, async (request) => ({
      role: updateRole(app.standin.stores, app.standin.config.now(), applicationOf(request), roleIdOf(request), requireBody(request.body).role, mode),
    }));
  }
  app.delete<{ Params: Params }>('/application/:applicationId/role/:roleId', { schema: { params } }, async (request, reply) => {
    deleteRole(app.standin.stores, app.standin.config.now(), applicationOf(request), roleIdOf(request));
    return reply.code(200).send();
  });
}
