import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { isObject } from '../../model/json.js';
import { isVisible } from './tenant-scope.js';

// FusionAuth ids are UUIDs; a path segment that is not one names nothing.
const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** A params schema for `:name` path segments that must be UUIDs. */
export function uuidParams(...names: string[]) {
  return {
    type: 'object',
    properties: Object.fromEntries(names.map((name) => [name, { type: 'string', pattern: UUID_PATTERN }])),
  } as const;
}

export const hardDeleteQuery = {
  type: 'object',
  properties: { hardDelete: { type: 'boolean', default: false } },
} as const;

/**
 * `hardDelete` from the query string (`deleteUser`) or from a JSON body (the TypeScript client's
 * `deleteUserWithRequest(id, {hardDelete: true})`, FusionAuth's UserDeleteSingleRequest): either one asks for it.
 */
export function hardDeleteOf(request: FastifyRequest<{ Querystring: { hardDelete: boolean } }>): boolean {
  const body = request.body;
  return request.query.hardDelete || (isObject(body) && body.hardDelete === true);
}

/** The object if it exists and the request may see it, else FusionAuth's empty 404. */
export function found<T extends { tenantId: string }>(request: FastifyRequest, value: T | undefined): T {
  if (value === undefined || !isVisible(request, value.tenantId)) throw ApiError.notFound();
  return value;
}
