import type { FastifyRequest } from 'fastify';
import { endpointOf, keyAllows, type ApiKey } from '../../model/api-key.js';

/**
 * The API key in `Authorization` when it may call the route `request` matched, else undefined: FusionAuth answers
 * an empty 401 for an unknown key, an expired one, one whose permissions leave out this endpoint or method, and
 * one bound to a tenant on an endpoint that acts on the whole server. Sets `request.apiKey`.
 */
export function permittedApiKey(request: FastifyRequest): ApiKey | undefined {
  const header = request.headers.authorization;
  const { stores, config } = request.server.standin;
  const apiKey = header ? stores.apiKeys.find(header) : undefined;
  if (!apiKey || !keyAllows(apiKey, endpointOf(request.routeOptions.url ?? ''), request.method, config.now())) return undefined;
  request.apiKey = apiKey;
  return apiKey;
}
