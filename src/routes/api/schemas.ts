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

// Some of FusionAuth's ids are Java Longs (the audit log's, the event log's): any whole number up to 19 digits,
// minus sign included, is one, and one that names no entry gets the empty 404, not a word's `[NotModelled]`.
const LONG_PATTERN = '^-?[0-9]{1,19}$';

/** A params schema for `:name` path segments that must be whole numbers (FusionAuth's Long ids). */
export function numericIdParams(name: string) {
  return { type: 'object', properties: { [name]: { type: 'string', pattern: LONG_PATTERN } } } as const;
}

/**
 * The entry a `numericIdParams` segment names, or FusionAuth's empty 404. A number past what JavaScript holds exactly
 * names nothing: stored ids count up from 1.
 */
export function foundByNumericId<T>(segment: string, get: (id: number) => T | undefined): T {
  const id = Number(segment);
  const value = Number.isSafeInteger(id) ? get(id) : undefined;
  if (value === undefined) throw ApiError.notFound();
  return value;
}

const patterns = new Map<string, RegExp>();

/**
 * The path segments of the matched route that its params schema constrains with a `pattern` (a UUID, for
 * every `uuidParams` route) and that do not fit it. Such a segment is not the kind of value the route takes,
 * so the route did not really match: `/api/user/import` is FusionAuth's Import Users API, not a user named
 * `import` (api/scope.ts answers it as not modelled).
 */
export function misfitSegments(request: FastifyRequest): string[] {
  const properties = (request.routeOptions.schema?.params as { properties?: Record<string, { pattern?: unknown }> } | undefined)?.properties;
  if (properties === undefined) return [];
  const params = request.params as Record<string, unknown>;
  return Object.entries(properties).flatMap(([name, schema]) => {
    const value = params[name];
    if (typeof schema.pattern !== 'string' || typeof value !== 'string') return [];
    let pattern = patterns.get(schema.pattern);
    if (pattern === undefined) patterns.set(schema.pattern, (pattern = new RegExp(schema.pattern, 'u')));
    return pattern.test(value) ? [] : [value];
  });
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
