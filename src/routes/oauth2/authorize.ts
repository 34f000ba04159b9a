import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLegitimateLoginPost } from '../../http/csrf.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import { RedirectableError, type AuthorizeRequest } from '../../oauth/authorize-request.js';
import { reusableSessionFor, silentStep, ssoOutcome, type SessionUser } from '../../oauth/authorize-flow.js';
import { pickedUser } from '../../oauth/dev-user-picker.js';
import { offeredProvider } from '../../oauth/offered-identity-providers.js';
import { loginFormOf, refusalMessage } from '../../oauth/hosted-login.js';
import { guardedLogin } from '../../oauth/login-guard.js';
import type { Standin } from '../../standin.js';
import { verificationGateFor } from '../email/gate-page.js';
import { finishHostedLogin } from './finish-login.js';
import { startIdentityProviderLogin } from './identity-provider-login.js';
import { loginPage } from './login-page.js';
import { csrfRefused, parseAuthorize, renderError, send } from './login-reply.js';
import { currentSsoSession, setSsoCookie, SSO_COOKIE } from './sso-cookie.js';
import { hostedSecondFactor } from './two-factor-step.js';

const INVALID_LOGIN = 'Invalid login credentials.';

/**
 * `GET|POST /oauth2/authorize` (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints): reuses a
 * live SSO session without any UI, else shows the login page; the page posts back here with the credentials.
 */
export async function authorizeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/authorize', async (request, reply) => authorize(app.standin, request, reply, request.query));
  app.post('/authorize', async (request, reply) => authorize(app.standin, request, reply, request.body));
}

async function authorize(standin: Standin, request: FastifyRequest, reply: FastifyReply, input: unknown): Promise<FastifyReply> {
  let authz: AuthorizeRequest;
  try {
    authz = parseAuthorize(standin, request, input);
  } catch (error) {
    return renderError(reply, error);
  }
  const params = (input ?? {}) as Record<string, unknown>;
  const tenant = standin.stores.tenants.get(authz.application.tenantId)!;
  try {
    if (request.method === 'POST' && 'standin_user' in params) return await pickedUserLogin(standin, request, reply, authz, tenant, params);
    // A "Login with …" button: the same form, so checked before its (empty) loginId.
    if (request.method === 'POST' && 'identityProviderId' in params) return await identityProviderButton(standin, request, reply, authz, params);
    if (request.method === 'POST' && 'loginId' in params) return await passwordLogin(standin, request, reply, authz, tenant, params);
    const step = silentStep(standin, authz, tenant, reusableSession(standin, request, authz));
    if (step.kind === 'refused') throw step.error;
    if (step.kind === 'gate') return await verificationGateFor(standin, request, reply, params, step.user, tenant, authz.application)!;
    if (step.kind === 'sso') return await ssoLogin(standin, request, reply, authz, tenant, step);
    // `idp_hint` names a provider to go to instead of showing the page; one the page would not offer is ignored
    // (https://fusionauth.io/docs/lifecycle/authenticate-users/identity-providers, "Hints").
    const hinted = offeredProvider(standin, authz, params.idp_hint);
    if (hinted) return await startIdentityProviderLogin(standin, request, reply, authz, hinted, params);
    return await loginPage(standin, request, reply, authz, params, { loginId: authz.loginHint ?? '', rememberDevice: false });
  } catch (error) {
    return renderError(reply, error);
  }
}

/**
 * The dev user picker's button (`--dev-user-picker`, loopback only): logs in as the chosen user with no
 * password, exactly as a password login would from here on (expiry, verification gate, required password change). Checked again at every POST: the flag, the CSRF
 * token, and that the user is an active user of this tenant registered to this application.
 */
async function pickedUserLogin(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  tenant: Tenant,
  params: Record<string, unknown>,
) {
  if (!standin.config.devUserPicker) {
    return reply.code(403).view('error', {
      description: 'The dev user picker is off. Start Standin with --dev-user-picker to use it, or log in with a password.',
      error: { error: 'invalid_request', error_description: 'The dev user picker is off.', error_reason: 'unknown' },
    });
  }
  if (!isLegitimateLoginPost(request, params)) return csrfRefused(reply);
  const user = pickedUser(standin, authz, tenant, params.standin_user);
  if (!user)
    return loginPage(standin, request, reply, authz, params, {
      loginId: '',
      rememberDevice: false,
      error: 'That user cannot log in to this application.',
    });
  // The second factor is skipped by design (docs/two-factor.md): the picker is a password-less shortcut.
  return finishHostedLogin(standin, request, reply, { authz, tenant, user, params, rememberDevice: false, secondFactorPassed: true });
}

/** The login page's "Login with …" button: checked as every login POST is, then off to the provider. */
async function identityProviderButton(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  params: Record<string, unknown>,
) {
  if (!isLegitimateLoginPost(request, params)) return csrfRefused(reply);
  const provider = offeredProvider(standin, authz, params.identityProviderId);
  if (!provider) {
    const error = 'That identity provider is not available for this application.';
    return loginPage(standin, request, reply, authz, params, { loginId: '', rememberDevice: false, error });
  }
  return startIdentityProviderLogin(standin, request, reply, authz, provider, params);
}

async function passwordLogin(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  tenant: Tenant,
  params: Record<string, unknown>,
) {
  if (!isLegitimateLoginPost(request, params)) return csrfRefused(reply);
  const { loginId, password, rememberDevice } = loginFormOf(params);
  const secondFactor = hostedSecondFactor(standin, request, authz, tenant);
  const secondFactorFollows = async (user: User) => (await secondFactor(user)) !== undefined;
  const check = await guardedLogin(standin, {
    ip: request.ip,
    clientKey: authz.application.id,
    tenantId: tenant.id,
    loginId,
    password,
    secondFactorFollows,
  });
  if (!check.ok) {
    if (!('refusal' in check)) return loginPage(standin, request, reply, authz, params, { loginId, rememberDevice, error: INVALID_LOGIN });
    const { status, error } = refusalMessage(check.refusal);
    reply.header('retry-after', String(check.refusal.retryAfterSeconds));
    return loginPage(standin, request, reply, authz, params, { loginId, rememberDevice, error }, status);
  }
  // The right password: the login's last steps, from the expired user's page to the code (finish-login.ts).
  return finishHostedLogin(standin, request, reply, {
    authz,
    tenant,
    user: check.user,
    params,
    rememberDevice,
    loginId,
    secondFactorPassed: false,
    secondFactor,
  });
}

/** The SSO session this request's cookie points at, if the rules let it log this request in (oauth/authorize-flow.ts). */
export function reusableSession(standin: Standin, request: FastifyRequest, authz: AuthorizeRequest): SessionUser | undefined {
  return reusableSessionFor(standin, currentSsoSession(standin, request), authz);
}

/** Logs in with a reusable SSO session and sends the code back to the client (RFC 6749 §4.1.2). */
function ssoLogin(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  tenant: Tenant,
  reusable: SessionUser,
): FastifyReply {
  const outcome = ssoOutcome(standin, authz, tenant, reusable);
  // A persistent cookie slides with the session it points at.
  if (reusable.session.persistent) setSsoCookie(request, reply, request.cookies[SSO_COOKIE]!, tenant.httpSessionMaxInactiveInterval);
  if (outcome instanceof RedirectableError) throw outcome;
  return send(reply, outcome);
}
