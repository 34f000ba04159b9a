import type { FastifyRequest } from 'fastify';

/**
 * The JWT a request authenticates with on FusionAuth's JWT-authenticated APIs (
 * https://fusionauth.io/docs/apis/authentication): `Authorization: Bearer <jwt>`, else the `access_token` cookie.
 */
export function presentedJwt(request: FastifyRequest): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? (request.cookies.access_token || undefined);
}
