import { refuseDuplicateId, refuseDuplicateName } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { FUSIONAUTH_APPLICATION_ID } from '../kickstart/built-in-variables.js';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import { buildTenant, type Tenant, type TenantContext } from '../model/tenant.js';
import type { Stores } from '../store/index.js';
import { searchObjects, type Found } from './search.js';
import { withConnectorPolicies } from './connectors.js';
import { withIpAclReference } from './ip-acls.js';
import { withThemeReference } from './themes.js';

/**
 * The members of a Tenant API request besides `tenant` (FusionAuth's Create a Tenant): `sourceTenantId`, a tenant to
 * copy (only `tenant.name` is taken from the request, every other value from the source), and `webhookIds`, the
 * webhooks not configured for all tenants that are to hear this one.
 */
export interface TenantRequestOptions {
  source?: Tenant;
  webhookIds?: string[];
}

export function createTenant(stores: Stores, now: number, id: string | undefined, input: JsonObject, options: TenantRequestOptions = {}): Tenant {
  const tenantId = id ?? randomUUID();
  refuseDuplicateId(stores.tenants.get(tenantId) !== undefined, 'tenantId', 'A tenant', tenantId);
  const given = options.source ? { ...options.source, name: input.name } : input;
  const tenant = checkedTenant(stores, given, { id: tenantId, now });
  stores.db.transaction(() => {
    stores.tenants.insert(tenant);
    if (options.webhookIds) addToWebhooks(stores, tenant.id, options.webhookIds);
  })();
  return tenant;
}

/** PUT replaces the tenant with `input`; PATCH merges `input` into it (RFC 7396). */
export function updateTenant(
  stores: Stores,
  now: number,
  existing: Tenant,
  input: unknown,
  mode: 'replace' | 'merge',
  options: TenantRequestOptions = {},
): Tenant {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const tenant = checkedTenant(stores, next, { id: existing.id, now, existing });
  stores.db.transaction(() => {
    stores.tenants.update(tenant);
    if (options.webhookIds) addToWebhooks(stores, tenant.id, options.webhookIds);
  })();
  return tenant;
}

/**
 * The tenant a create or an update would store: built from the request, its defaults and references filled in,
 * refused (thrown) for a name another tenant has or a lambda of the wrong type.
 */
function checkedTenant(stores: Stores, input: unknown, at: Omit<TenantContext, 'keyHoldsPrivateKey'>): Tenant {
  const built = buildTenant(input, { ...at, keyHoldsPrivateKey: stores.keys.holdsPrivateKey });
  const tenant = withConnectorPolicies(
    stores,
    withIpAclReference(stores, withThemeReference(stores, withDefaultKeys(stores, built), 'tenant'), 'tenant'),
  );
  refuseDuplicateName(stores.tenants.idByName(tenant.name), tenant, 'tenant.name', 'A tenant');
  checkClientCredentialsLambda(stores, tenant, at.existing);
  checkTenantLambdas(stores, tenant, at.existing);
  return tenant;
}

/**
 * `tenant.oauthConfiguration.clientCredentialsAccessTokenPopulateLambdaId`, when the request sets it, must name a
 * Client Credentials JWT populate lambda, as an application's lambda fields must name one of their type
 * (docs/lambdas.md); it runs on every entity's client credentials token (docs/entities.md).
 */
function checkClientCredentialsLambda(stores: Stores, tenant: Tenant, existing: Tenant | undefined): void {
  const populateOf = (of: Tenant | undefined): unknown => {
    const oauth: unknown = of?.oauthConfiguration;
    return isObject(oauth) ? oauth.clientCredentialsAccessTokenPopulateLambdaId : undefined;
  };
  const id = populateOf(tenant);
  if (id === undefined || id === null || id === populateOf(existing)) return;
  if (typeof id !== 'string' || stores.lambdas.get(id)?.type !== 'ClientCredentialsJWTPopulate') {
    const field = 'tenant.oauthConfiguration.clientCredentialsAccessTokenPopulateLambdaId';
    new FieldErrors().add(field, 'invalid', `The [${field}] property does not identify a ClientCredentialsJWTPopulate lambda.`).throwIfAny();
  }
}

/** The tenant's lambdas Standin runs, and the type each must have (docs/lambdas.md). */
const TENANT_LAMBDA_FIELDS = [
  ['loginValidationId', 'LoginValidation'],
  ['multiFactorRequirementId', 'MFARequirement'],
] as const;

/**
 * A tenant may only attach, as its login validation and MFA requirement lambdas, lambdas that exist and have that
 * type, as an application's fields are checked (model/lambda.ts); an id the tenant held already is not checked again
 * (its lambda may have been deleted since).
 */
function checkTenantLambdas(stores: Stores, tenant: Tenant, existing: Tenant | undefined): void {
  const lambdasOf = (of: Tenant | undefined) => (isObject(of?.lambdaConfiguration) ? of.lambdaConfiguration : {});
  const errors = new FieldErrors();
  for (const [field, type] of TENANT_LAMBDA_FIELDS) {
    const id = lambdasOf(tenant)[field];
    if (id === undefined || id === null || id === lambdasOf(existing)[field]) continue;
    if (typeof id !== 'string' || stores.lambdas.get(id)?.type !== type) {
      const path = `tenant.lambdaConfiguration.${field}`;
      errors.add(path, 'invalid', `The [${path}] property does not identify a ${type} lambda.`);
    }
  }
  errors.throwIfAny();
}

/** The webhooks named in `webhookIds` that are not configured for all tenants hear the tenant too. */
function addToWebhooks(stores: Stores, tenantId: string, webhookIds: string[]): void {
  for (const webhook of stores.webhooks.list()) {
    if (!webhook.global && webhookIds.includes(webhook.id) && !webhook.tenantIds.includes(tenantId)) {
      stores.webhooks.update({ ...webhook, tenantIds: [...webhook.tenantIds, tenantId] });
    }
  }
}

/**
 * Deletes a tenant and, by the database's cascades, everything in it. A webhook names its tenants inside its own
 * row, so the tenant's id is taken out of every webhook's `tenantIds` here: left there, it would refuse every later
 * update of the webhook, and a new tenant made under the same id would be heard without anyone asking.
 */
export function deleteTenant(stores: Stores, tenantId: string): void {
  stores.db.transaction(() => {
    for (const webhook of stores.webhooks.list()) {
      if (webhook.tenantIds.includes(tenantId)) stores.webhooks.update({ ...webhook, tenantIds: webhook.tenantIds.filter((id) => id !== tenantId) });
    }
    stores.tenants.delete(tenantId);
  })();
}

/**
 * FusionAuth gives a tenant that names no access or id token signing key, when it is created or updated, the key of
 * the default tenant (the FusionAuth application's): every tenant signs. The default tenant itself keeps the
 * keys it had. Before any tenant exists (the first start), there is nothing to fall back on.
 */
function withDefaultKeys(stores: Stores, tenant: Tenant): Tenant {
  const own = tenant.jwtConfiguration;
  if (own.accessTokenKeyId !== undefined && own.idTokenKeyId !== undefined) return tenant;
  const fusionAuth = stores.applications.get(FUSIONAUTH_APPLICATION_ID);
  const fallback = fusionAuth && stores.tenants.get(fusionAuth.tenantId)?.jwtConfiguration;
  const accessTokenKeyId = own.accessTokenKeyId ?? fallback?.accessTokenKeyId;
  const idTokenKeyId = own.idTokenKeyId ?? fallback?.idTokenKeyId;
  return {
    ...tenant,
    jwtConfiguration: {
      ...own,
      ...(accessTokenKeyId === undefined ? {} : { accessTokenKeyId }),
      ...(idTokenKeyId === undefined ? {} : { idTokenKeyId }),
    },
  };
}

/**
 * FusionAuth's Search for Tenants (https://fusionauth.io/docs/apis/tenants): `name` as text; ordered by `id`,
 * `insertInstant` or `name` (the default).
 */
export function searchTenants(stores: Stores, criteria: unknown, prefix: string): Found<Tenant> {
  return searchObjects(
    stores.tenants.list(),
    criteria,
    {
      orderBy: { id: (tenant) => tenant.id, insertInstant: (tenant) => tenant.insertInstant, name: (tenant) => tenant.name },
      defaultOrder: 'name',
      text: { name: (tenant) => tenant.name },
    },
    prefix,
  );
}
