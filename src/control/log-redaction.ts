import type { FastifyRequest } from 'fastify';

/**
 * Fastify's request log line (its default req serializer's fields) with the inspect page's `?key=` API key
 * and any changePasswordId replaced: a page load can only carry the key in its URL, and no secret may reach the log (security
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
  if (url.startsWith('/api/user/change-password/') || /[?&]changePasswordId=/i.test(url)) return redactChangePasswordId(url);
  if (!url.startsWith('/_standin/')) return url;
  return url.replace(/([?&]key=)[^&#]*/gi, '$1[redacted]');
}

/**
 * A changePasswordId is a bearer secret (it sets the user's password), yet FusionAuth's clients put it in the
 * path of `/api/user/change-password/{id}` and in `GET /api/user?changePasswordId=`: the log gets neither.
 */
function redactChangePasswordId(url: string): string {
  return url.replace(/^(\/api\/user\/change-password\/)[^?#]*/, '$1[redacted]').replace(/([?&]changePasswordId=)[^&#]*/gi, '$1[redacted]');
}
