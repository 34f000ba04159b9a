export const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
export type KeyType = 'RSA' | 'EC' | 'HMAC';

export function isAlgorithm(value: unknown): value is Algorithm {
  return (ALGORITHMS as readonly unknown[]).includes(value);
}

export function keyTypeOf(algorithm: Algorithm): KeyType {
  if (algorithm.startsWith('RS')) return 'RSA';
  if (algorithm.startsWith('ES')) return 'EC';
  return 'HMAC';
}

/** RFC 7518 §3.4: each ES algorithm fixes its curve. */
export const EC_CURVES = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' } as const;
/** The bits FusionAuth reports as an EC key's `length`. */
export const EC_LENGTHS = { ES256: 256, ES384: 384, ES512: 521 } as const;
/** RFC 7518 §3.2: an HMAC key at least as long as the hash. */
export const HMAC_BYTES = { HS256: 32, HS384: 48, HS512: 64 } as const;
/** The RSA sizes FusionAuth's Key API accepts; 2048 is its default. */
export const RSA_LENGTHS: readonly number[] = [2048, 3072, 4096];
