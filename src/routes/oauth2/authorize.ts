import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hostedBackendCallback } from '../../hosted-backend/callback-uri.js';
import { registrationConfigurationOf } from '../../model/registration-configuration.js';
import type { Tenant } from '../../model/tenant.js';
import { passwordlessEnabled } from '../../manage/passwordless.js';
import { isUuid } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { parseAuthorizeRequest, RedirectableError, UntrustedRedirectError, type AuthorizeRequest } from '../../oauth/authorize-request.js';
import { authorizeResponse } from '../../oauth/authorize-response.js';
import { csrfSecret, isLegitimateLoginPost } from '../../http/csrf.js';
import { csrfToken } from '../../oauth/login-csrf.js';
import { guardedLogin, type Refusal } from '../../oauth/login-guard.js';
import { currentSsoSession, setSsoCookie, SSO_COOKIE } from './sso-cookie.js';
import { loginTransaction, reusableSessionFor, silentStep, ssoOutcome, type SessionUser } from '../../oauth/authorize-flow.js';
import { requestBaseUrl } from '../../request-base-url.js';
import type { Standin } from '../../standin.js';
import { verificationGateFor } from '../email/index.js';
import { needsTwoFactor, startHostedTwoFactor } from './two-factor.js';

// The hidden fields of FusionAuth's login form (its theme helper `oauthHiddenFields`).
export const HIDDEN_FIELDS = [
  'captcha_token',
  'client_id',
  'code_challenge',
  'code_challenge_method',
  'metaData.device.name',
  'metaData.device.type',
  'nonce',
  'oauth_context',
  'max_age',
  'pendingIdPLinkId',
  'prompt',
  'redirect_uri',
  'response_mode',
  'response_type',
  'scope',
  'state',
  'tenantId',
  'timezone',
  'user_code',
];

const INVALID_LOGIN = 'Invalid login credentials.';

/**
 * The form's answers to a login that was not tried (oauth/login-guard.ts). A locked login id says so, as
 * FusionAuth's page does, with 429 and Retry-After: the lock is keyed by the login id as typed, known user
 * or not, so the message tells nothing about which accounts exist (docs/hardening.md, "Enumeration").
 */
function refusalMessage(refusal: Refusal): { status: number; error: string } {
  const wait = refusal.retryAfterSeconds >= 120 ? `${Math.ceil(refusal.retryAfterSeconds / 60)} minutes` : `${refusal.retryAfterSeconds} seconds`;
  if (refusal.kind === 'busy') return { status: 503, error: 'Standin is busy checking other passwords. Try again in a moment.' };
  if (refusal.kind === 'lockout') return { status: 429, error: `Too many failed attempts for this login. Try again in ${wait}.` };
  return { status: 429, error: `Too many failed logins from your address. Try again in ${wait}.` };
}

/**
 * `GET|POST /oauth2/authorize` (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints): reuses a
 * live SSO session without any UI, else shows the login page; the page posts back here with the credentials.
 */
export async function authorizeRoutes(app: FastifyInstance): Promise<void> {
  const { standin } = app;
  app.get('/authorize', async (request, reply) => authorize(standin, request, reply, request.query));
  app.post('/authorize', async (request, reply) => authorize(standin, request, reply, request.body));
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
    if (request.method === 'POST' && 'loginId' in params) return await passwordLogin(standin, request, reply, authz, tenant, params);
    const step = silentStep(standin, authz, tenant, reusableSession(standin, request, authz));
    if (step.kind === 'refused') throw step.error;
    if (step.kind === 'gate') return await verificationGateFor(standin, request, reply, params, step.user, tenant, authz.application)!;
    if (step.kind === 'sso') return await ssoLogin(standin, request, reply, authz, tenant, step);
    return await loginPage(standin, request, reply, authz, params, { loginId: authz.loginHint ?? '', rememberDevice: false });
  } catch (error) {
    return renderError(reply, error);
  }
}

/** Parses an authorize request; the hosted backend's callback is allowed under the configured base and the origin this browser used. */
export function parseAuthorize(standin: Standin, request: FastifyRequest, input: unknown): AuthorizeRequest {
  const callbacks = new Set([standin.baseUrl(), requestBaseUrl(request, standin.baseUrl())].map(hostedBackendCallback));
  return parseAuthorizeRequest(standin.stores, input, [...callbacks]);
}

/**
 * The dev user picker's button (`--dev-user-picker`, loopback only): logs in as the chosen user with no
 * password, exactly as a password login would from here on. Checked again at every POST: the flag, the CSRF
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
  const picked =
    typeof params.standin_user === 'string' && isUuid(params.standin_user) ? standin.stores.users.get(params.standin_user.toLowerCase()) : undefined;
  const user =
    picked && picked.tenantId === tenant.id && picked.active && standin.stores.registrations.get(picked.id, authz.application.id)
      ? picked
      : undefined;
  if (!user)
    return loginPage(standin, request, reply, authz, params, {
      loginId: '',
      rememberDevice: false,
      error: 'That user cannot log in to this application.',
    });
  return freshLogin(standin, request, reply, authz, tenant, user, false);
}

export function csrfRefused(reply: FastifyReply): FastifyReply {
  return reply.code(403).view('error', {
    description: 'This login form expired or was not sent by Standin. Go back to the application and log in again.',
    error: { error: 'invalid_request', error_description: 'Invalid CSRF token.', error_reason: 'unknown' },
  });
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
  const loginId = typeof params.loginId === 'string' ? params.loginId : '';
  const password = typeof params.password === 'string' ? params.password : '';
  const rememberDevice = params.rememberDevice === 'true';
  const secondFactorFollows = (user: User) => needsTwoFactor(standin, request, authz, tenant, user);
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
  // An unverified email or registration that gates gets the verification gate instead of a code, before any
  // second factor: the gate starts no session, and the user logs in again once verified (docs/email-verification.md).
  const gated = verificationGateFor(standin, request, reply, params, check.user, tenant, authz.application);
  if (gated) return gated;
  // The second factor, when one applies (docs/two-factor.md).
  const twoFactorStep = startHostedTwoFactor(standin, request, reply, authz, tenant, check.user, params, { loginId, rememberDevice });
  if (twoFactorStep) return twoFactorStep;
  return freshLogin(standin, request, reply, authz, tenant, check.user, rememberDevice);
}

/** A user who just logged in (oauth/authorize-flow.ts has the writes): sets the new SSO cookie and sends the code. */
export function freshLogin(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  tenant: Tenant,
  user: User,
  rememberDevice: boolean,
  authenticationType = 'PASSWORD',
): FastifyReply {
  const { cookie, outcome } = loginTransaction(standin, { authz, tenant, user, rememberDevice, authenticationType, ip: request.ip });
  setSsoCookie(request, reply, cookie, rememberDevice ? tenant.httpSessionMaxInactiveInterval : undefined);
  if (outcome instanceof RedirectableError) throw outcome;
  return send(reply, outcome);
}

/** The valid authorization request a hosted page carries in `params`, or undefined. */
export function carriedAuthorizeRequest(standin: Standin, request: FastifyRequest, params: Record<string, unknown>): AuthorizeRequest | undefined {
  try {
    const callbacks = new Set([standin.baseUrl(), requestBaseUrl(request, standin.baseUrl())].map(hostedBackendCallback));
    return parseAuthorizeRequest(standin.stores, params, [...callbacks]);
  } catch {
    return undefined;
  }
}

/**
 * Ends a hosted page that authenticated `user` (a password change, a magic link) the way a password login here
 * ends: a fresh SSO session and the code at the redirect_uri of the authorization request `params` carries.
 * Undefined when `params` hold no valid authorization request for the user's tenant: the page shows its own end.
 */
export function loginFromHostedPage(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  params: Record<string, unknown>,
  user: User,
  authenticationType: string,
): FastifyReply | undefined {
  const authz = carriedAuthorizeRequest(standin, request, params);
  // A deactivated user may still finish a password change, but is not logged in by it.
  if (!authz || !user.active) return undefined;
  const tenant = standin.stores.tenants.get(authz.application.tenantId);
  if (!tenant || tenant.id !== user.tenantId) return undefined;
  const gated = verificationGateFor(standin, request, reply, params, user, tenant, authz.application);
  if (gated) return gated;
  try {
    // A user with a second factor passes the two-factor page here too (docs/two-factor.md).
    const twoFactorStep = startHostedTwoFactor(standin, request, reply, authz, tenant, user, params, {
      loginId: user.email ?? user.username ?? user.id,
      rememberDevice: false,
      authenticationType,
    });
    if (twoFactorStep) return twoFactorStep;
    return freshLogin(standin, request, reply, authz, tenant, user, false, authenticationType);
  } catch (error) {
    return renderError(reply, error);
  }
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

function loginPage(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  params: Record<string, unknown>,
  form: { loginId: string; rememberDevice: boolean; error?: string },
  status = 200,
): FastifyReply {
  const hidden = HIDDEN_FIELDS.flatMap((name) => (typeof params[name] === 'string' && params[name] !== '' ? [[name, params[name]]] : []));
  hidden.push(['csrf_token', csrfToken(csrfSecret(request, reply), params)]);
  const pickable = standin.config.devUserPicker ? pickableUsers(standin, authz) : [];
  // FusionAuth's login page links carry the authorization request on (its theme helper `link`).
  const carried = new URLSearchParams(hidden.slice(0, -1)).toString();
  const passwordless = passwordlessEnabled(authz.application) ? `/oauth2/passwordless?${carried}` : undefined;
  const registerUrl = registrationConfigurationOf(authz.application).enabled ? `/oauth2/register?${carried}` : undefined;
  return reply.code(status).view('login', {
    applicationName: authz.application.name,
    hidden,
    ...form,
    error: form.error,
    pickable,
    forgotPassword: `/password/forgot?${carried}`,
    passwordless,
    registerUrl,
  });
}

// Enough for any seed a person scrolls through; the form still logs in anyone else.
const PICKER_LIMIT = 50;

/** The dev user picker's users: the active users of the application's tenant registered to it, in registration order. */
function pickableUsers(standin: Standin, authz: AuthorizeRequest): Array<{ id: string; label: string }> {
  const { application } = authz;
  const users: Array<{ id: string; label: string }> = [];
  for (const userId of standin.stores.registrations.userIdsOf(application.id)) {
    const user = standin.stores.users.get(userId);
    if (!user || !user.active || user.tenantId !== application.tenantId) continue;
    users.push({ id: user.id, label: user.email ?? user.username ?? user.id });
    if (users.length === PICKER_LIMIT) break;
  }
  return users;
}

export function renderError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof RedirectableError) {
    const { standin } = reply.request.server;
    const tenant = standin.stores.tenants.get(error.target.application.tenantId);
    const iss = tenant === undefined ? undefined : standin.issuerOf(tenant);
    return send(
      reply,
      authorizeResponse(error.target, { error: error.error, error_reason: error.reason, error_description: error.description, iss }),
    );
  }
  if (error instanceof UntrustedRedirectError) {
    return reply.code(400).view('error', { description: error.description, error: error.toJSON() });
  }
  throw error;
}

function send(reply: FastifyReply, response: ReturnType<typeof authorizeResponse>): FastifyReply {
  if (response.mode === 'query') return reply.redirect(response.location, 302);
  return reply.code(200).view('form-post', { action: response.action, fields: response.fields });
}
