import { createPublicKey } from 'node:crypto';
import { exportJWK, type JWK } from 'jose';
import type { KeyStore } from '../store/keys.js';

export interface PublicJwk extends JWK {
  alg: string;
  kid: string;
  use: 'sig';
}

/** JWKS (RFC 7517 §5): the public part of every asymmetric key; HMAC keys are never published. */
export async function publicJwks(keys: KeyStore): Promise<PublicJwk[]> {
  const asymmetric = keys.list().filter((key) => key.publicKey !== undefined);
  return Promise.all(
    asymmetric.map(async (key) => {
      const { kty, n, e, crv, x, y } = await exportJWK(createPublicKey(key.publicKey!));
      const members = kty === 'RSA' ? { kty, n, e } : { kty, crv, x, y };
      return { alg: key.algorithm, ...members, kid: key.kid, use: 'sig' } as PublicJwk;
    }),
  );
}
