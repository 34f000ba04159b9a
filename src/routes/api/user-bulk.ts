import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { deleteUsers } from '../../manage/users.js';
import { isObject, isUuid, type JsonObject } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { eventInfoOfRequest } from './event-info.js';
import { namedTenantId, isVisible } from './tenant-scope.js';
import { elasticsearchOnly, likePattern } from './user-search.js';

/** FusionAuth's default `limit`: at most this many users per call unless the request says otherwise. */
const DEFAULT_LIMIT = 10_000;

interface BulkQuery {
  userId?: string[];
  dryRun?: string;
  hardDelete?: string;
  limit?: string;
  query?: string;
  queryString?: string;
}

/** Which users a request picks, and what it asks done to them. */
interface Criteria {
  userIds?: string[];
  queryString?: string;
  dryRun: boolean;
  hardDelete: boolean;
  limit: number;
}

/**
 * FusionAuth's Bulk Delete Users API (https://fusionauth.io/docs/apis/users/bulk-delete): `DELETE /api/user/bulk`
 * deactivates, or with `hardDelete` deletes, the users named by `userId` parameters or a `userIds` body member, or
 * else those the database search engine's `queryString` finds (as `GET /api/user/search` does), at most `limit`
 * of them. The same fields come as query parameters (the TypeScript client's `deactivateUsersByIds`) or in a JSON
 * body (`deleteUsersByQuery`); a body member wins over its parameter. `dryRun` answers who would be affected and
 * writes nothing. A request that names a tenant, by its API key or `X-FusionAuth-TenantId`, reaches only that
 * tenant's users. Answers `{dryRun, hardDelete, total, userIds}`, `userIds` left out when no user was affected.
 */
export async function userBulkRoutes(app: FastifyInstance): Promise<void> {
  app.delete<{ Querystring: BulkQuery }>(
    '/user/bulk',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            userId: { type: 'array', items: { type: 'string', maxLength: 64 } },
            dryRun: { type: 'string' },
            hardDelete: { type: 'string' },
            limit: { type: 'string' },
            query: { type: 'string' },
            queryString: { type: 'string' },
          },
        },
      },
    },
    async (request) => {
      const criteria = criteriaOf(request);
      const info = eventInfoOfRequest(request);
      const users =
        criteria.userIds === undefined ? matching(request, criteria.queryString!, criteria.limit) : named(request, criteria.userIds, criteria.limit);
      if (!criteria.dryRun) await deleteUsers(app.standin, users, criteria.hardDelete, info);
      return {
        dryRun: criteria.dryRun,
        hardDelete: criteria.hardDelete,
        total: users.length,
        ...(users.length > 0 ? { userIds: users.map((user) => user.id) } : {}),
      };
    },
  );
}

function criteriaOf(request: FastifyRequest<{ Querystring: BulkQuery }>): Criteria {
  const body = request.body;
  if (body !== undefined && body !== null && !isObject(body)) {
    throw ApiError.general('[invalidJSON]', 'Unable to parse JSON. The request body must be a JSON object.');
  }
  const given: JsonObject = isObject(body) ? body : {};
  const parameters = request.query;
  const pick = (member: string, parameter: unknown): unknown => (given[member] !== undefined ? given[member] : parameter);
  const errors = new FieldErrors();
  const dryRun = flag(pick('dryRun', parameters.dryRun), 'dryRun', errors);
  const hardDelete = flag(pick('hardDelete', parameters.hardDelete), 'hardDelete', errors);
  const limit = limitOf(pick('limit', parameters.limit), errors);
  // Precedence as FusionAuth lists it: userIds, then query, then queryString.
  // An empty list names no one, as the query-parameter form (which cannot send one) does not.
  const userIds = pick('userIds', parameters.userId);
  if (userIds !== undefined && !(Array.isArray(userIds) && userIds.length === 0)) {
    if (!Array.isArray(userIds) || !userIds.every(isUuid)) errors.add('userIds', 'invalid', 'The [userIds] property must be a list of user Ids.');
    errors.throwIfAny();
    return { userIds: [...new Set((userIds as string[]).map((id) => id.toLowerCase()))], dryRun, hardDelete, limit };
  }
  if (pick('query', parameters.query) !== undefined) throw elasticsearchOnly('query');
  const queryString = pick('queryString', parameters.queryString);
  if (typeof queryString !== 'string' || queryString.trim() === '') {
    errors.add('queryString', 'blank', 'You must specify either the [userIds] or the [queryString] property.');
  }
  errors.throwIfAny();
  return { queryString: queryString as string, dryRun, hardDelete, limit };
}

/** A boolean member or parameter (`true`/`false`), false when absent. */
function flag(value: unknown, name: string, errors: FieldErrors): boolean {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  errors.add(name, 'invalid', `The [${name}] property must be true or false.`);
  return false;
}

function limitOf(value: unknown, errors: FieldErrors): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= 1) return number;
  errors.add('limit', 'invalid', 'The [limit] property must be a whole number of 1 or more.');
  return DEFAULT_LIMIT;
}

/** The named users this request may see, in the order given; unknown ids and other tenants' users are skipped. */
function named(request: FastifyRequest, ids: string[], limit: number): User[] {
  const { users } = request.server.standin.stores;
  return ids
    .map((id) => users.get(id))
    .filter((user): user is User => user !== undefined && isVisible(request, user.tenantId))
    .slice(0, limit);
}

/** The users the database search engine finds for `queryString` in the request's tenant (or every tenant). */
function matching(request: FastifyRequest, queryString: string, limit: number): User[] {
  const tenantId = namedTenantId(request);
  return request.server.standin.stores.userSearch.search({
    ...(tenantId === undefined ? {} : { tenantId }),
    ...likePattern(queryString),
    sort: [],
    limit,
    offset: 0,
  }).users;
}
