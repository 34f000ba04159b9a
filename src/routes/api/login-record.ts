import type { FastifyInstance } from 'fastify';
import { recentLogins, searchLoginRecords } from '../../manage/login-records.js';
import type { JsonObject } from '../../model/json.js';
import { searchRoutes } from './search-routes.js';
import { namedTenantId } from './tenant-scope.js';

/**
 * FusionAuth's login records, written at each login (oauth/record-login.ts): Search Login Records
 * (https://fusionauth.io/docs/apis/login, GET or POST) and Retrieve Recent Logins (https://fusionauth.io/docs/apis/users).
 * A request that acts in one tenant (`X-FusionAuth-TenantId`, a tenant-bound key) sees its tenant's users' logins
 * only. Export (`/api/system/login-record/export`, a zip) is not modelled.
 */
export async function loginRecordRoutes(app: FastifyInstance): Promise<void> {
  // `retrieveTotal` sits beside `search` in a POST body, among the parameters of a GET.
  searchRoutes(app, '/system/login-record/search', (search) =>
    searchLoginRecords(app.standin.stores, search.criteria, search.prefix, search.outer.retrieveTotal, namedTenantId(search.request)),
  );
  app.get('/user/recent-login', async (request) => recentLogins(app.standin.stores, request.query as JsonObject, namedTenantId(request)));
}
