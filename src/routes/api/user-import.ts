import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { importUsers } from '../../manage/import-users.js';
import { requireBody } from '../../manage/request-body.js';
import { isUuid } from '../../model/json.js';
import { eventInfoOfRequest } from './event-info.js';
import { namedTenantId, requestTenant } from './tenant-scope.js';

/**
 * FusionAuth's Import Users API, `POST /api/user/import` (TSC importUsers): 200 with no body
 * (https://fusionauth.io/docs/apis/users, "Import Users"). A request that names its tenant (the
 * `X-FusionAuth-TenantId` header, or a tenant-bound API key) imports every user into it and ignores
 * `users[x].tenantId`; one that names none takes each user's `tenantId`, else the only tenant there is.
 */
export async function userImportRoutes(app: FastifyInstance): Promise<void> {
  app.post('/user/import', async (request, reply) => {
    const body = requireBody(request.body);
    const named = namedTenantId(request) === undefined ? undefined : requestTenant(request).id;
    const tenantOf = (given: unknown): string => {
      if (named !== undefined) return named;
      if (given === undefined || given === null) return requestTenant(request).id;
      const tenant = typeof given === 'string' && isUuid(given) ? app.standin.stores.tenants.get(given.toLowerCase()) : undefined;
      if (!tenant)
        throw ApiError.general(
          '[invalid]tenantId',
          `The provided tenant Id [${typeof given === 'string' ? given : JSON.stringify(given)}] is not valid.`,
        );
      return tenant.id;
    };
    await importUsers(app.standin, body, tenantOf, eventInfoOfRequest(request));
    return reply.code(200).send();
  });
}
