import type { FastifyRequest } from 'fastify';

/**
 * Whether Standin's cookies for this request are `Secure`: exactly when the browser reached Standin over
 * https, that is, through TLS, through a trusted proxy's `X-Forwarded-Proto: https` (`--trust-proxy`), or at
 * the host of an https `--issuer` (a TLS-terminating proxy that keeps the Host header, which Standin is not
 * told to trust). One rule for every cookie: fusionauth.sso, standin.csrf, access_token, refresh_token and
 * the hosted backend's app.* cookies (docs/hardening.md, "Cookies"). A plain-http origin of
 * another name (a container's, say) gets no Secure cookies, which the browser would drop there.
 */
export function secureCookies(request: FastifyRequest): boolean {
  if (request.protocol === 'https') return true;
  const configured = new URL(request.server.standin.baseUrl());
  return configured.protocol === 'https:' && request.host.toLowerCase() === configured.host;
}
