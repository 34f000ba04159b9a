import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { KeyStore } from '../store/keys.js';

export interface PublicJwk extends JsonWebKey {
  alg: string;
  kid: string;
  use: 'sig';
}

/** JWKS (RFC 7517 §5): the public part of every asymmetric key; HMAC keys are never published. */
export function publicJwks(keys: KeyStore): PublicJwk[] {
  return keys
    .list()
    .filter((key) => key.publicKey !== undefined)
    .map((key) => {
      // Exporting the public KeyObject yields public members only (RFC 7518 §6.2.1, §6.3.1).
      const { kty, n, e, crv, x, y } = createPublicKey(key.publicKey!).export({ format: 'jwk' });
      const members = kty === 'RSA' ? { kty, n, e } : { kty, crv, x, y };
      return { alg: key.algorithm, ...members, kid: key.kid, use: 'sig' };
    });
}
