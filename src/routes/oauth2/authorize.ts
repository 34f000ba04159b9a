import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../errors.js';
import { hostedBackendCallback } from '../../hosted-backend/callback-uri.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import { authenticatePassword } from '../../oauth/authenticate-password.js';
import { parseAuthorizeRequest, RedirectableError, UntrustedRedirectError, type AuthorizeRequest } from '../../oauth/authorize-request.js';
import { authorizeResponse } from '../../oauth/authorize-response.js';
import { issueCode } from '../../oauth/issue-code.js';
import { csrfSecret, csrfToken, isLegitimateLoginPost } from '../../oauth/login-csrf.js';
import { recordLogin } from '../../oauth/record-login.js';
import { setSsoCookie } from '../../oauth/sso-cookie.js';
import { currentSsoSession, startSsoSession } from '../../oauth/sso-session.js';
import type { Standin } from '../../standin.js';
import type { SsoSession } from '../../store/sso-sessions.js';

// The hidden fields of FusionAuth's login form (theme helper `oauthHiddenFields`, reference §2.2).
const HIDDEN_FIELDS = [
  'captcha_token', 'client_id', 'code_challenge', 'code_challenge_method', 'metaData.device.name', 'metaData.device.type', 'nonce',
  'oauth_context', 'max_age', 'pendingIdPLinkId', 'prompt', 'redirect_uri', 'response_mode', 'response_type', 'scope', 'state',
  'tenantId', 'timezone', 'user_code',
];

const INVALID_LOGIN = 'Invalid login credentials.';

/**
 * `GET|POST /oauth2/authorize` (FusionAuth OAuth endpoints, reference §2): reuses a live SSO session without
 * any UI, else shows the login page; the page posts back here with the credentials.
 */
export async function authorizeRoutes(app: FastifyInstance): Promise<void> {
  const { standin } = app;
  app.get('/authorize', async (request, reply) => authorize(standin, request, reply, request.query));
  app.post('/authorize', async (request, reply) => authorize(standin, request, reply, request.body));
}

async function authorize(standin: Standin, request: FastifyRequest, reply: FastifyReply, input: unknown): Promise<FastifyReply> {
  let authz: AuthorizeRequest;
  try {
    authz = parseAuthorizeRequest(standin.stores, input, [hostedBackendCallback(standin.baseUrl())]);
  } catch (error) {
    return renderError(reply, error);
  }
  const params = (input ?? {}) as Record<string, unknown>;
  const tenant = standin.stores.tenants.get(authz.application.tenantId)!;
  try {
    if (request.method === 'POST' && 'loginId' in params) return await passwordLogin(standin, request, reply, authz, tenant, params);
    const session = reusableSession(standin, request, authz);
    if (session) return await complete(standin, request, reply, authz, tenant, session.user, session.session, false);
    if (authz.prompt.has('none')) {
      // OIDC Core §3.1.2.6: prompt=none with no session to reuse.
      throw new RedirectableError(authz, new OAuthError('login_required', 'authentication_required', 'The user is required to complete authentication.'));
    }
    return loginPage(request, reply, authz, params, { loginId: authz.loginHint ?? '', rememberDevice: false });
  } catch (error) {
    return renderError(reply, error);
  }
}

async function passwordLogin(standin: Standin, request: FastifyRequest, reply: FastifyReply, authz: AuthorizeRequest, tenant: Tenant, params: Record<string, unknown>) {
  if (!isLegitimateLoginPost(request, params)) {
    return reply.code(403).view('error', {
      description: 'This login form expired or was not sent by Standin. Go back to the application and log in again.',
      error: { error: 'invalid_request', error_description: 'Invalid CSRF token.', error_reason: 'unknown' },
    });
  }
  const loginId = typeof params.loginId === 'string' ? params.loginId : '';
  const password = typeof params.password === 'string' ? params.password : '';
  const rememberDevice = params.rememberDevice === 'true';
  const check = await authenticatePassword(standin, tenant.id, loginId, password);
  if (!check.ok) return loginPage(request, reply, authz, params, { loginId, rememberDevice, error: INVALID_LOGIN });
  recordLogin(standin.stores, check.user, authz.application.id, standin.config.now());
  // A fresh session id at every login: never one the browser brought (security checklist J4).
  const { session, cookie } = startSsoSession(standin, check.user.id, tenant.id, rememberDevice);
  setSsoCookie(request, reply, cookie, rememberDevice ? tenant.httpSessionMaxInactiveInterval : undefined);
  return complete(standin, request, reply, authz, tenant, check.user, session, true);
}

/**
 * The SSO session this request may log in with: live, of the client's tenant, for an active user, and
 * neither `prompt=login` nor an exceeded `max_age` asking for a fresh login (OIDC Core §3.1.2.1).
 */
function reusableSession(standin: Standin, request: FastifyRequest, authz: AuthorizeRequest): { session: SsoSession; user: User } | undefined {
  const session = currentSsoSession(standin, request);
  if (!session || session.tenantId !== authz.application.tenantId || authz.prompt.has('login')) return undefined;
  // FusionAuth: max_age=0 is prompt=login (reference §2.1).
  if (authz.maxAge !== undefined && (authz.maxAge === 0 || standin.config.now() - session.authTime > authz.maxAge * 1000)) return undefined;
  const user = standin.stores.users.get(session.userId);
  return user?.active ? { session, user } : undefined;
}

/** Issues the code for a logged-in user and sends it back to the client (reference §2.3). */
async function complete(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  tenant: Tenant,
  user: User,
  session: SsoSession,
  freshLogin: boolean,
): Promise<FastifyReply> {
  const { application } = authz;
  const registration = standin.stores.registrations.get(user.id, application.id);
  if (!registration && application.oauthConfiguration.requireRegistration) {
    throw new RedirectableError(authz, new OAuthError('access_denied', 'registration_required', 'The user is not registered for this application.'));
  }
  if (!freshLogin) {
    standin.stores.ssoSessions.touch(session.id, standin.config.now());
    // A persistent cookie slides with the session it points at.
    if (session.persistent) setSsoCookie(request, reply, request.cookies['fusionauth.sso']!, tenant.httpSessionMaxInactiveInterval);
  }
  const code = issueCode(standin, tenant, {
    applicationId: application.id,
    userId: user.id,
    redirectUri: authz.redirectUri,
    scope: authz.scope,
    ...(authz.nonce === undefined ? {} : { nonce: authz.nonce }),
    ...(authz.codeChallenge === undefined ? {} : { codeChallenge: authz.codeChallenge }),
    ssoSessionId: session.id,
    authTime: session.authTime,
    authenticationType: 'PASSWORD',
  });
  // FusionAuth's userState is a hint for the client (reference §2.3).
  const userState = registration ? 'Authenticated' : 'AuthenticatedNotRegistered';
  return send(reply, authorizeResponse(authz, { code, locale: 'en', userState, iss: standin.issuerOf(tenant) }));
}

function loginPage(
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  params: Record<string, unknown>,
  form: { loginId: string; rememberDevice: boolean; error?: string },
): FastifyReply {
  const hidden = HIDDEN_FIELDS.flatMap((name) => (typeof params[name] === 'string' && params[name] !== '' ? [[name, params[name] as string]] : []));
  hidden.push(['csrf_token', csrfToken(csrfSecret(request, reply), params)]);
  return reply.code(200).view('login', { applicationName: authz.application.name, hidden, ...form, error: form.error });
}

function renderError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof RedirectableError) return send(reply, authorizeResponse(error.target, { error: error.error, error_reason: error.reason, error_description: error.description }));
  if (error instanceof UntrustedRedirectError) {
    return reply.code(400).view('error', { description: error.description, error: error.toJSON() });
  }
  throw error;
}

function send(reply: FastifyReply, response: ReturnType<typeof authorizeResponse>): FastifyReply {
  if (response.mode === 'query') return reply.redirect(response.location, 302);
  return reply.code(200).view('form-post', { action: response.action, fields: response.fields });
}
