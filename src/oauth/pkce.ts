import { createHash } from 'node:crypto';
import { constantEquals } from './constant-equals.js';

// RFC 7636 §4.1: code-verifier = 43*128unreserved, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function isCodeVerifier(value: string): boolean {
  return VERIFIER.test(value);
}

/** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge, compared in constant time. */
export function verifierMatches(challenge: string, verifier: string): boolean {
  return constantEquals(createHash('sha256').update(verifier, 'ascii').digest('base64url'), challenge);
}
