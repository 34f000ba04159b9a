import { createHash, createPublicKey, generateKeyPair, randomBytes, type KeyPairKeyObjectResult } from 'node:crypto';
import { promisify } from 'node:util';
import { EC_CURVES, EC_LENGTHS, HMAC_BYTES, keyTypeOf, type Algorithm, type KeyType } from './algorithms.js';

const RSA_OPTIONS = { modulusLength: 2048, publicExponent: 0x10001 } as const;
// generateKeyPair is promisified where it is called, not when this module loads: reading it would load node:crypto
// with every start, which needs no new key (scripts/bundle.mjs, LAZY_BUILTINS).

const prefetched: Promise<KeyPairKeyObjectResult>[] = [];

/**
 * Makes sure `count` 2048-bit RSA key pairs are being generated on the thread pool, for the next generateKey('RS…')
 * calls of that length in this process to take: the CLI asks for one first thing when it will seed a new
 * database, so the key is made while the modules load, and a kickstart that generates keys asks for those too, so
 * that they are made side by side on the pool's threads rather than one after another. Each pair is used once.
 */
export function prefetchRsaKey(count = 1): void {
  while (prefetched.length < count) {
    const pair = promisify(generateKeyPair)('rsa', RSA_OPTIONS);
    // A failure surfaces when the pair is taken; never as an unhandled rejection.
    pair.catch(() => undefined);
    prefetched.push(pair);
  }
}

export interface KeyMaterial {
  type: KeyType;
  kid: string;
  length: number;
  /** SPKI PEM; absent for HMAC. */
  publicKey?: string;
  /** PKCS #8 PEM, or the base64 HMAC secret. */
  privateKey: string;
}

/**
 * Generates signing key material. Key generation runs on libuv's thread pool, so a 2048-bit RSA key
 * does not stall the event loop.
 */
export async function generateKey(algorithm: Algorithm, rsaLength = 2048): Promise<KeyMaterial> {
  const type = keyTypeOf(algorithm);
  if (type === 'HMAC') {
    const bytes = HMAC_BYTES[algorithm as keyof typeof HMAC_BYTES];
    return { type, kid: hmacKid(), length: bytes * 8, privateKey: randomBytes(bytes).toString('base64') };
  }
  const pair =
    type === 'RSA'
      ? await ((rsaLength === RSA_OPTIONS.modulusLength ? prefetched.shift() : undefined) ??
          promisify(generateKeyPair)('rsa', { ...RSA_OPTIONS, modulusLength: rsaLength }))
      : await promisify(generateKeyPair)('ec', { namedCurve: EC_CURVES[algorithm as keyof typeof EC_CURVES] });
  const publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  return {
    type,
    kid: thumbprintKid(publicKey),
    length: type === 'RSA' ? rsaLength : EC_LENGTHS[algorithm as keyof typeof EC_LENGTHS],
    publicKey,
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

/**
 * A kid shaped like FusionAuth's for asymmetric keys (a base64url SHA-1, 27 characters), taken from the
 * public key so that it is stable for the key's life.
 */
export function thumbprintKid(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(der).digest('base64url');
}

/** A kid shaped like FusionAuth's for HMAC keys: a short random hex string (an HMAC key has no public part to take it from). */
export function hmacKid(): string {
  return randomBytes(5).toString('hex');
}
