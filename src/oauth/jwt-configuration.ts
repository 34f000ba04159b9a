import type { Application } from '../model/application.js';
import type { JwtConfiguration, Tenant } from '../model/tenant.js';

/**
 * The token lifetimes and refresh policies in force for an application: its own `jwtConfiguration` when
 * enabled, else its tenant's (FusionAuth Application API, `jwtConfiguration.enabled`). Keys fall back one by
 * one: an enabled application that names no key signs with its tenant's.
 */
export function jwtConfigurationOf(application: Application, tenant: Tenant): JwtConfiguration {
  const own = application.jwtConfiguration;
  if (!own.enabled) return tenant.jwtConfiguration;
  const accessTokenKeyId = own.accessTokenKeyId ?? tenant.jwtConfiguration.accessTokenKeyId;
  const idTokenKeyId = own.idTokenKeyId ?? tenant.jwtConfiguration.idTokenKeyId;
  return {
    ...own,
    ...(accessTokenKeyId === undefined ? {} : { accessTokenKeyId }),
    ...(idTokenKeyId === undefined ? {} : { idTokenKeyId }),
  };
}
