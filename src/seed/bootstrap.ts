import { createApplication } from '../manage/applications.js';
import { generateSigningKey } from '../manage/keys.js';
import { createTenant } from '../manage/tenants.js';
import { FUSIONAUTH_APPLICATION_ID } from '../kickstart/built-in-variables.js';
import type { Stores } from '../store/index.js';

export interface BootstrapIds {
  tenantId: string;
  signingKeyId: string;
}

/**
 * What a fresh FusionAuth install holds before any kickstart runs (Default entities): the Default tenant and the
 * FusionAuth application. FusionAuth's default tenant signs with an HMAC key, which leaves the JWKS empty (FusionAuth
 * GitHub issue https://github.com/FusionAuth/fusionauth-issues/issues/744); Standin's signs with a generated RS256
 * key instead.
 */
export async function bootstrap(stores: Stores, now: number, ids: BootstrapIds): Promise<void> {
  const key = await generateSigningKey(stores, now, ids.signingKeyId, { algorithm: 'RS256', name: 'Default signing key' });
  createTenant(stores, now, ids.tenantId, { name: 'Default', jwtConfiguration: { accessTokenKeyId: key.id, idTokenKeyId: key.id } });
  createApplication(stores, now, ids.tenantId, FUSIONAUTH_APPLICATION_ID, {
    name: 'FusionAuth',
    roles: [{ name: 'admin', description: 'Global admin', isSuperRole: true }],
  });
}
