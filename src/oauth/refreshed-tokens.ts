import type { RefreshUse } from './refresh-rules.js';
import { signTokens, type Signing } from './sign-tokens.js';
import type { MintedAccessToken } from './mint-tokens.js';

export interface RefreshedOptions {
  /** A narrower scope for the access token (RFC 6749 §6); the refresh token keeps its own. */
  scope?: string | undefined;
  /** Seconds, at most the configured lifetime. */
  ttl?: number | undefined;
  withoutIdToken?: boolean | undefined;
}

/**
 * Signs the tokens a used refresh token earns, after its transaction. `authenticationType` becomes `REFRESH_TOKEN`:
 * FusionAuth does not keep the original one in refreshed tokens (fusionauth-issues #1483, still open). `auth_time`
 * and the SSO session stay the family's; `gty` is its grant chain plus `refresh_token`
 * (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens); `sid` is the refresh token id, the same
 * across rotations.
 */
export async function signRefreshed(
  signing: Signing,
  use: Extract<RefreshUse, { ok: true }>,
  options: RefreshedOptions = {},
): Promise<{ access: MintedAccessToken; idToken?: string; scope: string }> {
  const { token, parts } = use;
  const scope = options.scope ?? token.scope;
  const facts = {
    scope,
    authTime: Math.floor(token.authTime / 1000),
    authenticationType: 'REFRESH_TOKEN',
    grantTypes: [...(token.grants ?? []), 'refresh_token'],
    refreshTokenId: token.id,
    ssoSessionId: token.ssoSessionId,
  };
  const signed = await signTokens(signing, parts, facts, { ttl: options.ttl, withoutIdToken: options.withoutIdToken });
  return { ...signed, scope };
}
