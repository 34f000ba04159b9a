import type { FastifyRequest } from 'fastify';

/**
 * Fastify's request log line (its default req serializer's fields) with the inspect page's `?key=` API key
 * replaced: a page load can only carry the key in its URL, and no secret may reach the log (security
 * checklist L6).
 */
export function requestLogLine(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactKey(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

export function redactKey(url: string): string {
  if (!url.startsWith('/_standin/')) return url;
  return url.replace(/([?&]key=)[^&#]*/gi, '$1[redacted]');
}
