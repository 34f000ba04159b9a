import type { FastifyReply, FastifyRequest } from 'fastify';
import { secureCookies } from '../cookie-security.js';
import { csrfToken, tokenMatches } from '../oauth/login-csrf.js';
import { pageCsrfToken } from '../oauth/page-csrf.js';
import { newSecret } from '../store/secrets.js';

/** A per-browser secret, HttpOnly and SameSite=Strict: a page on another site can neither read nor send it. */
export const CSRF_COOKIE = 'standin.csrf';

/**
 * The CSRF secret of the hosted verification pages (`/email/*`, `/registration/*`): HttpOnly, SameSite=Strict,
 * so the same double-submit scheme as the login form (RFC 6819 §4.4.1.8; docs/hardening.md) protects their forms.
 */
export const EMAIL_CSRF_COOKIE = 'standin.csrf.pages';

/** The browser's CSRF secret, set now if it has none; `path` scopes the cookie to the pages whose forms use it. */
export function csrfSecret(request: FastifyRequest, reply: FastifyReply, path = '/oauth2'): string {
  return cookieSecret(request, reply, CSRF_COOKIE, path);
}

/**
 * The browser's secret for the email pages, set now if it has none; with `serverKey`, combined with it, for a form
 * whose token must prove Standin rendered it (`isLegitimatePagePost`).
 */
export function pageCsrfSecret(request: FastifyRequest, reply: FastifyReply, serverKey?: string): string {
  const cookie = cookieSecret(request, reply, EMAIL_CSRF_COOKIE, '/');
  return serverKey === undefined ? cookie : serverBoundSecret(serverKey, cookie);
}

function serverBoundSecret(serverKey: string, cookie: string): string {
  return `${serverKey}.${cookie}`;
}

/** A per-browser secret in `cookie` (HttpOnly, SameSite=Strict, under `path`), set now if it has none. */
function cookieSecret(request: FastifyRequest, reply: FastifyReply, cookie: string, path: string): string {
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
function isSameSitePost(request: FastifyRequest): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return false;
  const origin = request.headers.origin;
  return origin === undefined || origin === 'null' || origin === `${request.protocol}://${request.host}`;
}

/** Checks a login POST: from Standin's own page, and its token matches the request it claims and the cookie. */
export function isLegitimateLoginPost(request: FastifyRequest, params: Record<string, unknown>): boolean {
  const secret = request.cookies[CSRF_COOKIE];
  return isSameSitePost(request) && secret !== undefined && secret !== '' && tokenMatches(params.csrf_token, csrfToken(secret, params));
}

/**
 * Checks a POST of a hosted verification page's form: same-site by the browser's word (`Sec-Fetch-Site`, `Origin`),
 * and its token matches the cookie and the hidden fields it carries (`bound` names them; editing one breaks the token).
 * With `serverKey`, the token must also have been made with that key (`pageSecret`): a form that acts for the user
 * its fields name, which only Standin may have rendered, not a browser that picked its own cookie.
 */
export function isLegitimatePagePost(
  request: FastifyRequest,
  purpose: string,
  body: Record<string, unknown>,
  bound: readonly string[],
  serverKey?: string,
): boolean {
  const cookie = request.cookies[EMAIL_CSRF_COOKIE];
  if (!isSameSitePost(request) || !cookie) return false;
  const secret = serverKey === undefined ? cookie : serverBoundSecret(serverKey, cookie);
  const fields = bound.flatMap((name) => (typeof body[name] === 'string' && body[name] !== '' ? [[name, body[name]] as const] : []));
  return tokenMatches(body.csrf_token, pageCsrfToken(secret, purpose, fields));
}
