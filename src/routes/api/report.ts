import type { FastifyInstance, FastifyRequest } from 'fastify';
import { activeUsers, loginCounts, readReportRequest, readReportUserId, registrationCounts, totalsReport } from '../../manage/reports.js';
import type { JsonObject } from '../../model/json.js';
import { userByLoginId } from './login-id.js';
import { namedTenantId, requestTenant } from './tenant-scope.js';

/**
 * FusionAuth's Reports API (https://fusionauth.io/docs/apis/reports; docs/reports.md), counted from the login records,
 * registrations and users Standin holds. A request that acts in one tenant (`X-FusionAuth-TenantId`, a tenant-bound
 * key) counts its tenant's users, logins and applications only.
 */
export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const read = (request: FastifyRequest) => readReportRequest(request.query as JsonObject, namedTenantId(request));

  app.get('/report/daily-active-user', async (request) => {
    const { counts, total } = activeUsers(app.standin.stores, read(request), 'day');
    return { dailyActiveUsers: counts, total };
  });
  app.get('/report/monthly-active-user', async (request) => {
    const { counts, total } = activeUsers(app.standin.stores, read(request), 'month');
    return { monthlyActiveUsers: counts, total };
  });
  app.get('/report/login', async (request) => {
    const query = request.query as JsonObject;
    const report = read(request);
    // "if both are provided, the loginId will take precedence" (https://fusionauth.io/docs/apis/reports).
    const userId =
      typeof query.loginId === 'string' && query.loginId !== ''
        ? (userByLoginId(app.standin.stores, requestTenant(request).id, query.loginId, query.loginIdTypes)?.id ?? NO_USER)
        : readReportUserId(query);
    const { counts, total } = loginCounts(app.standin.stores, userId === undefined ? report : { ...report, userId });
    return { hourlyCounts: counts, total };
  });
  app.get('/report/registration', async (request) => {
    const { counts, total } = registrationCounts(app.standin.stores, read(request));
    return { hourlyCounts: counts, total };
  });
  app.get('/report/totals', async (request) => totalsReport(app.standin.stores, (request.query as JsonObject).excludes, namedTenantId(request)));
}

// A loginId that names no user narrows the report to no one: an empty report, not every user's logins.
const NO_USER = 'no-user';
