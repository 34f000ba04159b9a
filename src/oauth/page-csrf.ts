import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookieSecret, isSameSitePost, tokenMatches } from './login-csrf.js';

/**
 * The CSRF secret of the hosted verification pages (`/email/*`, `/registration/*`): HttpOnly, SameSite=Strict,
 * so the same double-submit scheme as the login form (RFC 6819 §4.4.1.8; docs/hardening.md) protects their forms.
 */
export const EMAIL_CSRF_COOKIE = 'standin.csrf.pages';

/** The token of a form: an HMAC, keyed by the browser's secret, of the form's purpose and hidden fields. */
export function pageCsrfToken(secret: string, purpose: string, fields: ReadonlyArray<readonly [string, string]>): string {
  const bound = JSON.stringify([purpose, ...[...fields].filter(([name]) => name !== 'csrf_token').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  return createHmac('sha256', secret).update(bound).digest('base64url');
}

/** The browser's secret for the email pages, set now if it has none. */
export function pageCsrfSecret(request: FastifyRequest, reply: FastifyReply): string {
  return cookieSecret(request, reply, EMAIL_CSRF_COOKIE, '/');
}

/**
 * Checks a POST of such a form: same-site by the browser's word (`Sec-Fetch-Site`, `Origin`), and its token
 * matches the cookie and the hidden fields it carries (`bound` names them; editing one breaks the token).
 */
export function isLegitimatePagePost(request: FastifyRequest, purpose: string, body: Record<string, unknown>, bound: readonly string[]): boolean {
  const secret = request.cookies[EMAIL_CSRF_COOKIE];
  if (!isSameSitePost(request) || !secret) return false;
  const fields = bound.flatMap((name) => (typeof body[name] === 'string' && body[name] !== '' ? [[name, body[name]] as const] : []));
  return tokenMatches(body.csrf_token, pageCsrfToken(secret, purpose, fields));
}
