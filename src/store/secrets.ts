import { createHash, randomBytes } from 'node:crypto';

/**
 * A new bearer secret (session cookie, code, refresh token): 256 random bits, base64url. RFC 6749 §10.10 and
 * OAuth 2.1 §7.7 ask for at most 2^-128 odds of a guess; this is 2^-256.
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the database keeps of a bearer secret: its SHA-256. Looking a secret up by its hash compares no
 * secret byte by byte, so timing tells nothing (RFC 6819 §5.1.4.1.3; docs/differences.md).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}
