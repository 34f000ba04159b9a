import type { Application } from '../model/application.js';

// The scopes FusionAuth provides (Scopes docs); with unknownScopePolicy Reject any other is refused.
export const KNOWN_SCOPES: ReadonlySet<string> = new Set(['openid', 'offline_access', 'profile', 'email', 'phone', 'address']);

/**
 * The scopes a request gets under its application's `unknownScopePolicy` (FusionAuth Scopes docs): `Reject`
 * refuses any unknown one (the caller reports `rejected`), `Remove` drops them, `Allow` keeps them.
 */
export function grantedScopes(application: Application, scope: string): { granted: string[]; rejected: string[] } {
  const scopes = scope.split(' ').filter(Boolean);
  const unknown = scopes.filter((name) => !KNOWN_SCOPES.has(name));
  const policy = application.oauthConfiguration.unknownScopePolicy;
  return {
    granted: policy === 'Remove' ? scopes.filter((name) => KNOWN_SCOPES.has(name)) : scopes,
    rejected: policy === 'Reject' ? unknown : [],
  };
}
