import type { FastifyInstance } from 'fastify';
import { importRefreshTokens } from '../../manage/import-refresh-tokens.js';
import { requireBody } from '../../manage/request-body.js';
import { isVisible } from './tenant-scope.js';

/**
 * FusionAuth's Import Refresh Tokens API, `POST /api/user/refresh-token/import` (TSC importRefreshTokens): 200 with
 * no body (https://fusionauth.io/docs/apis/users/import-refresh-tokens). A request that names a tenant (a
 * tenant-bound key, `X-FusionAuth-TenantId`) imports tokens for that tenant's users only: another tenant's user
 * does not exist for it. Rules in manage/import-refresh-tokens.ts.
 */
export async function refreshTokenImportRoutes(app: FastifyInstance): Promise<void> {
  app.post('/user/refresh-token/import', async (request, reply) => {
    importRefreshTokens(app.standin.stores, requireBody(request.body), (tenantId) => isVisible(request, tenantId));
    return reply.code(200).send();
  });
}
