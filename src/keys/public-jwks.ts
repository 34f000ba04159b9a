import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { Key } from '../store/keys.js';
import { certificateMembers } from './certificate.js';

export interface PublicJwk extends JsonWebKey {
  alg: string;
  kid: string;
  use: 'sig';
}

/**
 * JWKS (RFC 7517 §5): the public part of every asymmetric key, with its certificate and thumbprints when it
 * has one (§4.7–4.9; some JWT libraries verify through `x5c`); HMAC keys are never published.
 */
export function publicJwks(keys: Key[]): PublicJwk[] {
  return keys
    .filter((key) => key.publicKey !== undefined)
    .map((key) => {
      // Exporting the public KeyObject yields public members only (RFC 7518 §6.2.1, §6.3.1).
      const exported = createPublicKey(key.publicKey!).export({ format: 'jwk' });
      const members = definedMembers(exported, exported.kty === 'RSA' ? ['kty', 'n', 'e'] : ['kty', 'crv', 'x', 'y']);
      return {
        alg: key.algorithm,
        ...members,
        kid: key.kid,
        use: 'sig',
        ...(key.certificate === undefined ? {} : certificateMembers(key.certificate)),
      };
    });
}

/** The named members of an exported JWK, in that order, leaving out any it does not have. */
function definedMembers(jwk: JsonWebKey, names: readonly ('kty' | 'n' | 'e' | 'crv' | 'x' | 'y')[]): JsonWebKey {
  const members: JsonWebKey = {};
  for (const name of names) {
    const value = jwk[name];
    if (value !== undefined) members[name] = value;
  }
  return members;
}
