import type { FastifyRequest } from 'fastify';
import { blockedByIpAcl } from '../../manage/ip-acl-check.js';
import { endpointOf, keyAllows, type ApiKey } from '../../model/api-key.js';

/**
 * The API key in `Authorization` when it may call the route `request` matched, else undefined: FusionAuth answers
 * an empty 401 for an unknown key, an expired one, one whose permissions leave out this endpoint or method, and
 * one bound to a tenant on an endpoint that acts on the whole server, and one whose IP ACL blocks the client address
 * (FusionAuth's IP ACL API: the caller "will not be able to tell the difference between an invalid API key and an API
 * key that is blocked due to the IP ACL"). Sets `request.apiKey`.
 */
export function permittedApiKey(request: FastifyRequest): ApiKey | undefined {
  const header = request.headers.authorization;
  return header ? permitted(request, header) : undefined;
}

/**
 * `permittedApiKey` for FusionAuth's "Basic Authentication using an API Key" (https://fusionauth.io/docs/apis/authentication),
 * which the few endpoints that take it accept besides the raw key: `Authorization: Basic base64("apikey:<key>")`,
 * the user name `apikey` in lower case.
 */
export function permittedBasicApiKey(request: FastifyRequest): ApiKey | undefined {
  const credentials = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (credentials === undefined) return undefined;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0 || decoded.slice(0, separator) !== 'apikey') return undefined;
  return permitted(request, decoded.slice(separator + 1));
}

function permitted(request: FastifyRequest, rawKey: string): ApiKey | undefined {
  const { stores, config } = request.server.standin;
  const apiKey = rawKey === '' ? undefined : stores.apiKeys.find(rawKey);
  if (!apiKey || !keyAllows(apiKey, endpointOf(request.routeOptions.url ?? ''), request.method, config.now())) return undefined;
  if (blockedByIpAcl(stores, apiKey.ipAccessControlListId, request.ip)) return undefined;
  request.apiKey = apiKey;
  return apiKey;
}
