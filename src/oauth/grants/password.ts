import { emitEvent } from '../../events/emit.js';
import { loginSuccessEvent } from '../../events/payloads.js';
import { randomUUID } from 'node:crypto';
import { OAuthError, OAuthRetryLater } from '../../errors.js';
import { requiredPasswordChange } from '../../manage/required-password-change.js';
import type { User } from '../../model/user.js';
import { hasExpired } from '../../model/user-expiry.js';
import { ChangePasswordRequiredError } from '../change-password-required-error.js';
import { scopesOf } from '../claims.js';
import { requireClientAuthentication } from '../client-authentication.js';
import { grantedScopes, unknownScopeError } from '../granted-scopes.js';
import { guardedLogin } from '../login-guard.js';
import { recordLogin } from '../record-login.js';
import { newRefreshToken } from '../refresh-rules.js';
import { param } from '../request-params.js';
import { signingOf, signTokens } from '../sign-tokens.js';
import { requireSignableGrant } from '../signing-keys.js';
import { loadSubjectParts } from '../subject-parts.js';
import { tokenResponse, type TokenResponse } from '../token-response.js';
import { loginValidationErrors, shownLoginErrors } from '../login-validation.js';
import { decideOnce, secondFactorOf } from '../mfa-requirement.js';
import { startTwoFactorLogin, TwoFactorRequiredError } from '../two-factor-login.js';
import type { GrantContext } from './grant.js';

/**
 * RFC 6749 §4.3, the resource owner password credentials grant
 * (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints). Deprecated (RFC 9700 §2.4) and kept for
 * FusionAuth parity, so only for applications whose `enabledGrants` has `password` (checked by the token endpoint).
 * Brute force is bounded per (client, username) and per client address by oauth/login-guard.ts (RFC 6749 §4.3.2); an
 * unknown user, a wrong password, a deactivated user and a locked username all get one answer (docs/hardening.md,
 * "Enumeration"). Too many failures from one address answer 429 and a saturated password hasher 503, both
 * `temporarily_unavailable` with Retry-After.
 */
export const grantType = 'password';

// FusionAuth's answer to bad credentials: `invalid_grant`, error_reason invalid_user_credentials
// (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints).
const badCredentials = () => new OAuthError('invalid_grant', 'invalid_user_credentials', 'The user credentials are invalid.');

export async function handle(context: GrantContext): Promise<TokenResponse> {
  const { body, client, standin } = context;
  const { stores } = standin;
  const now = standin.config.now();
  const username = param(body, 'username');
  const password = param(body, 'password');
  if (username === undefined || password === undefined) {
    throw new OAuthError('invalid_request', 'unknown', 'The request is missing a required parameter: username and password are both required.');
  }
  // FusionAuth's policy: NotRequiredWhenUsingPKCE spares only the authorization code grant.
  requireClientAuthentication(client, false);
  const { application } = client;
  const { granted, rejected } = grantedScopes(application, param(body, 'scope') ?? '');
  if (rejected.length > 0) throw unknownScopeError(rejected);
  const scope = granted.join(' ');

  const tenant = stores.tenants.get(application.tenantId)!;
  const secondFactor = decideOnce((user: User) => secondFactorOf(standin, { user, tenant, application }));
  const check = await guardedLogin(standin, {
    ip: context.ip,
    clientKey: application.id,
    tenantId: application.tenantId,
    loginId: username,
    password,
    secondFactorFollows: async (user) => (await secondFactor(user)) !== undefined,
  });
  if (!check.ok) {
    const refusal = 'refusal' in check ? check.refusal : undefined;
    if (refusal?.kind === 'address')
      throw new OAuthRetryLater(
        'too_many_attempts',
        `Too many failed logins from this address; try again in ${refusal.retryAfterSeconds} seconds.`,
        refusal.retryAfterSeconds,
      );
    if (refusal?.kind === 'busy')
      throw new OAuthRetryLater('server_busy', 'Standin is busy checking other passwords; try again shortly.', refusal.retryAfterSeconds);
    // A locked username answers as a wrong password does (docs/hardening.md, "Lockout").
    throw badCredentials();
  }
  // An expired user, once the password is right, is told so, before any second factor or password change
  // (docs/login-flow.md, "An expired user").
  if (hasExpired(check.user, now)) throw new OAuthError('invalid_grant', 'user_expired', "The user's account has expired.");
  // A user in an action that prevents login (docs/user-actions.md): FusionAuth's `login_prevented` reason.
  if (stores.userActionLogs.preventingLogin(check.user.id, now).length > 0)
    throw new OAuthError('invalid_grant', 'login_prevented', 'The user is currently in an action that has prevented login.');
  // The tenant's login validation lambda may refuse the login (docs/lambdas.md): FusionAuth's token endpoint has no
  // reason of its own for it, so Standin answers as for a login prevented, with the lambda's first message.
  const invalid = await loginValidationErrors(standin, { user: check.user, tenant, application, authenticationType: 'PASSWORD' });
  if (invalid) throw new OAuthError('invalid_grant', 'login_prevented', shownLoginErrors(invalid));
  // A user with a second factor gets no token from a password alone (docs/two-factor.md).
  const step = await secondFactor(check.user);
  if (step) {
    const pending = { applicationId: application.id, clientKey: application.id, loginId: username };
    throw new TwoFactorRequiredError(startTwoFactorLogin(standin, check.user, tenant, pending), step.methods);
  }

  // A user who must change their password gets the id that sets it instead of tokens (docs/login-flow.md).
  const changePasswordId = requiredPasswordChange(standin, check.user);
  if (changePasswordId !== undefined) throw new ChangePasswordRequiredError(changePasswordId);
  // Refused before the login is recorded and a refresh token stored (docs/built-ins-and-defaults.md).
  requireSignableGrant(stores, tenant, application, scope);
  const issued = stores.db
    .transaction(() => {
      const parts = loadSubjectParts(stores, application.id, check.user.id, now);
      if (!parts) return undefined;
      if (!parts.registration && application.oauthConfiguration.requireRegistration) return 'unregistered' as const;
      recordLogin(stores, parts.user, application.id, now, { ipAddress: context.ip });
      // OIDC Core §11, FusionAuth Tokens docs: a refresh token only with offline_access and generateRefreshTokens.
      const refresh =
        scopesOf(scope).has('offline_access') && application.oauthConfiguration.generateRefreshTokens
          ? newRefreshToken(parts, { scope, authTime: now, authenticationType: 'PASSWORD', grants: [grantType] }, now)
          : undefined;
      if (refresh) stores.refreshTokens.insert(refresh.token, refresh.value);
      return { parts, refresh };
    })
    .immediate();
  if (issued === undefined) throw badCredentials();
  if (issued === 'unregistered') throw new OAuthError('invalid_grant', 'registration_required', 'The user is not registered for this application.');

  const { parts, refresh } = issued;
  emitEvent(standin, () => loginSuccessEvent(stores, parts.user, application.id, 'PASSWORD', context.ip));
  const facts = {
    scope,
    authTime: Math.floor(now / 1000),
    authenticationType: 'PASSWORD',
    grantTypes: [grantType],
    refreshTokenId: refresh?.token.id,
  };
  const { access, idToken } = await signTokens(signingOf(standin, now), parts, facts, { jti: randomUUID() });
  const refreshToken = refresh ? { value: refresh.value, id: refresh.token.id } : undefined;
  return tokenResponse({ access, idToken, refreshToken, scope, userId: parts.user.id });
}
