import { OAuthError } from '../errors.js';
import { emitEvent } from '../events/emit.js';
import { loginSuccessEvent } from '../events/payloads.js';
import { gateOf } from '../manage/email-verification.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import type { SsoSession } from '../store/sso-sessions.js';
import { RedirectableError, type AuthorizeRequest } from './authorize-request.js';
import { authorizeResponse, type AuthorizeResponse } from './authorize-response.js';
import { issueCode } from './issue-code.js';
import { recordLogin } from './record-login.js';
import { startSsoSession } from './sso-session.js';
import { userMayLogIn } from './user-may-log-in.js';

/** A live SSO session and its user. */
export interface SessionUser {
  session: SsoSession;
  user: User;
}

/**
 * Whether `session` (the live one the browser's cookie points at) may log this request in: of the client's
 * tenant, for an active, unexpired user, and neither `prompt=login` nor an exceeded `max_age` asking for a fresh login
 * (OIDC Core §3.1.2.1).
 */
export function reusableSessionFor(standin: Standin, session: SsoSession | undefined, authz: AuthorizeRequest): SessionUser | undefined {
  if (!session || session.tenantId !== authz.application.tenantId || authz.prompt.has('login')) return undefined;
  // FusionAuth: max_age=0 is prompt=login (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints).
  if (authz.maxAge !== undefined && (authz.maxAge === 0 || standin.config.now() - session.authTime > authz.maxAge * 1000)) return undefined;
  const user = standin.stores.users.get(session.userId);
  // An expired user logs in no more, not even through a session started before the expiry (docs/login-flow.md).
  // Nor one in an action that prevents login (docs/user-actions.md).
  const now = standin.config.now();
  return user && userMayLogIn(standin.stores, user, now) ? { session, user } : undefined;
}

/** What an authorize request without credentials leads to, given the session it may reuse. */
export type SilentStep =
  { kind: 'refused'; error: RedirectableError } | { kind: 'gate'; user: User } | ({ kind: 'sso' } & SessionUser) | { kind: 'login-page' };

/**
 * The `prompt` decisions of an authorize request that brought no credentials: a reusable session logs in
 * without UI unless the user's verification gates; `prompt=none` refuses whatever would need a page
 * (OIDC Core §3.1.2.6). An SSO session does not get an unverified user past the gate (docs/email-verification.md).
 */
export function silentStep(standin: Standin, authz: AuthorizeRequest, tenant: Tenant, reusable: SessionUser | undefined): SilentStep {
  const none = authz.prompt.has('none');
  if (reusable) {
    const gate = gateOf(standin, reusable.user, tenant, authz.application);
    if (!gate) return { kind: 'sso', ...reusable };
    if (none) return refused(authz, new OAuthError('interaction_required', `${gate}_verification_required`, `The user must verify their ${gate}.`));
    return { kind: 'gate', user: reusable.user };
  }
  if (none) return refused(authz, new OAuthError('login_required', 'authentication_required', 'The user is required to complete authentication.'));
  return { kind: 'login-page' };
}

function refused(authz: AuthorizeRequest, error: OAuthError): SilentStep {
  return { kind: 'refused', error: new RedirectableError(authz, error) };
}

/** Logs a request in with a reusable SSO session: the session is used now, and the code (or refusal) follows. */
export function ssoOutcome(
  standin: Standin,
  authz: AuthorizeRequest,
  tenant: Tenant,
  { session, user }: SessionUser,
): AuthorizeResponse | RedirectableError {
  standin.stores.ssoSessions.touch(session.id, standin.config.now());
  return codeOrRefusal(standin, authz, tenant, user, session);
}

/** Who logged in, and how. */
export interface FreshLogin {
  authz: AuthorizeRequest;
  tenant: Tenant;
  user: User;
  rememberDevice: boolean;
  authenticationType: string;
  /** The client address, for the login event. */
  ip: string;
}

/**
 * A user who just logged in: the login's writes (last login, a fresh session, the code) are one transaction,
 * so a failing write, such as a full disk, leaves none of them (and the caller sets no cookie). A refused
 * registration still keeps the session: the user did authenticate. Returns the new session's cookie value.
 */
export function loginTransaction(standin: Standin, login: FreshLogin): { cookie: string; outcome: AuthorizeResponse | RedirectableError } {
  const { authz, tenant, user, rememberDevice, authenticationType } = login;
  const result = standin.stores.db.transaction(() => {
    recordLogin(standin.stores, user, authz.application.id, standin.config.now(), { ipAddress: login.ip });
    // A fresh session id at every login: never one the browser brought (docs/hardening.md, "Sessions").
    const started = startSsoSession(standin, user.id, tenant.id, rememberDevice);
    return { cookie: started.cookie, outcome: codeOrRefusal(standin, authz, tenant, user, started.session, authenticationType) };
  })();
  emitEvent(standin, () => loginSuccessEvent(standin.stores, user, authz.application.id, authenticationType, login.ip));
  return result;
}

/** Issues the code for a logged-in user (RFC 6749 §4.1.2), or the registration refusal to send back instead. */
export function codeOrRefusal(
  standin: Standin,
  authz: AuthorizeRequest,
  tenant: Tenant,
  user: User,
  session: SsoSession,
  authenticationType = 'PASSWORD',
): AuthorizeResponse | RedirectableError {
  const { application } = authz;
  const registration = standin.stores.registrations.get(user.id, application.id);
  if (!registration && application.oauthConfiguration.requireRegistration) {
    return new RedirectableError(authz, new OAuthError('access_denied', 'registration_required', 'The user is not registered for this application.'));
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
    authenticationType,
  });
  // FusionAuth's userState is a hint for the client
  // (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints).
  const userState = registration ? 'Authenticated' : 'AuthenticatedNotRegistered';
  return authorizeResponse(authz, { code, locale: 'en', userState, iss: standin.issuerOf(tenant) });
}
