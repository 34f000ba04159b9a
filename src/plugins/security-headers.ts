import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers on every response (RFC 9700 §4.16; docs/hardening.md, "Headers"), through helmet with an identity
 * provider's changes to its defaults:
 * - no `form-action`: Chromium applies it along the redirect chain after the login POST, which would block
 *   the 302 to the application's redirect_uri (https://github.com/w3c/webappsec-csp/issues/8);
 * - `frame-ancestors 'none'` and `X-Frame-Options: DENY` against clickjacking (RFC 9700 §4.16);
 * - `Referrer-Policy: no-referrer`, so codes and states never leak through Referer (RFC 9700 §4.2.4);
 * - no HSTS and no `upgrade-insecure-requests`: Standin runs on plain http://localhost, and HSTS on
 *   localhost would pin every local port to https.
 */
export const securityHeadersPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
          imgSrc: ["'self'", 'data:'],
          objectSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
        },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: false,
    });
  },
  { name: 'security-headers' },
);
