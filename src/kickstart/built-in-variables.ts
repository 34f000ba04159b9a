import { randomUUID } from 'node:crypto';
import { isUuid } from '../model/json.js';
import { KickstartError } from './types.js';

/** The FusionAuth application every install has (Default entities); kickstarts register admins to it. */
export const FUSIONAUTH_APPLICATION_ID = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';

/** The Tenant Manager application's id when the kickstart does not set `tenantManagerApplicationId`. */
const DEFAULT_TENANT_MANAGER_APPLICATION_ID = '2d6d5a9c-0d25-4b5e-a6f1-5f3f6d0c0201';

/**
 * Ids of objects a FusionAuth install creates and a kickstart may name (Kickstart docs, "Variables":
 * https://fusionauth.io/docs/get-started/download-and-install/development/kickstart): the default reconcile
 * lambdas, the admin forms and the Tenant Manager application. FusionAuth picks them at random per install;
 * Standin keeps these fixed ones so that every database answers the same. Standin does not create these
 * built-in lambdas, forms or the Tenant Manager: a kickstart can put these ids into the objects it sends (an identity
 * provider's `lambdaConfiguration`, say), and they are kept as sent (docs/built-ins-and-defaults.md). A
 * variable the kickstart declares itself wins over these, but for the Tenant Manager's, which all follow
 * `tenantManagerApplicationId`.
 */
export const BUILT_IN_OBJECT_IDS: Readonly<Record<string, string>> = {
  'FUSIONAUTH_LAMBDA[OpenIDReconcile]_ID': '2d6d5a9c-0d25-4b5e-a6f1-5f3f6d0c0001',
  'FUSIONAUTH_LAMBDA[SAMLv2Reconcile]_ID': '2d6d5a9c-0d25-4b5e-a6f1-5f3f6d0c0002',
  'FUSIONAUTH_LAMBDA[AppleReconcile]_ID': '2d6d5a9c-0d25-4b5e-a6f1-5f3f6d0c0003',
  'FUSIONAUTH_LAMBDA[FacebookReconcile]_ID': '2d6d5a9c-0d25-4b5e-a6f1-5f3f6d0c0004',
  'FUSIONAUTH_LAMBDA[GoogleReconcile]_ID': '2d6d5a9c-0d25-4b5e-a6f1-5f3f6d0c0005',
  'FUSIONAUTH_LAMBDA[TwitterReconcile]_ID': '2d6d5a9c-0d25-4b5e-a6f1-5f3f6d0c0006',
  'FUSIONAUTH_FORM[adminUser]_ID': '2d6d5a9c-0d25-4b5e-a6f1-5f3f6d0c0101',
  'FUSIONAUTH_FORM[adminRegistration]_ID': '2d6d5a9c-0d25-4b5e-a6f1-5f3f6d0c0102',
  // All three name the Tenant Manager application (TENANT_MANAGER_ID since 1.58.0, the other two since 1.60.0);
  // a kickstart that sets tenantManagerApplicationId moves all three to its id (builtInVariables).
  TENANT_MANAGER_ID: DEFAULT_TENANT_MANAGER_APPLICATION_ID,
  FUSIONAUTH_TENANT_MANAGER_APPLICATION_ID: DEFAULT_TENANT_MANAGER_APPLICATION_ID,
  tenantManagerApplicationId: DEFAULT_TENANT_MANAGER_APPLICATION_ID,
};

/**
 * The ids a kickstart may use without defining them (Kickstart docs, "Modify the Default Tenant Id" and "Modify
 * the Tenant Manager Application Id"). The default tenant's id comes from the kickstart's own, already resolved,
 * `defaultTenantId` variable when it sets one, else is new; the Tenant Manager's from `tenantManagerApplicationId`,
 * else the fixed default. Both must be UUIDs, as FusionAuth asks.
 */
export function builtInVariables(resolved: Record<string, unknown>): Record<string, string> {
  const { defaultTenantId, tenantManagerApplicationId = DEFAULT_TENANT_MANAGER_APPLICATION_ID } = resolved;
  if (defaultTenantId !== undefined && !isUuid(defaultTenantId)) {
    throw new KickstartError(`variables.defaultTenantId: ${JSON.stringify(defaultTenantId)} is not a UUID`);
  }
  if (!isUuid(tenantManagerApplicationId)) {
    throw new KickstartError(`variables.tenantManagerApplicationId: ${JSON.stringify(tenantManagerApplicationId)} is not a UUID`);
  }
  const tenantManagerId = tenantManagerApplicationId.toLowerCase();
  return {
    FUSIONAUTH_APPLICATION_ID,
    FUSIONAUTH_TENANT_ID: defaultTenantId === undefined ? randomUUID() : defaultTenantId.toLowerCase(),
    FUSIONAUTH_DEFAULT_SIGNING_KEY_ID: randomUUID(),
    tenantManagerApplicationId: tenantManagerId,
    TENANT_MANAGER_ID: tenantManagerId,
    FUSIONAUTH_TENANT_MANAGER_APPLICATION_ID: tenantManagerId,
  };
}
