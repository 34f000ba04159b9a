/**
 * A key as FusionAuth's Key API answers it (https://fusionauth.io/docs/apis/keys, "Response Body"): with
 * `lastUpdateInstant`, and for an RSA or EC key `hasPrivateKey` (Standin always holds the private part of the
 * keys it generates).
 */
export function keyWithDefaults<K extends { type: string; insertInstant: number }>(
  key: K,
): K & { lastUpdateInstant: number; hasPrivateKey?: boolean } {
  return { ...key, ...(key.type === 'HMAC' ? {} : { hasPrivateKey: true }), lastUpdateInstant: key.insertInstant };
}
