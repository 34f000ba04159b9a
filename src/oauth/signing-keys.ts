import { ApiError, OAuthError } from '../errors.js';
import { keyUnusable, type KeyUnusable } from '../keys/key-usability.js';
import type { Application } from '../model/application.js';
import type { Tenant } from '../model/tenant.js';
import type { Stores } from '../store/index.js';
import { scopesOf } from './claims.js';
import { jwtConfigurationOf } from './jwt-configuration.js';

/**
 * Why the tokens issued for `application` (or, with none, by `tenant`) cannot be signed now, as a sentence; undefined
 * when they can. Logins and grants ask before they write anything, so a key gone missing leaves no refresh token,
 * consumed code or rotated refresh token behind (docs/built-ins-and-defaults.md, "When no key can sign").
 */
export function unsignableReason(stores: Stores, tenant: Tenant, application: Application | undefined, withIdToken: boolean): string | undefined {
  const config = application ? jwtConfigurationOf(application, tenant) : tenant.jwtConfiguration;
  const owner = application ? `application [${application.id}]` : `tenant [${tenant.id}]`;
  const access = keyUnusable(stores.keys, config.accessTokenKeyId, 'access');
  if (access) return describe(access, 'access', config.accessTokenKeyId, owner);
  if (!withIdToken) return undefined;
  const id = keyUnusable(stores.keys, config.idTokenKeyId, 'id', application?.oauthConfiguration.clientSecret);
  return id && describe(id, 'id', config.idTokenKeyId, owner);
}

function describe(problem: KeyUnusable, token: 'access' | 'id', keyId: string | undefined, owner: string): string {
  const field = `jwtConfiguration.${token}TokenKeyId`;
  switch (problem) {
    case 'unset':
      return `No ${token} token signing key is configured for ${owner}: set its ${field} or its tenant's.`;
    case 'missing':
      return `The ${token} token signing key [${keyId}] of ${owner} does not exist: set its ${field} or its tenant's to a key that does.`;
    case 'idTokenOnly':
      return `The ${token} token signing key [${keyId}] of ${owner} is a built-in OpenID Connect key, which signs id tokens only.`;
    case 'verifyOnly':
      return `The ${token} token signing key [${keyId}] of ${owner} was imported without its private key: it verifies tokens and signs none.`;
    case 'noClientSecret':
      return `The id token signing key [${keyId}] of ${owner} signs with the client secret, and the application has none.`;
  }
}

/** The Login API family's refusal: FusionAuth's error JSON, with a status a client shows instead of a crash. */
export function requireSignableLogin(stores: Stores, tenant: Tenant, application: Application | undefined): void {
  const reason = unsignableReason(stores, tenant, application, false);
  if (reason !== undefined) throw ApiError.general('[SigningKeyUnavailable]', reason, 400);
}

/**
 * The token endpoint's refusal. RFC 6749 §5.2 has no code for a server that cannot sign; `unauthorized_client` says
 * the client, as configured, may not be issued tokens now, with a 400 rather than a 500.
 */
export function requireSignableGrant(stores: Stores, tenant: Tenant, application: Application, scope: string): void {
  const reason = unsignableReason(stores, tenant, application, scopesOf(scope).has('openid'));
  if (reason !== undefined) throw new OAuthError('unauthorized_client', 'unknown', reason);
}

/**
 * requireSignableLogin for a login still to be finished for `userId` at `applicationId` (a passwordless code, a
 * pending second factor): asked before the one-time code or recovery code is used up.
 */
export function requireSignableLoginOf(stores: Stores, userId: string, applicationId: string | undefined): void {
  const user = stores.users.get(userId);
  const tenant = user && stores.tenants.get(user.tenantId);
  if (!tenant) return;
  requireSignableLogin(stores, tenant, applicationId === undefined ? undefined : stores.applications.get(applicationId));
}
