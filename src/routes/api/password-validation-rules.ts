import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import type { Tenant } from '../../model/tenant.js';
import { tenantWithDefaults } from '../../model/tenant-defaults.js';
import { permittedApiKey } from './api-key-access.js';
import { uuidParams } from './schemas.js';
import { isVisible, namedTenantId, requestTenant } from './tenant-scope.js';

/**
 * FusionAuth's Retrieve the Password Validation Rules (https://fusionauth.io/docs/apis/tenants, "Retrieve the Password
 * Validation Rules"): a tenant's `passwordValidationRules`, answered to anyone, since a sign-up form checks a new
 * password before it is sent. The rules are the tenant's as the Tenant API answers them, FusionAuth's defaults for
 * what it was created without (model/tenant-defaults.ts).
 */
export async function passwordValidationRulesRoutes(app: FastifyInstance): Promise<void> {
  const answer = (tenant: Tenant) => ({ passwordValidationRules: tenantWithDefaults(tenant).passwordValidationRules });

  // The tenant named by `X-FusionAuth-TenantId` or by a tenant-bound API key, if the caller sends one; else the
  // default tenant, as FusionAuth's anonymous APIs use when no tenant is named.
  app.get('/tenant/password-validation-rules', { config: { public: true } }, async (request) => {
    bindApiKey(request);
    return answer(requestTenant(request, () => app.standin.stores.tenants.list()[0]));
  });
  app.get<{ Params: { tenantId: string } }>(
    '/tenant/password-validation-rules/:tenantId',
    { config: { public: true }, schema: { params: uuidParams('tenantId') } },
    async (request) => {
      bindApiKey(request);
      const tenant = app.standin.stores.tenants.get(request.params.tenantId.toLowerCase());
      // A tenant the request's header or key does not name is hidden, as on every tenant-scoped API.
      if (!tenant || !isVisible(request, tenant.id)) throw ApiError.notFound();
      return answer(tenant);
    },
  );
}

/**
 * The API key is not needed here, but one that is sent and good still scopes the request to its tenant; one that is
 * not good is ignored, as no key at all would be. A header naming another tenant than the key's is FusionAuth's 401.
 */
function bindApiKey(request: FastifyRequest): void {
  permittedApiKey(request);
  namedTenantId(request);
}
