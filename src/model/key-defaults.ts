/**
 * A key as FusionAuth's Key API answers it (https://fusionauth.io/docs/apis/keys, "Response Body"): with
 * `lastUpdateInstant` (the insert instant until the key's name is changed), and for an RSA or EC key
 * `hasPrivateKey`: true on every key Standin generated or imported with its private part, false on an imported
 * public key or certificate.
 */
export function keyWithDefaults<K extends { type: string; insertInstant: number; lastUpdateInstant?: number; hasPrivateKey?: false }>(
  key: K,
): K & { lastUpdateInstant: number; hasPrivateKey?: boolean } {
  return {
    ...key,
    ...(key.type === 'HMAC' ? {} : { hasPrivateKey: key.hasPrivateKey ?? true }),
    lastUpdateInstant: key.lastUpdateInstant ?? key.insertInstant,
  };
}
