import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { isUuid } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';

/**
 * The tenant a request acts in (FusionAuth APIs overview, "Making an API request using a Tenant Id"): the
 * `X-FusionAuth-TenantId` header, else the tenant the API key is bound to, else the only tenant there is,
 * else the tenant the request itself implies (`implied`, such as the application a new user registers to).
 * With several tenants and none of these, FusionAuth asks for one.
 */
export function requestTenant(request: FastifyRequest, implied?: () => Tenant | undefined): Tenant {
  const { tenants } = request.server.standin.stores;
  const named = namedTenantId(request);
  if (named !== undefined) {
    const tenant = isUuid(named) ? tenants.get(named) : undefined;
    if (!tenant) throw ApiError.general('[invalid]tenantId', `The provided tenant Id [${named}] is not valid.`);
    return tenant;
  }
  const all = tenants.list();
  if (all.length === 1) return all[0]!;
  const fromRequest = implied?.();
  if (fromRequest) return fromRequest;
  // FusionAuth's code and message, as its API answers (quoted in FusionAuth/go-client pull request #29).
  throw ApiError.general(
    '[TenantIdRequired]',
    'A Tenant Id is required to complete this request. To complete this request, you may assign a Tenant to your API key, or add the X-FusionAuth-TenantId HTTP request header with the Tenant Id.',
  );
}

/** True when an object of `tenantId` is visible to this request: a named tenant hides the others' objects. */
export function isVisible(request: FastifyRequest, tenantId: string): boolean {
  const named = namedTenantId(request);
  return named === undefined || named === tenantId;
}

/** The tenant the request names, by header or by its API key; undefined when it names none. */
export function namedTenantId(request: FastifyRequest): string | undefined {
  const header = request.headers['x-fusionauth-tenantid'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  const bound = request.apiKey?.tenantId;
  // A tenant-bound key acts in its tenant only (FusionAuth API Keys: "tenantId").
  if (bound !== undefined && fromHeader !== undefined && fromHeader !== bound) throw ApiError.unauthorized();
  return fromHeader || bound;
}

/**
 * For the endpoints FusionAuth serves only to a request that acts in no one tenant (Search for Tenants): one that
 * names a tenant by `X-FusionAuth-TenantId` gets FusionAuth's empty 401. A tenant-bound key is refused before
 * (model/api-key.ts).
 */
export async function refuseNamedTenant(request: FastifyRequest): Promise<void> {
  if (request.headers['x-fusionauth-tenantid'] !== undefined) throw ApiError.unauthorized();
}
