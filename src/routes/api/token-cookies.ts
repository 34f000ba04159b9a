import type { FastifyReply, FastifyRequest } from 'fastify';
import { secureCookies } from '../../cookie-security.js';

/** What the Login API and `/api/jwt/refresh` put in FusionAuth's two API cookies. */
export interface ApiTokenCookies {
  /** The access token: a browser-session cookie. */
  token?: string;
  /** The refresh token value, with its expiry (milliseconds) and the current instant, for Max-Age. */
  refreshToken?: { value: string; expiresAt: number; now: number };
}

const options = (request: FastifyRequest) => ({ path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(request) }) as const;

/**
 * FusionAuth's cookies (https://fusionauth.io/docs/apis/login;
 * https://github.com/FusionAuth/fusionauth-issues/issues/726): `access_token` for the browser session,
 * `refresh_token` for the token's remaining lifetime; HttpOnly, SameSite=Lax, Path=/, host-only
 * (https://github.com/FusionAuth/fusionauth-issues/issues/1991), Secure over https.
 */
export function setApiTokenCookies(request: FastifyRequest, reply: FastifyReply, cookies: ApiTokenCookies): void {
  if (cookies.token !== undefined) reply.setCookie('access_token', cookies.token, options(request));
  const refresh = cookies.refreshToken;
  if (refresh !== undefined) {
    const maxAge = Math.max(0, Math.floor((refresh.expiresAt - refresh.now) / 1000));
    reply.setCookie('refresh_token', refresh.value, { ...options(request), maxAge, expires: new Date(refresh.expiresAt) });
  }
}

/** `POST /api/logout` (https://fusionauth.io/docs/apis/login): both cookies deleted. */
export function clearApiTokenCookies(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie('access_token', options(request));
  reply.clearCookie('refresh_token', options(request));
}
