import type { Application } from '../model/application.js';
import type { Stores } from '../store/index.js';

/**
 * The key that signs an application's access or id tokens: the application's own when its
 * `jwtConfiguration` is enabled and names one, else its tenant's (FusionAuth Application API, `jwtConfiguration`).
 */
export function signingKeyIdOf(stores: Stores, application: Application, token: 'access' | 'id'): string | undefined {
  const field = token === 'access' ? 'accessTokenKeyId' : 'idTokenKeyId';
  const own = application.jwtConfiguration.enabled ? application.jwtConfiguration[field] : undefined;
  return own ?? stores.tenants.get(application.tenantId)?.jwtConfiguration[field];
}
