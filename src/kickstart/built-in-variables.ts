import { randomUUID } from 'node:crypto';
import { isUuid } from '../model/json.js';
import { KickstartError } from './types.js';

/** The FusionAuth application every install has (Default entities); kickstarts register admins to it. */
export const FUSIONAUTH_APPLICATION_ID = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';

/**
 * The ids a kickstart may use without defining them (Kickstart docs). The default tenant's id comes from
 * the kickstart's own, already resolved, `defaultTenantId` variable when it sets one, else is new.
 */
export function builtInVariables(resolved: Record<string, unknown>): Record<string, string> {
  const { defaultTenantId } = resolved;
  if (defaultTenantId !== undefined && !isUuid(defaultTenantId)) {
    throw new KickstartError(`variables.defaultTenantId: ${JSON.stringify(defaultTenantId)} is not a UUID`);
  }
  return {
    FUSIONAUTH_APPLICATION_ID,
    FUSIONAUTH_TENANT_ID: defaultTenantId === undefined ? randomUUID() : defaultTenantId.toLowerCase(),
    FUSIONAUTH_DEFAULT_SIGNING_KEY_ID: randomUUID(),
  };
}
