import type { Errors } from '../../errors.js';
import type { Refusal } from '../../oauth/login-counts.js';

/**
 * What `POST /api/login` answers to a login refused before any password is checked, other than a lockout (423,
 * empty): 503 while argon2 is saturated, 429 once the client address has failed too often; both with Retry-After, in
 * FusionAuth's error shape. The route sends it, and so does the server's request listener while a login flood
 * is shed before routing (shed-logins-before-routing.ts): one answer, whichever sends it.
 */
export function loginRefusal({ kind, retryAfterSeconds }: Refusal): { statusCode: number; retryAfter: string; body: Errors } {
  const [statusCode, code, message] =
    kind === 'busy'
      ? [503, '[ServiceUnavailable]', 'Standin is busy checking other passwords; try again shortly.']
      : [429, '[TooManyRequests]', `Too many failed logins from this address; try again in ${retryAfterSeconds} seconds.`];
  return { statusCode, retryAfter: String(retryAfterSeconds), body: { fieldErrors: {}, generalErrors: [{ code, message }] } };
}
