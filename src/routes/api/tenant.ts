import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { createTenant, deleteTenant, updateTenant } from '../../manage/tenants.js';
import { requireMember } from '../../manage/request-body.js';
import type { Tenant } from '../../model/tenant.js';
import { tenantWithDefaults } from '../../model/tenant-defaults.js';
import type { Standin } from '../../standin.js';
import { uuidParams } from './schemas.js';
import { isVisible } from './tenant-scope.js';

interface Params {
  tenantId?: string;
}

/** FusionAuth's Tenant API. */
export async function tenantRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('tenantId');
  const show = (tenant: Tenant) => ({ tenant: withIssuer(app.standin, tenant) });
  const load = (id: string | undefined, visible: (tenantId: string) => boolean) => {
    const tenant = id === undefined ? undefined : app.standin.stores.tenants.get(id);
    if (!tenant || !visible(tenant.id)) throw ApiError.notFound();
    return tenant;
  };

  for (const url of ['/tenant', '/tenant/:tenantId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) =>
      show(createTenant(app.standin.stores, app.standin.config.now(), request.params.tenantId, requireMember(request.body, 'tenant'))),
    );
  }
  app.get('/tenant', async (request) => ({
    tenants: app.standin.stores.tenants
      .list()
      .filter((tenant) => isVisible(request, tenant.id))
      .map((tenant) => withIssuer(app.standin, tenant)),
  }));
  app.get<{ Params: Params }>('/tenant/:tenantId', { schema: { params } }, async (request) =>
    show(load(request.params.tenantId, (id) => isVisible(request, id))),
  );
  app.put<{ Params: Params }>('/tenant/:tenantId', { schema: { params } }, async (request) => {
    const tenant = load(request.params.tenantId, (id) => isVisible(request, id));
    return show(updateTenant(app.standin.stores, app.standin.config.now(), tenant, requireMember(request.body, 'tenant'), 'replace'));
  });
  app.patch<{ Params: Params }>('/tenant/:tenantId', { schema: { params } }, async (request) => {
    const tenant = load(request.params.tenantId, (id) => isVisible(request, id));
    return show(updateTenant(app.standin.stores, app.standin.config.now(), tenant, requireMember(request.body, 'tenant'), 'merge'));
  });
  // Deleting a tenant deletes everything in it: its applications, users and their registrations.
  app.delete<{ Params: Params }>('/tenant/:tenantId', { schema: { params } }, async (request, reply) => {
    const tenant = load(request.params.tenantId, (id) => isVisible(request, id));
    deleteTenant(app.standin.stores, tenant.id);
    return reply.code(200).send();
  });
}

/**
 * A tenant as the API shows it: with the issuer it signs with, its own or the server's default, and FusionAuth's
 * defaults for the members it was created without (model/tenant-defaults.ts).
 */
function withIssuer(standin: Standin, tenant: Tenant): Tenant {
  return tenantWithDefaults({ ...tenant, issuer: standin.issuerOf(tenant) });
}
