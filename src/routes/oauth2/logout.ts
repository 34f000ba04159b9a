import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../errors.js';
import type { Application } from '../../model/application.js';
import type { Tenant } from '../../model/tenant.js';
import { planLogout, type LogoutPlan } from '../../oauth/front-channel-logout.js';
import { readIdTokenHint } from '../../oauth/id-token-hint.js';
import { isApplicationRedirectUri } from '../../oauth/redirect-uri.js';
import { param } from '../../oauth/request-params.js';
import { withQueryParams } from '../../oauth/with-query-params.js';
import { clearSsoCookie, currentSsoSession } from './sso-cookie.js';
import type { Standin } from '../../standin.js';
import type { SsoSession } from '../../store/sso-sessions.js';

/** How long the logout page lets the logout URLs load before it moves on: FusionAuth's default theme waits 2 s. */
const FRONT_CHANNEL_SECONDS = 2;

/**
 * `GET|POST /oauth2/logout` (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints and
 * https://fusionauth.io/docs/lifecycle/authenticate-users/logout-session-management; OIDC RP-Initiated Logout): ends the browser's SSO session (the row and the `fusionauth.sso` cookie)
 * and redirects. Refresh tokens and access tokens live on, as in FusionAuth. The client comes from
 * `client_id` or `id_token_hint`, which must agree; `post_logout_redirect_uri` must be one of its registered
 * redirect URLs. Anything that fails gets an error page, no redirect, and ends nothing (RFC 9700 §4.11.2;
 * docs/hardening-tokens.md). Under the application's `logoutBehavior` `AllApplications` (the default), the browser
 * first loads the other applications' logout URLs in hidden iframes (oauth/front-channel-logout.ts); with none to
 * call, or under `RedirectOnly`, the answer is a plain 302.
 */
export async function logoutRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    method: ['GET', 'POST'],
    url: '/logout',
    handler: async (request, reply) => {
      // An idle session is already over; reading it changes nothing a refusal must preserve.
      const session = currentSsoSession(app.standin, request);
      let plan: LogoutPlan;
      try {
        plan = await logoutPlan(app.standin, request, session);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        return reply.code(400).view('error', { description: error.description, error: error.toJSON() });
      }
      if (session) app.standin.stores.ssoSessions.delete(session.id);
      clearSsoCookie(request, reply);
      if (plan.frontChannelURLs.length === 0) return reply.redirect(plan.redirectURL, 302);
      allowFrames(reply, plan.frontChannelURLs);
      return reply.code(200).view('logout', { ...plan, seconds: FRONT_CHANNEL_SECONDS });
    },
  });
}

/**
 * Where to send the browser: the validated `post_logout_redirect_uri`, else the application's `logoutURL`, else the
 * tenant's `logoutURL`, else `/` (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints); `state`
 * is appended (OIDC RP-Initiated Logout §2); and which logout URLs the browser calls on the way. Throws before
 * anything changes, so a refused request ends no session.
 */
async function logoutPlan(standin: Standin, request: FastifyRequest, session: SsoSession | undefined): Promise<LogoutPlan> {
  // FusionAuth takes the parameters from the query or, on POST, the form.
  const source = { ...(request.query as object), ...(request.method === 'POST' ? (request.body as object | undefined) : {}) };
  const clientId = param(source, 'client_id');
  const hint = param(source, 'id_token_hint');
  const postLogoutRedirectUri = param(source, 'post_logout_redirect_uri');
  const state = param(source, 'state');
  const tenantId = param(source, 'tenantId');

  let application: Application | undefined;
  let sid: string | undefined;
  if (clientId !== undefined) {
    application = standin.stores.applications.get(clientId);
    if (!application) throw new OAuthError('invalid_request', 'invalid_client_id', `Invalid client_id [${clientId}].`);
  }
  if (hint !== undefined) {
    // FusionAuth reads the hint only without client_id; OpenID RP-Initiated Logout 1.0 §2 has the OP check that
    // it issued the hint and, with both, that client_id is the hint's audience. A request that fails is suspect
    // (§2: the OP MAY decline it) and its values unusable (§4): an error page, no redirect, the session kept.
    const hinted = await readIdTokenHint(standin, hint);
    if (!hinted)
      throw new OAuthError(
        'invalid_request',
        'invalid_id_token_hint',
        'The id_token_hint is not a valid id token issued by this server. You have not been logged out.',
      );
    if (application && application.id !== hinted.application.id) {
      throw new OAuthError(
        'invalid_request',
        'client_id_mismatch',
        'The id_token_hint was not issued to this client_id. You have not been logged out.',
      );
    }
    application = hinted.application;
    sid = hinted.sid;
  }
  if (postLogoutRedirectUri !== undefined && !(application && isApplicationRedirectUri(application.oauthConfiguration, postLogoutRedirectUri))) {
    throw new OAuthError('invalid_request', 'invalid_post_logout_redirect_uri', `Invalid post_logout_redirect_uri [${postLogoutRedirectUri}].`);
  }
  const tenantOfRequest = application?.tenantId ?? session?.tenantId ?? tenantId;
  const tenant = tenantOfRequest === undefined ? onlyTenant(standin) : standin.stores.tenants.get(tenantOfRequest);
  const target = postLogoutRedirectUri ?? stringOrUndefined(application?.oauthConfiguration.logoutURL) ?? stringOrUndefined(tenant?.logoutURL);
  const plan = planLogout({
    application,
    tenant,
    applications: standin.stores.applications.list(),
    target,
    postLogoutRedirectUri: postLogoutRedirectUri !== undefined,
    session: sid === undefined || tenant === undefined ? undefined : { iss: standin.issuerOf(tenant), sid },
  });
  return state === undefined ? plan : { ...plan, redirectURL: withQueryParams(plan.redirectURL, [['state', state]]) };
}

/**
 * The logout page's Content-Security-Policy: Standin's own, with the origins of the logout URLs it frames allowed
 * as frame sources (everything else stays `'self'`).
 */
function allowFrames(reply: FastifyReply, urls: readonly string[]): void {
  const origins = [...new Set(urls.map((url) => new URL(url).origin))].filter((origin) => origin !== 'null');
  const policy = String(reply.raw.getHeader('content-security-policy') ?? '');
  reply.header('content-security-policy', `${policy};frame-src ${origins.join(' ')}`);
}

/** With one tenant, a logout that names none is in that one. */
function onlyTenant(standin: Standin): Tenant | undefined {
  const all = standin.stores.tenants.list();
  return all.length === 1 ? all[0] : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
