import { createHmac, timingSafeEqual } from 'node:crypto';

// The parameters of the pending authorization request the login form is bound to.
const BOUND = [
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'prompt',
  'max_age',
  'tenantId',
];

/**
 * The login form's CSRF token: an HMAC, keyed by the browser's CSRF cookie, of the pending authorization
 * request. A forged POST lacks the cookie's secret; a token lifted from another request or another browser
 * does not verify; a hidden field edited after rendering breaks it (RFC 6819 §4.4.1.8; docs/hardening.md).
 */
export function csrfToken(secret: string, params: Record<string, unknown>): string {
  const bound = JSON.stringify(BOUND.map((name) => params[name] ?? ''));
  return createHmac('sha256', secret).update(bound).digest('base64url');
}

/** Whether `given` is the token `expected`, compared in constant time. */
export function tokenMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const actual = Buffer.from(given);
  const wanted = Buffer.from(expected);
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}
