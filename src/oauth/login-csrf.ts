import { createHmac, timingSafeEqual } from 'node:crypto';
import { secureCookies } from '../cookie-security.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { newSecret } from '../store/secrets.js';

/** A per-browser secret, HttpOnly and SameSite=Strict: a page on another site can neither read nor send it. */
export const CSRF_COOKIE = 'standin.csrf';

// The parameters of the pending authorization request the login form is bound to.
const BOUND = ['client_id', 'redirect_uri', 'response_type', 'response_mode', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'prompt', 'max_age', 'tenantId'];

/**
 * The login form's CSRF token: an HMAC, keyed by the browser's CSRF cookie, of the pending authorization
 * request. A forged POST lacks the cookie's secret; a token lifted from another request or another browser
 * does not verify; a hidden field edited after rendering breaks it (RFC 6819 §4.4.1.8; docs/hardening.md).
 */
export function csrfToken(secret: string, params: Record<string, unknown>): string {
  const bound = JSON.stringify(BOUND.map((name) => params[name] ?? ''));
  return createHmac('sha256', secret).update(bound).digest('base64url');
}

/** The browser's CSRF secret, set now if it has none; `path` scopes the cookie to the pages whose forms use it. */
export function csrfSecret(request: FastifyRequest, reply: FastifyReply, path = '/oauth2'): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const secret = newSecret();
  reply.setCookie(CSRF_COOKIE, secret, { path, httpOnly: true, sameSite: 'strict', secure: secureCookies(request) });
  return secret;
}

/**
 * Checks a login POST: the token must match the request it claims and the cookie, and the browser must not
 * say the POST came from another site (RFC 6819 §4.4.1.8): `Sec-Fetch-Site` must be same-origin when
 * sent, and `Origin` Standin's own unless `null`, which is what Chromium sends from a page served with
 * `Referrer-Policy: no-referrer`, as the login page is.
 */
export function isLegitimateLoginPost(request: FastifyRequest, params: Record<string, unknown>): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return false;
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null' && origin !== `${request.protocol}://${request.host}`) return false;
  const secret = request.cookies[CSRF_COOKIE];
  const given = params.csrf_token;
  if (!secret || typeof given !== 'string') return false;
  const expected = Buffer.from(csrfToken(secret, params));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
