// The public suffix list is loaded by the first cookie for a domain name: building its tables took ≈ 2 ms of every
// start, and a local Standin on localhost or an IP address never needs it.
const publicSuffixes = () => import('tldts');

/** The cookie attributes Standin sets here (RFC 6265 §4.1.2). */
interface CookieOptions {
  path: string;
  domain?: string;
  httpOnly?: boolean;
  sameSite?: 'lax';
  secure: boolean;
  maxAge?: number;
}

/** What these functions need of a reply: @fastify/cookie's `setCookie` and `clearCookie`. */
export interface CookieWriter {
  setCookie(name: string, value: string, options: CookieOptions): unknown;
  clearCookie(name: string, options: CookieOptions): unknown;
}

/** The hosted backend's cookies (FusionAuth Hosted Backend API, "Response cookies"). */
export const APP_COOKIES = {
  accessToken: 'app.at',
  refreshToken: 'app.rt',
  idToken: 'app.idt',
  accessTokenExpiry: 'app.at_exp',
  pkceVerifier: 'app.pkce_v',
} as const;

/** Where the hosted backend's token cookies go: their Domain (none: host-only) and whether they are Secure. */
export interface CookieScope {
  domain?: string;
  secure: boolean;
}

/**
 * The Domain of the hosted backend's cookies, as FusionAuth picks it: the broadest domain of Standin's host
 * that is not a public suffix, so that an SPA on a sibling host can read `app.at_exp` (auth.example.com →
 * example.com); undefined (host-only cookies) for `localhost`, IP addresses and a registrable domain itself.
 * Whether they are Secure is the rule every Standin cookie follows (cookie-security.ts).
 */
export async function cookieDomain(baseUrl: string): Promise<string | undefined> {
  const { hostname } = new URL(baseUrl);
  if (hostname === 'localhost' || /^[\d.]+$|:/.test(hostname)) return undefined;
  const domain = (await publicSuffixes()).getDomain(hostname, { allowPrivateDomains: true });
  return domain === null || domain === hostname ? undefined : domain;
}

/** The tokens the hosted backend puts in its `app.*` cookies. */
export interface HostedBackendTokenCookies {
  accessToken: string;
  /** Seconds. */
  expiresIn: number;
  /** Seconds since the epoch. */
  expiresAt: number;
  refreshToken?: string;
  /** Seconds. */
  refreshTokenMaxAge?: number;
  idToken?: string;
}

/**
 * Sets the hosted backend's `app.*` token cookies: the tokens HttpOnly, the id token and the expiry readable
 * by the SPA's script (the SDK reads `app.at_exp` to know it is logged in), all SameSite=Lax.
 */
export function setHostedBackendTokenCookies(reply: CookieWriter, scope: CookieScope, tokens: HostedBackendTokenCookies): void {
  const base = { path: '/', sameSite: 'lax' as const, secure: scope.secure, ...(scope.domain ? { domain: scope.domain } : {}) };
  reply.setCookie(APP_COOKIES.accessToken, tokens.accessToken, { ...base, httpOnly: true, maxAge: tokens.expiresIn });
  reply.setCookie(APP_COOKIES.accessTokenExpiry, String(tokens.expiresAt), { ...base, httpOnly: false, maxAge: tokens.expiresIn });
  if (tokens.idToken) reply.setCookie(APP_COOKIES.idToken, tokens.idToken, { ...base, httpOnly: false, maxAge: tokens.expiresIn });
  if (tokens.refreshToken) {
    reply.setCookie(APP_COOKIES.refreshToken, tokens.refreshToken, {
      ...base,
      httpOnly: true,
      ...(tokens.refreshTokenMaxAge ? { maxAge: tokens.refreshTokenMaxAge } : {}),
    });
  }
}

export function clearHostedBackendCookies(reply: CookieWriter, scope: CookieScope, names: readonly string[]): void {
  for (const name of names) reply.clearCookie(name, { path: '/', secure: scope.secure, ...(scope.domain ? { domain: scope.domain } : {}) });
}

/** How long a started hosted-backend login may take, in seconds (the login cookie's lifetime). */
export const LOGIN_COOKIE_MAX_AGE = 600;

/**
 * The login cookie (`app.pkce_v`, the PKCE verifier): HttpOnly, SameSite=Lax so that it comes back on the
 * top-level redirect to the callback, host-only and Path=/app because only Standin's own `/app/callback`
 * reads it, and short-lived.
 */
export function setLoginCookie(reply: CookieWriter, secure: boolean, verifier: string): void {
  reply.setCookie(APP_COOKIES.pkceVerifier, verifier, { path: '/app', httpOnly: true, sameSite: 'lax', secure, maxAge: LOGIN_COOKIE_MAX_AGE });
}

/** One use: the callback clears the login cookie whatever it decides. */
export function clearLoginCookie(reply: CookieWriter, secure: boolean): void {
  reply.clearCookie(APP_COOKIES.pkceVerifier, { path: '/app', httpOnly: true, sameSite: 'lax', secure });
}
