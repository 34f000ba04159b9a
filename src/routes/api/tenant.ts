import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { createTenant, deleteTenant, searchTenants, updateTenant, type TenantRequestOptions } from '../../manage/tenants.js';
import { requireBody, requireMember } from '../../manage/request-body.js';
import { isUuid } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import { tenantWithDefaults } from '../../model/tenant-defaults.js';
import type { Standin } from '../../standin.js';
import { uuidParams } from './schemas.js';
import { isVisible, refuseNamedTenant } from './tenant-scope.js';
import { searchRoutes } from './search-routes.js';
import { refuseUnmodelled } from './refuse-unmodelled.js';

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

  /** `sourceTenantId` and `webhookIds`, checked (manage/tenants.ts, TenantRequestOptions). */
  const optionsOf = (request: FastifyRequest, copying: boolean): TenantRequestOptions => {
    const { sourceTenantId, webhookIds } = requireBody(request.body);
    const errors = new FieldErrors();
    let source: Tenant | undefined;
    if (copying && sourceTenantId !== undefined && sourceTenantId !== null) {
      source = typeof sourceTenantId === 'string' && isUuid(sourceTenantId) ? app.standin.stores.tenants.get(sourceTenantId) : undefined;
      if (!source || !isVisible(request, source.id))
        errors.add('sourceTenantId', 'invalid', 'The [sourceTenantId] property does not identify a tenant.');
    }
    let ids: string[] | undefined;
    if (webhookIds !== undefined && webhookIds !== null) {
      if (!Array.isArray(webhookIds) || webhookIds.some((id) => typeof id !== 'string' || !isUuid(id)))
        errors.add('webhookIds', 'invalid', 'The [webhookIds] property must be a list of webhook ids.');
      else {
        ids = webhookIds.map((id) => (id as string).toLowerCase());
        for (const id of ids.filter((each) => !app.standin.stores.webhooks.get(each)))
          errors.add('webhookIds', 'invalid', `The [webhookIds] property names a webhook [${id}] that does not exist.`);
      }
    }
    errors.throwIfAny();
    return { ...(source ? { source } : {}), ...(ids ? { webhookIds: ids } : {}) };
  };

  for (const url of ['/tenant', '/tenant/:tenantId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const input = requireMember(request.body, 'tenant');
      refuseUnmodelled(request, 'tenant', input, undefined);
      return show(createTenant(app.standin.stores, app.standin.config.now(), request.params.tenantId, input, optionsOf(request, true)));
    });
  }
  // Only a key of every tenant may search them, and with no `X-FusionAuth-TenantId` (Search for Tenants): a tenant-bound
  // key is refused by model/api-key.ts, the header here; both with FusionAuth's empty 401.
  searchRoutes(
    app,
    '/tenant/search',
    (search) => {
      const { results, total } = searchTenants(app.standin.stores, search.criteria, search.prefix);
      return { tenants: results.map((tenant) => withIssuer(app.standin, tenant)), total };
    },
    { onRequest: refuseNamedTenant },
  );
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
    const input = requireMember(request.body, 'tenant');
    refuseUnmodelled(request, 'tenant', input, tenant);
    return show(updateTenant(app.standin.stores, app.standin.config.now(), tenant, input, 'replace', optionsOf(request, false)));
  });
  app.patch<{ Params: Params }>('/tenant/:tenantId', { schema: { params } }, async (request) => {
    const tenant = load(request.params.tenantId, (id) => isVisible(request, id));
    const input = requireMember(request.body, 'tenant');
    refuseUnmodelled(request, 'tenant', input, tenant);
    return show(updateTenant(app.standin.stores, app.standin.config.now(), tenant, input, 'merge', optionsOf(request, false)));
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
