import type { FastifyInstance } from 'fastify';
import { createAuditLog, searchAuditLogs } from '../../manage/audit-logs.js';
import { foundByNumericId, numericIdParams } from './schemas.js';
import { searchRoutes } from './search-routes.js';

/**
 * FusionAuth's Audit Logs API (https://fusionauth.io/docs/apis/audit-logs): add an entry, retrieve one, search by GET
 * or POST. Export (`/api/system/audit-log/export`, a zip) is not modelled.
 */
export async function auditLogRoutes(app: FastifyInstance): Promise<void> {
  // FusionAuth's client types the answer as AuditLogResponse (`createAuditLog`), and so does its OpenAPI description:
  // the entry with its id, so that the caller can retrieve it.
  app.post('/system/audit-log', async (request) => ({
    auditLog: createAuditLog(app.standin.stores, app.standin.config.now(), request.body),
  }));
  searchRoutes(app, '/system/audit-log/search', (search) => searchAuditLogs(app.standin.stores, search.criteria, search.prefix));
  app.get<{ Params: { auditLogId: string } }>(
    '/system/audit-log/:auditLogId',
    { schema: { params: numericIdParams('auditLogId') } },
    async (request) => ({
      auditLog: foundByNumericId(request.params.auditLogId, (id) => app.standin.stores.auditLogs.get(id)),
    }),
  );
}
