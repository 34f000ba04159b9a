import type { FieldErrors } from '../errors.js';
import type { JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import type { Stores } from '../store/index.js';

/**
 * What an API key bound to `tenant` may vend (FusionAuth API Keys: a tenant-bound key acts in its tenant only;
 * docs/hardening-tokens.md): a JWT signed with a key its tenant or one of the tenant's applications signs with,
 * whose `tid`, `sub`, `aud` and `applicationId` name nothing of another tenant. Free-form values that name no
 * tenant, user or application (`sub: "batch-job"`, `aud: "reports-api"`) stay free, as FusionAuth's vend allows.
 */
export function checkVendScope(stores: Stores, tenant: Tenant, keyId: string, claims: JsonObject, errors: FieldErrors): void {
  if (!keysOfTenant(stores, tenant).has(keyId)) {
    errors.add('keyId', 'invalid', 'The [keyId] property must name a key that this API key’s tenant signs with.');
  }
  const { tid, sub, aud, applicationId } = claims;
  if (tid !== undefined && tid !== tenant.id) {
    errors.add('claims.tid', 'invalid', 'The [claims.tid] claim must be the tenant this API key is bound to.');
  }
  if (typeof sub === 'string' && otherTenant(stores.users.get(sub.toLowerCase())?.tenantId, tenant)) {
    errors.add('claims.sub', 'invalid', 'The [claims.sub] claim names a user outside the tenant this API key is bound to.');
  }
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (audiences.some((one) => typeof one === 'string' && otherTenant(stores.applications.get(one.toLowerCase())?.tenantId, tenant))) {
    errors.add('claims.aud', 'invalid', 'The [claims.aud] claim names an application outside the tenant this API key is bound to.');
  }
  if (typeof applicationId === 'string' && otherTenant(stores.applications.get(applicationId.toLowerCase())?.tenantId, tenant)) {
    errors.add(
      'claims.applicationId',
      'invalid',
      'The [claims.applicationId] claim names an application outside the tenant this API key is bound to.',
    );
  }
}

function otherTenant(tenantId: string | undefined, tenant: Tenant): boolean {
  return tenantId !== undefined && tenantId !== tenant.id;
}

/** The keys a tenant signs with: its own access and id token keys and those of its applications. */
function keysOfTenant(stores: Stores, tenant: Tenant): Set<string> {
  const keys = new Set<string>();
  const add = (keyId: unknown) => typeof keyId === 'string' && keys.add(keyId);
  add(tenant.jwtConfiguration.accessTokenKeyId);
  add(tenant.jwtConfiguration.idTokenKeyId);
  for (const application of stores.applications.list(tenant.id)) {
    if (!application.jwtConfiguration.enabled) continue;
    add(application.jwtConfiguration.accessTokenKeyId);
    add(application.jwtConfiguration.idTokenKeyId);
  }
  return keys;
}
