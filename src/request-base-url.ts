import type { FastifyRequest } from 'fastify';

// RFC 3986 §3.2.2–3.2.3: a reg-name of DNS labels, an IPv4 address or a bracketed IPv6 literal, and an
// optional port. Nothing else (no userinfo, path, spaces, commas or quotes) may reach a URL built from it.
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*\\.?|\\[[0-9A-Fa-f:.]{2,45}\\])(?::(\\d{1,5}))?$`);

/** Whether a Host (or X-Forwarded-Host) value is a plain `host[:port]`. */
export function isHostHeader(value: string): boolean {
  const match = HOST.exec(value);
  if (!match || value.length > 260) return false;
  return match[1] === undefined || (Number(match[1]) >= 1 && Number(match[1]) <= 65535);
}

/**
 * The base URL of Standin as this request reached it, for endpoint URLs and Standin's own callback: the
 * configured base when the request came to the configured origin (keeping any path it has), else the
 * request's own `protocol://host`. The host is the `Host` header, or `X-Forwarded-Host`/`-Proto` only when
 * trustProxy believes the sender (Fastify's `request.host`, `request.protocol`). A host that is not a plain
 * `host[:port]` is never reflected: the configured base is used instead. The issuer never comes from here
 * (FusionAuth: `issuer` is the tenant's, whatever URL discovery was fetched from).
 */
export function requestBaseUrl(request: FastifyRequest, configured: string): string {
  const host = request.host;
  const protocol = request.protocol;
  if (!isHostHeader(host)) return configured;
  try {
    // new URL() drops default ports and normalises IPv4 forms, so equal origins compare equal.
    const origin = new URL(`${protocol}://${host}`).origin;
    return origin === new URL(configured).origin ? configured : origin;
  } catch {
    return configured;
  }
}
