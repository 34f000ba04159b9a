import { emitEvent } from '../../events/emit.js';
import { jwtRefreshEvent } from '../../events/token-events.js';
import { OAuthError } from '../../errors.js';
import { scopesOf } from '../claims.js';
import { requireClientAuthentication } from '../client-authentication.js';
import { grantedScopes, unknownScopeError } from '../granted-scopes.js';
import { jwtConfigurationOf } from '../jwt-configuration.js';
import { useRefreshToken } from '../refresh-rules.js';
import { signRefreshed } from '../refreshed-tokens.js';
import { param } from '../request-params.js';
import { signingOf } from '../sign-tokens.js';
import { requireSignableGrant } from '../signing-keys.js';
import { tokenResponse, type TokenResponse } from '../token-response.js';
import type { GrantContext } from './grant.js';

/** RFC 6749 §6: a refresh token for a new access token (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints). */
export const grantType = 'refresh_token';

export async function handle(context: GrantContext): Promise<TokenResponse> {
  const { body, client, standin } = context;
  const { stores } = standin;
  const now = standin.config.now();
  const value = param(body, 'refresh_token');
  if (value === undefined)
    throw new OAuthError('invalid_request', 'missing_refresh_token', 'The request is missing a required parameter: refresh_token');
  // FusionAuth's policy: NotRequiredWhenUsingPKCE spares only the authorization code grant.
  requireClientAuthentication(client, false);
  const scope = param(body, 'scope');
  const ttl = expiresIn(context, param(body, 'expires_in'));
  checkScope(context, value, scope, now);

  const use = useRefreshToken(stores, value, now, {
    clientId: client.application.id,
    // A refresh no key can sign is refused before the token is used, so a one-time-use token is not rotated away.
    beforeUse: (parts, token) => {
      requireSignableGrant(stores, parts.tenant, parts.application, scope ?? token.scope);
    },
  });
  if (!use.ok) throw new OAuthError('invalid_grant', 'refresh_token_not_found', 'The refresh_token is invalid.');
  // The application's unknownScopePolicy as it is now: under `Remove`, scopes it no longer knows are dropped.
  const { granted: kept } = grantedScopes(client.application, scope ?? use.token.scope);
  const { access, idToken, scope: granted } = await signRefreshed(signingOf(standin, now), use, { scope: kept.join(' '), ttl });
  emitEvent(standin, jwtRefreshEvent(use.token, use.value, access.token));
  return tokenResponse({ access, idToken, refreshToken: { value: use.value, id: use.token.id }, scope: granted, userId: use.token.userId });
}

/**
 * RFC 6749 §6: the scope asked for may not go beyond the one granted (OAuth 2.1 §4.3.1). And under
 * `unknownScopePolicy` `Reject`, a refresh token holding a scope the application no longer knows (a custom
 * scope deleted, a provided scope disabled, or one let through while the policy was `Allow`) is revoked when
 * used (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints#refresh-token-grant-request).
 */
function checkScope({ standin: { stores }, client }: GrantContext, value: string, scope: string | undefined, now: number): void {
  const found = stores.refreshTokens.lookup(value);
  // An unusable token is refused by useRefreshToken, with the one answer every unusable token gets.
  if (found.found !== 'current' || found.token.applicationId !== client.application.id || found.token.expiresAt <= now) return;
  const granted = scopesOf(found.token.scope);
  const extra = [...scopesOf(scope ?? '')].filter((name) => !granted.has(name));
  if (extra.length > 0) throw new OAuthError('invalid_scope', 'unknown', `The scope [${extra.join(' ')}] was not granted to this refresh token.`);
  if (client.application.oauthConfiguration.unknownScopePolicy !== 'Reject') return;
  const { rejected } = grantedScopes(client.application, found.token.scope);
  if (rejected.length === 0) return;
  stores.refreshTokens.delete(found.token.id);
  throw unknownScopeError(rejected);
}

/** FusionAuth 1.59: `expires_in` may shorten the access token's lifetime, never lengthen it. */
function expiresIn({ standin: { stores }, client }: GrantContext, given: string | undefined): number | undefined {
  if (given === undefined) return undefined;
  const tenant = stores.tenants.get(client.application.tenantId);
  const max = tenant ? jwtConfigurationOf(client.application, tenant).timeToLiveInSeconds : 0;
  const seconds = /^\d{1,9}$/.test(given) ? Number(given) : NaN;
  if (!(seconds >= 1 && seconds <= max)) {
    throw new OAuthError('invalid_request', 'invalid_expires_in', `The expires_in parameter must be a whole number of seconds from 1 to ${max}.`);
  }
  return seconds;
}
