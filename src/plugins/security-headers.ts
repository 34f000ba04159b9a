import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
// helmet itself, the package @fastify/helmet wraps: bundled (scripts/bundle.mjs), so it loads with Standin's code.
import helmet, { type HelmetOptions } from 'helmet';
import { frameAncestorSources, withFrameAncestors } from '../http/frame-ancestors.js';
import { isObject, isUuid } from '../model/json.js';

/**
 * Security headers on every response (RFC 9700 §4.16; docs/hardening.md, "Headers"), through helmet with an identity
 * provider's changes to its defaults:
 * - no `form-action`: Chromium applies it along the redirect chain after the login POST, which would block
 *   the 302 to the application's redirect_uri (https://github.com/w3c/webappsec-csp/issues/8);
 * - `frame-ancestors 'none'` and `X-Frame-Options: DENY` against clickjacking (RFC 9700 §4.16), except on an
 *   application's hosted pages, which its `authorizedOriginURLs` may frame, as in FusionAuth;
 * - `Referrer-Policy: no-referrer`, so codes and states never leak through Referer (RFC 9700 §4.2.4);
 * - no HSTS and no `upgrade-insecure-requests`: Standin runs on plain http://localhost, and HSTS on
 *   localhost would pin every local port to https.
 */
export const SECURITY_HEADER_OPTIONS: HelmetOptions = {
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
};

/**
 * The headers helmet writes for these options, worked out once: they depend on no request, and @fastify/helmet
 * rebuilt helmet's middleware from its options on every request (a measurable share of a token grant,
 * bench/README.md).
 */
function headersOf(options: HelmetOptions): {
  set: [string, string | number | readonly string[]][];
  removed: string[];
} {
  const set: [string, string | number | readonly string[]][] = [];
  const removed: string[] = [];
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.push([name, value]),
    removeHeader: (name: string) => removed.push(name),
  };
  // helmet's middleware reads nothing from the request and only sets and removes headers on the response.
  const request = Object.create(null) as IncomingMessage;
  helmet(options)(request, response as unknown as ServerResponse, (error) => {
    if (error) throw error instanceof Error ? error : new Error('helmet refused its options');
  });
  return { set, removed };
}

let standardHeaders: ReturnType<typeof headersOf> | undefined;

/** The headers helmet writes on every response for Standin's options (a page an application may frame changes two). */
export function securityHeaders(): ReturnType<typeof headersOf> {
  return (standardHeaders ??= headersOf(SECURITY_HEADER_OPTIONS));
}

/** Writes the standard security headers on a response (also on the answers Fastify gives before any hook runs). */
export function setSecurityHeaders(response: ServerResponse): void {
  const { set, removed } = securityHeaders();
  for (const name of removed) response.removeHeader(name);
  for (const [name, value] of set) response.setHeader(name, value);
}

export const securityHeadersPlugin = fp(
  async (app: FastifyInstance) => {
    const policy = securityHeaders().set.find(([name]) => name.toLowerCase() === 'content-security-policy')?.[1];
    // On every response, 404s and errors included, as early as helmet's own hook did.
    app.addHook('onRequest', (_request, reply, done) => {
      setSecurityHeaders(reply.raw);
      done();
    });
    // A hosted page of an application may be framed by its authorizedOriginURLs (http/frame-ancestors.ts). Known
    // only once the body (a form post's client_id) is read, so decided as the page is sent.
    app.addHook('onSend', async (request, reply, payload) => {
      if (typeof policy !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
      const sources = framingOrigins(app, request);
      if (sources.length > 0) {
        // The policy as the route left it: the logout page adds its frame sources (routes/oauth2/logout.ts).
        const current = reply.getHeader('content-security-policy');
        reply.header('content-security-policy', withFrameAncestors(typeof current === 'string' ? current : policy, sources));
        reply.raw.removeHeader('x-frame-options');
      }
      return payload;
    });
  },
  { name: 'security-headers' },
);

/** The origins that may frame the page this request gets: those of the active application its `client_id` names. */
function framingOrigins(app: FastifyInstance, request: FastifyRequest): string[] {
  const named = (source: unknown) => (isObject(source) && typeof source.client_id === 'string' ? source.client_id : undefined);
  const clientId = named(request.query) ?? named(request.body);
  if (!isUuid(clientId)) return [];
  const application = app.standin.stores.applications.get(clientId.toLowerCase());
  return application?.active === true ? frameAncestorSources(application.oauthConfiguration) : [];
}
