import { createHmac, timingSafeEqual } from 'node:crypto';
import { secureCookies } from '../cookie-security.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { newSecret } from '../store/secrets.js';

/** A per-browser secret, HttpOnly and SameSite=Strict: a page on another site can neither read nor send it. */
export const CSRF_COOKIE = 'standin.csrf';

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

/** The browser's CSRF secret, set now if it has none; `path` scopes the cookie to the pages whose forms use it. */
export function csrfSecret(request: FastifyRequest, reply: FastifyReply, path = '/oauth2'): string {
  return cookieSecret(request, reply, CSRF_COOKIE, path);
}

/** A per-browser secret in `cookie` (HttpOnly, SameSite=Strict, under `path`), set now if it has none. */
export function cookieSecret(request: FastifyRequest, reply: FastifyReply, cookie: string, path: string): string {
  const existing = request.cookies[cookie];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const secret = newSecret();
  reply.setCookie(cookie, secret, { path, httpOnly: true, sameSite: 'strict', secure: secureCookies(request) });
  return secret;
}

/**
 * Whether the browser says a form POST came from Standin's own pages (RFC 6819 §4.4.1.8): `Sec-Fetch-Site`
 * same-origin when sent, and `Origin` Standin's own unless `null`, which is what Chromium sends from a page
 * served with `Referrer-Policy: no-referrer`, as the hosted pages are.
 */
export function isSameSitePost(request: FastifyRequest): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return false;
  const origin = request.headers.origin;
  return origin === undefined || origin === 'null' || origin === `${request.protocol}://${request.host}`;
}

/** Whether `given` is the token `expected`, compared in constant time. */
export function tokenMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const actual = Buffer.from(given);
  const wanted = Buffer.from(expected);
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

/** Checks a login POST: from Standin's own page, and its token matches the request it claims and the cookie. */
export function isLegitimateLoginPost(request: FastifyRequest, params: Record<string, unknown>): boolean {
  const secret = request.cookies[CSRF_COOKIE];
  return isSameSitePost(request) && secret !== undefined && secret !== '' && tokenMatches(params.csrf_token, csrfToken(secret, params));
}
