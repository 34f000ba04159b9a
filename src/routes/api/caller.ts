import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import type { User } from '../../model/user.js';
import { verifyJwt } from '../../oauth/verify-jwt.js';
import { permittedApiKey } from './api-key-access.js';

/**
 * For the routes FusionAuth serves to more than one kind of caller (`config.public`, so the API-key hook
 * stands aside): the API key in `Authorization`, if that is what it holds. Sets `request.apiKey`.
 */
export function apiKeyOf(request: FastifyRequest): boolean {
  return permittedApiKey(request) !== undefined;
}

/**
 * The active user a live JWT Standin signed speaks for (a Login API token or an OAuth access token alike,
 * as FusionAuth's JWT authentication takes either), or FusionAuth's empty 401.
 */
export async function jwtUser(request: FastifyRequest, token: string): Promise<User> {
  const claims = await verifyJwt(request.server.standin, token);
  const user = typeof claims?.sub === 'string' ? request.server.standin.stores.users.get(claims.sub) : undefined;
  if (!user || !user.active || (claims!.tid !== undefined && claims!.tid !== user.tenantId)) throw ApiError.unauthorized();
  return user;
}
