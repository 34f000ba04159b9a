import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets in time that depends on neither: both sides are hashed to 32 bytes first, because
 * `timingSafeEqual` needs equal lengths and a length check would tell the length (RFC 6819 §5.1.4.1.3;
 * node-oidc-provider's `constant_equals` does the same).
 */
export function constantEquals(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
