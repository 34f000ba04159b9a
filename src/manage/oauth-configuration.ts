import type { Application } from '../model/application.js';
import { applicationWithDefaults } from '../model/application-defaults.js';
import type { JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';

/** FusionAuth's OAuthConfigurationResponse. */
export interface OAuthConfigurationAnswer {
  httpSessionMaxInactiveInterval: number;
  logoutURL?: string;
  oauthConfiguration: JsonObject;
}

/**
 * FusionAuth's Retrieve OAuth Configuration (https://fusionauth.io/docs/apis/applications): the application's
 * `oauthConfiguration` as the Application API shows it, with its tenant's session timeout and logout URL. The client
 * secret only for a caller with an API key (`withSecret`): the endpoint answers anyone.
 */
export function oauthConfigurationOf(application: Application, tenant: Tenant, withSecret: boolean): OAuthConfigurationAnswer {
  const { clientSecret, ...oauthConfiguration } = applicationWithDefaults(application).oauthConfiguration;
  return {
    httpSessionMaxInactiveInterval: tenant.httpSessionMaxInactiveInterval,
    ...(typeof tenant.logoutURL === 'string' ? { logoutURL: tenant.logoutURL } : {}),
    oauthConfiguration: withSecret ? { ...oauthConfiguration, clientSecret } : oauthConfiguration,
  };
}
