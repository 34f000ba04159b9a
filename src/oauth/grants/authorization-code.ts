import { randomUUID } from 'node:crypto';
import { OAuthError } from '../../errors.js';
import type { CodeGrant, Redemption } from '../../store/authorization-codes.js';
import type { Stores } from '../../store/index.js';
import { scopesOf } from '../claims.js';
import { requireClientAuthentication, type Client } from '../client-authentication.js';
import { jwtConfigurationOf } from '../jwt-configuration.js';
import { isCodeVerifier, verifierMatches } from '../pkce.js';
import { newRefreshToken } from '../refresh-rules.js';
import { param } from '../request-params.js';
import { signingOf, signTokens } from '../sign-tokens.js';
import { requireSignableGrant } from '../signing-keys.js';
import { loadSubjectParts, type SubjectParts } from '../subject-parts.js';
import { tokenResponse, type TokenResponse } from '../token-response.js';
import type { GrantContext } from './grant.js';

/** RFC 6749 §4.1.3: trade an authorization code for tokens (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints). */
export const grantType = 'authorization_code';

type Exchange =
  { ok: true; grant: CodeGrant; parts: SubjectParts; refresh?: { value: string; id: string }; jti: string } | { ok: false; error: OAuthError };

export async function handle(context: GrantContext): Promise<TokenResponse> {
  const { standin } = context;
  const now = standin.config.now();
  const code = required(context.body, 'code', 'missing_code');
  const redirectUri = required(context.body, 'redirect_uri', 'missing_redirect_uri');
  const verifier = param(context.body, 'code_verifier');
  // RFC 7636 §4.1: a malformed verifier is a malformed request, refused before the code is even looked up.
  if (verifier !== undefined && !isCodeVerifier(verifier)) {
    throw new OAuthError(
      'invalid_request',
      'invalid_pkce_code_verifier',
      'The code_verifier must be 43 to 128 of the characters A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1).',
    );
  }
  const exchange = standin.stores.db.transaction(() => redeem(context, code, redirectUri, verifier, now)).immediate();
  if (!exchange.ok) throw exchange.error;

  const { grant, parts, refresh, jti } = exchange;
  const facts = {
    scope: grant.scope,
    authTime: Math.floor(grant.authTime / 1000),
    authenticationType: grant.authenticationType,
    grantTypes: [grantType],
    refreshTokenId: refresh?.id,
    ssoSessionId: grant.ssoSessionId,
  };
  const { access, idToken } = await signTokens(signingOf(standin, now), parts, facts, { nonce: grant.nonce, code, jti });
  return tokenResponse({ access, idToken, refreshToken: refresh, scope: grant.scope, userId: parts.user.id });
}

/**
 * The transaction: consume the code (one conditional write; docs/storage.md), check it against the
 * request, and store what it issues. A client that fails authentication throws, which rolls the consumption
 * back: it changes nothing. Any other mismatch consumes the code, as FusionAuth deletes it.
 */
function redeem(
  { client, standin: { stores } }: GrantContext,
  code: string,
  redirectUri: string,
  verifier: string | undefined,
  now: number,
): Exchange {
  const redemption = stores.authorizationCodes.redeem(code, now);
  if (redemption.outcome === 'invalid') return refuse('The authorization code is invalid, has expired, or was already used.');
  const { grant } = redemption;
  requireClientAuthentication(client, grant.codeChallenge !== undefined);
  const mismatch = mismatchOf(grant, client, redirectUri, verifier);
  if (mismatch) return refuse(mismatch);
  if (redemption.outcome === 'replayed') {
    revokeIssued(stores, client, redemption, now);
    return refuse('The authorization code was already used; the tokens it issued are revoked.');
  }
  const parts = loadSubjectParts(stores, grant.applicationId, grant.userId, now);
  if (!parts) return refuse('The user of this authorization code no longer exists, is not active, or has expired.');
  // Thrown, not returned: the transaction rolls back, so the code is not used up by a grant no key can sign.
  requireSignableGrant(stores, parts.tenant, parts.application, grant.scope);

  // OIDC Core §11, FusionAuth Tokens docs: a refresh token only with offline_access and generateRefreshTokens.
  const issueRefresh = scopesOf(grant.scope).has('offline_access') && parts.application.oauthConfiguration.generateRefreshTokens;
  const refresh = issueRefresh
    ? newRefreshToken(
        parts,
        {
          scope: grant.scope,
          authTime: grant.authTime,
          authenticationType: grant.authenticationType,
          ...(grant.ssoSessionId === undefined ? {} : { ssoSessionId: grant.ssoSessionId }),
          grants: [grantType],
        },
        now,
      )
    : undefined;
  if (refresh) stores.refreshTokens.insert(refresh.token, refresh.value);
  const jti = randomUUID();
  stores.authorizationCodes.recordIssued(redemption.codeHash, refresh?.token.id, jti);
  return { ok: true, grant, parts, jti, ...(refresh ? { refresh: { value: refresh.value, id: refresh.token.id } } : {}) };
}

/** Why this request may not redeem this code (RFC 6749 §4.1.3, RFC 7636 §4.6, RFC 9700 §2.1.1), or undefined. */
function mismatchOf(grant: CodeGrant, client: Client, redirectUri: string, verifier: string | undefined): string | undefined {
  const { application } = client;
  if (grant.applicationId !== application.id) return 'The authorization code was issued to another client.';
  if (!sameRedirectUri(grant.redirectUri, redirectUri)) return 'The redirect_uri differs from the one of the authorization request.';
  if (grant.codeChallenge !== undefined) {
    if (verifier === undefined) return 'The authorization request had a code_challenge; this request must send its code_verifier.';
    if (!verifierMatches(grant.codeChallenge, verifier)) return 'The code_verifier does not match the code_challenge.';
    return undefined;
  }
  // A verifier for a code issued without a challenge is a downgrade attempt (RFC 9700 §4.8.2).
  if (verifier !== undefined) return 'The authorization request had no code_challenge, so no code_verifier may be sent.';
  const pkce = application.oauthConfiguration.proofKeyForCodeExchangePolicy;
  if (pkce === 'Required' || (pkce === 'NotRequiredWhenUsingClientAuthentication' && !client.authenticated)) {
    return 'This application requires PKCE, and the authorization code was issued without a code_challenge.';
  }
  return undefined;
}

/**
 * RFC 6749 §4.1.3: the redirect_uri must be identical, with one RFC 3986 §6.2.3 equivalence: an http(s) URI
 * with an empty path is the same as one with "/" (openid-client sends `http://localhost:3000/` back for an
 * authorization request that said `http://localhost:3000`). Nothing else is normalised.
 */
function sameRedirectUri(bound: string, given: string): boolean {
  const withPath = (uri: string) => uri.replace(/^(https?:\/\/[^/?#]+)(?=[?#]|$)/i, '$1/');
  return bound === given || withPath(bound) === withPath(given);
}

/** RFC 6749 §4.1.2, RFC 9700 §4.2.4: a replayed code revokes the refresh token family and the access token it issued. */
function revokeIssued(stores: Stores, client: Client, redemption: Extract<Redemption, { outcome: 'replayed' }>, now: number): void {
  if (redemption.issuedRefreshTokenId !== undefined) stores.refreshTokens.delete(redemption.issuedRefreshTokenId);
  if (redemption.issuedAccessTokenJti === undefined) return;
  const tenant = stores.tenants.get(client.application.tenantId);
  // The access token was issued before now, so it expires before now + its lifetime: keep the entry that long.
  const ttl = tenant ? jwtConfigurationOf(client.application, tenant).timeToLiveInSeconds : 86_400;
  stores.revokedAccessTokens.revoke(redemption.issuedAccessTokenJti, now + ttl * 1000);
}

// FusionAuth answers every unusable code alike: `invalid_request` with error_reason auth_code_not_found
// (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints; FusionAuth GitHub issues
// https://github.com/FusionAuth/fusionauth-issues/issues/150 and
// https://github.com/FusionAuth/fusionauth-issues/issues/211), where RFC 6749 §5.2 says invalid_grant. The
// description says which check failed, as FusionAuth's debug log would.
function refuse(description: string): Exchange {
  return { ok: false, error: new OAuthError('invalid_request', 'auth_code_not_found', description) };
}

function required(body: unknown, name: string, reason: 'missing_code' | 'missing_redirect_uri'): string {
  const value = param(body, name);
  if (value === undefined) throw new OAuthError('invalid_request', reason, `The request is missing a required parameter: ${name}`);
  return value;
}
