import { OAuthError } from '../errors.js';
import { applicationScopes, type Application } from '../model/application.js';
import { isProvidedScope, isProvidedScopeEnabled } from '../model/scope-policy.js';

// The scopes FusionAuth reserves and always knows: `openid` asks for an id token, `offline_access` for a refresh token.
const RESERVED = new Set(['openid', 'offline_access']);

/**
 * Whether the application knows a scope (FusionAuth Scopes docs): a reserved one, a provided one it has not
 * disabled, or one of its custom scopes. A disabled provided scope is as unknown as a made-up one.
 */
export function isKnownScope(application: Application, name: string): boolean {
  if (RESERVED.has(name)) return true;
  if (isProvidedScope(name)) return isProvidedScopeEnabled(application.oauthConfiguration, name);
  return applicationScopes(application).some((scope) => scope.name === name);
}

/**
 * The scopes a request gets under its application's `unknownScopePolicy`
 * (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/scopes): `Allow` keeps unknown scopes and
 * writes them to the tokens, `Remove` drops them, `Reject` refuses the request (the caller reports
 * `rejected`). A scope named twice counts once. Standin's applications are first-party, so every known scope
 * asked for is consented, a `required` one included; nothing is added that was not asked for.
 */
export function grantedScopes(application: Application, scope: string): { granted: string[]; rejected: string[] } {
  const scopes = [...new Set(scope.split(' ').filter(Boolean))];
  const policy = application.oauthConfiguration.unknownScopePolicy;
  if (policy === 'Allow') return { granted: scopes, rejected: [] };
  const unknown = scopes.filter((name) => !isKnownScope(application, name));
  if (policy === 'Remove') return { granted: scopes.filter((name) => !unknown.includes(name)), rejected: [] };
  return { granted: scopes, rejected: unknown };
}

/** FusionAuth's answer to scopes refused under `Reject`: `invalid_scope`, error_reason `unknown_scope`. */
export function unknownScopeError(rejected: readonly string[]): OAuthError {
  return new OAuthError('invalid_scope', 'unknown_scope', `Invalid scope: the scopes [${rejected.join(', ')}] are unknown to this application.`);
}
