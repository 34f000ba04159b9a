import type { Claims } from '../keys/jwt-signer.js';
import type { Standin } from '../standin.js';
import { isAccessTokenKey, isVended } from './token-kind.js';

// JWS compact serialization (RFC 7515 §7.1), and a size no JWT Standin signs comes near.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_LENGTH = 16 * 1024;

/**
 * Whether `token` is a live JWT Standin signed, for FusionAuth's JWT API and JWT-authenticated APIs: Login API
 * tokens and OAuth access tokens alike, and vended JWTs only with `acceptVended` (`/api/jwt/validate`): a vended
 * JWT is not a login (docs/hardening-tokens.md). The key comes from `kid` and the algorithm from that key, never
 * from the header (RFC 8725 §3.1: `alg:none` and HS256-with-the-RSA-public-key fail), and it must be the
 * access-token key of the token's application or tenant (RFC 8725 §3.12); `exp` and `nbf` follow the injected
 * clock. An id token is refused (RFC 8725 §3.12: only id tokens carry `at_hash`), and so is a token
 * whose `jti` was revoked (docs/hardening-tokens.md).
 */
export async function verifyJwt(standin: Standin, token: string | undefined, options: { acceptVended?: boolean } = {}): Promise<Claims | undefined> {
  if (token === undefined || token.length > MAX_LENGTH || !COMPACT_JWS.test(token)) return undefined;
  const nowSeconds = Math.floor(standin.config.now() / 1000);
  const verified = await standin.jwt.verify(token, nowSeconds);
  if (!verified) return undefined;
  const { claims, header, key } = verified;
  // jose checks exp only when present; FusionAuth's JWTs always expire.
  if (typeof claims.exp !== 'number' || 'at_hash' in claims) return undefined;
  if ((isVended(header) && !options.acceptVended) || !isAccessTokenKey(standin.stores, claims, key.key.id)) return undefined;
  if (typeof claims.jti === 'string' && standin.stores.revokedAccessTokens.isRevoked(claims.jti)) return undefined;
  return claims;
}
