import type { FastifyReply, FastifyRequest } from 'fastify';
import { secureCookies } from '../../cookie-security.js';
import { liveSsoSession } from '../../oauth/sso-session.js';
import type { Standin } from '../../standin.js';
import type { SsoSession } from '../../store/sso-sessions.js';

/** FusionAuth's SSO session cookie (FusionAuth Cookies reference). */
export const SSO_COOKIE = 'fusionauth.sso';

/**
 * Sets the SSO cookie: HttpOnly, SameSite=Lax (Strict would break SSO on the top-level navigation from another
 * application), host-only, Secure on https (RFC 6265 §4.1.2.5; docs/hardening.md, "Cookies"). Persistent for "Keep me
 * signed in", for as long as the session may live; else a browser-session cookie.
 */
export function setSsoCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAgeSeconds: number | undefined): void {
  reply.setCookie(SSO_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(request),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  });
}

export function clearSsoCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SSO_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(request) });
}

/** The live SSO session the request's `fusionauth.sso` cookie points at, if any (the rule: oauth/sso-session.ts). */
export function currentSsoSession(standin: Standin, request: FastifyRequest): SsoSession | undefined {
  return liveSsoSession(standin, request.cookies[SSO_COOKIE]);
}
