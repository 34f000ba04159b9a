import type { Claims } from '../keys/jwt-signer.js';
import type { Standin } from '../standin.js';

// JWS compact serialization (RFC 7515 §7.1), and a size no JWT Standin signs comes near.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_LENGTH = 16 * 1024;

/**
 * Whether `token` is a live JWT Standin signed, for FusionAuth's JWT API (`/api/jwt/validate`, `/api/jwt/issue`):
 * Login API tokens, OAuth access tokens and vended tokens alike. The key comes from `kid` and the algorithm
 * from that key, never from the header (RFC 8725 §3.1: `alg:none` and HS256-with-the-RSA-public-key fail);
 * `exp` and `nbf` follow the injected clock. An id token is refused (security checklist G4: only id tokens
 * carry `at_hash`), and so is a token whose `jti` was revoked (checklist I5).
 */
export async function verifyJwt(standin: Standin, token: string | undefined): Promise<Claims | undefined> {
  if (token === undefined || token.length > MAX_LENGTH || !COMPACT_JWS.test(token)) return undefined;
  const now = Math.floor(standin.config.now() / 1000);
  const verified = await standin.jwt.verify(token, now);
  if (!verified) return undefined;
  const { claims } = verified;
  // jose checks exp only when present; FusionAuth's JWTs always expire.
  if (typeof claims.exp !== 'number' || 'at_hash' in claims) return undefined;
  if (typeof claims.jti === 'string' && standin.stores.revokedAccessTokens.isRevoked(claims.jti)) return undefined;
  return claims;
}
