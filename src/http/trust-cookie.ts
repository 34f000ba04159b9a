import type { FastifyReply, FastifyRequest } from 'fastify';
import { secureCookies } from '../cookie-security.js';
import { TRUST_COOKIE } from '../oauth/two-factor-login.js';

/**
 * The trusted-device cookie `fusionauth.trust` (https://fusionauth.io/docs/apis/login, "Response Cookies"):
 * HttpOnly, persistent for the trust's lifetime, Path=/ so the Login API and the hosted login page share it.
 */
export function setTrustCookie(request: FastifyRequest, reply: FastifyReply, trustId: string, maxAgeSeconds: number): void {
  reply.setCookie(TRUST_COOKIE, trustId, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(request), maxAge: maxAgeSeconds });
}

/** The trust id the browser presents, if any. */
export function presentedTrustId(request: FastifyRequest): string | undefined {
  return request.cookies[TRUST_COOKIE] || undefined;
}
