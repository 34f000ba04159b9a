import type { Application } from '../model/application.js';
import type { Tenant } from '../model/tenant.js';
import { withQueryParams } from './with-query-params.js';

/** Where a logout ends, and who to tell: the browser loads each of `frontChannelURLs` in a hidden iframe first. */
export interface LogoutPlan {
  redirectURL: string;
  frontChannelURLs: string[];
}

/**
 * What `/oauth2/logout` does once the request is accepted, as FusionAuth's `logoutBehavior` has it
 * (https://fusionauth.io/docs/apis/applications, `oauthConfiguration.logoutBehavior`; the default theme's
 * "OAuth logout" page calls every logout URL in a hidden iframe):
 * - `RedirectOnly`: only the redirect;
 * - `AllApplications` (the default): the logout URL of every application of the tenant and the tenant's own, except
 *   the one the browser is sent to anyway, each with `iss` and `sid` when the session is known (OpenID Connect
 *   Front-Channel Logout 1.0 §2), so that each application ends its own session.
 *
 * `target` is the validated `post_logout_redirect_uri`, else the application's or the tenant's logout URL.
 */
export function planLogout(input: {
  application: Application | undefined;
  tenant: Tenant | undefined;
  applications: readonly Application[];
  target: string | undefined;
  postLogoutRedirectUri: boolean;
  /** The tenant's issuer and the `sid` of the `id_token_hint`, when a hint was given. */
  session: { iss: string; sid: string } | undefined;
}): LogoutPlan {
  const { application, tenant, target } = input;
  const session: Array<[string, string]> = input.session
    ? [
        ['iss', input.session.iss],
        ['sid', input.session.sid],
      ]
    : [];
  if (!application || !tenant || application.oauthConfiguration.logoutBehavior === 'RedirectOnly') {
    return { redirectURL: target ?? '/', frontChannelURLs: [] };
  }
  const others = input.applications
    .filter((each) => each.tenantId === tenant.id)
    .map((each) => nonEmpty(each.oauthConfiguration.logoutURL))
    .concat(nonEmpty(tenant.logoutURL))
    .filter((url): url is string => url !== undefined && url !== target);
  return {
    // An explicit post_logout_redirect_uri is the client's own: FusionAuth adds nothing to it.
    redirectURL: input.postLogoutRedirectUri ? (target as string) : withQueryParams(target ?? '/', session),
    frontChannelURLs: others.map((url) => withQueryParams(url, session)),
  };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
