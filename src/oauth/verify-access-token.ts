import type { Claims } from '../keys/jwt-signer.js';
import type { Application } from '../model/application.js';
import type { Registration } from '../model/registration.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { isAccessTokenKey, isVended } from './token-kind.js';

/** FusionAuth's `error_reason` values for a bearer token that does not pass (TSC `OAuthErrorReason`). */
export type AccessTokenProblem =
  'access_token_required' | 'access_token_malformed' | 'access_token_failed_processing' | 'access_token_expired' | 'access_token_invalid';

export interface VerifiedAccessToken {
  claims: Claims;
  tenant: Tenant;
  application: Application;
  user: User;
  /** Absent when the user is not registered to the application. */
  registration?: Registration;
}

export type AccessTokenCheck = { ok: true; token: VerifiedAccessToken } | { ok: false; reason: AccessTokenProblem; description: string };

// JWS compact serialization (RFC 7515 §7.1), and a size no access token Standin signs comes near.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_LENGTH = 16 * 1024;

type Failure = Extract<AccessTokenCheck, { ok: false }>;
const fail = (reason: AccessTokenProblem, description: string): Failure => ({ ok: false, reason, description });
// FusionAuth's wording for a token that verifies but may not be used here (FusionAuth GitHub issue
// https://github.com/FusionAuth/fusionauth-issues/issues/3451).
const unsuitable = () => fail('access_token_invalid', 'The token is not suitable for the requested use.');

/**
 * Whether `token` is a live access token Standin issued, and for whom. Signature and algorithm come from the
 * key its `kid` names (RFC 8725 §3.1); expiry follows the injected clock; `iss`, `aud`, `tid` and `sub` must
 * name a tenant, an application and an active user that still exist and belong together (RFC 8725 §3.8–3.9,
 * docs/hardening-tokens.md). An id token is refused (RFC 8725 §3.12): FusionAuth types both `JWT`, so the claims
 * tell them apart: only an id token carries `at_hash`, only an access token carries `gty`. It must be signed
 * with the access-token key of its application or tenant, and not be vended: a JWT `POST /api/jwt/vend` signed
 * is no login, whatever its claims (RFC 8725 §3.12; docs/hardening-tokens.md). A `jti` on the denylist is
 * refused at once (docs/hardening-tokens.md). Used by userinfo, introspection and every Bearer-token API.
 */
export async function verifyAccessToken(standin: Standin, token: string | undefined): Promise<AccessTokenCheck> {
  const issued = await verifyIssued(standin, token);
  return issued.ok ? userToken(standin, issued) : issued;
}

/**
 * The claims of `token` when it is a live access token of a user (as `verifyAccessToken` checks it) or of the
 * `client_credentials` grant (oauth/grants/client-credentials.ts), whose client is both `sub` and `aud`; else
 * undefined. For introspection, which takes both (FusionAuth 1.46 and later); userinfo and the user APIs take
 * only a user's. The signature is verified once, then the token is tried as a user's and as a client's.
 */
export async function verifyUserOrClientToken(standin: Standin, token: string | undefined): Promise<Claims | undefined> {
  const issued = await verifyIssued(standin, token);
  if (!issued.ok) return undefined;
  const user = userToken(standin, issued);
  if (user.ok) return user.token.claims;
  return isClientToken(issued) ? issued.claims : undefined;
}

type Issued = { ok: true; claims: Claims; tenant: Tenant; application: Application };

/** A verified token speaks for an active user of its tenant, who may or may not be registered to its application. */
function userToken(standin: Standin, { claims, tenant, application }: Issued): AccessTokenCheck {
  const { users, registrations } = standin.stores;
  const user = users.get(claims.sub as string);
  if (!user || !user.active || user.tenantId !== tenant.id)
    return fail('access_token_invalid', 'The user of the access token does not exist or is not active.');
  const registration = registrations.get(user.id, application.id);
  return { ok: true, token: { claims, tenant, application, user, ...(registration ? { registration } : {}) } };
}

/** A verified token of the client_credentials grant: its client is its `sub`, and that is its only grant. */
function isClientToken({ claims, application }: Issued): boolean {
  const grants = claims.gty;
  return claims.sub === application.id && Array.isArray(grants) && grants.length === 1 && grants[0] === 'client_credentials';
}

/** What every access token must pass, whoever it speaks for (see verifyAccessToken). */
async function verifyIssued(standin: Standin, token: string | undefined): Promise<Issued | Failure> {
  if (token === undefined || token === '') return fail('access_token_required', 'An access token is required.');
  if (token.length > MAX_LENGTH || !COMPACT_JWS.test(token)) return fail('access_token_malformed', 'The access token cannot be parsed.');
  const nowSeconds = Math.floor(standin.config.now() / 1000);
  // Expiry is checked here rather than by jose, to answer "expired" apart from "forged".
  const verified = await standin.jwt.verify(token, nowSeconds, { ignoreExpiry: true });
  if (!verified) return fail('access_token_failed_processing', 'The access token failed to be decoded.');
  const { claims, header, key } = verified;
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return fail('access_token_expired', 'The access token has expired.');
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) return unsuitable();
  if ('at_hash' in claims || !('gty' in claims) || isVended(header)) return unsuitable();
  const { sub, aud, tid, jti, iss } = claims;
  if (typeof sub !== 'string' || typeof aud !== 'string' || typeof tid !== 'string' || typeof jti !== 'string' || typeof iss !== 'string')
    return unsuitable();
  if (standin.stores.revokedAccessTokens.isRevoked(jti)) return fail('access_token_invalid', 'The access token has been revoked.');

  const tenant = standin.stores.tenants.get(tid);
  const application = standin.stores.applications.get(aud);
  if (!tenant || iss !== standin.issuerOf(tenant)) return unsuitable();
  if (!application || !application.active || application.tenantId !== tenant.id) return unsuitable();
  if (!isAccessTokenKey(standin.stores, claims, key.key.id)) return unsuitable();
  return { ok: true, claims, tenant, application };
}
