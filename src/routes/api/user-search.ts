import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { userWithRegistrations } from '../../manage/users.js';
import { isObject, isUuid } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { isVisible } from './tenant-scope.js';

const MAX_IDS = 500;

/**
 * FusionAuth's Search for Users API, by id only: `GET /api/user/search?ids=…&ids=…` (searchUsersByIds) and
 * `POST /api/user/search` `{search: {ids}}` answer `{total, users}` with the users that exist, in the order
 * asked. Query strings, raw queries, sorting and paging need FusionAuth's search engine; Standin answers
 * those with a 400 `[NotModelled]`.
 */
export async function userSearchRoutes(app: FastifyInstance): Promise<void> {
  app.get('/user/search', async (request) => search(request, request.query));
  app.post('/user/search', async (request) => search(request, isObject(request.body) ? request.body.search : undefined));
}

function search(request: FastifyRequest, criteria: unknown) {
  const given = isObject(criteria) ? criteria : {};
  const others = Object.keys(given).filter((name) => name !== 'ids');
  if (given.ids === undefined || others.length > 0) {
    throw ApiError.general(
      '[NotModelled]',
      `Standin's user search takes only ids${others.length > 0 ? `, not ${others.join(', ')}` : ''}; see README 'FusionAuth compatibility'.`,
    );
  }
  const ids = ([] as unknown[]).concat(given.ids);
  if (ids.length > MAX_IDS || !ids.every(isUuid)) {
    new FieldErrors().add('ids', 'invalid', `The [ids] property must be a list of at most ${MAX_IDS} user Ids.`).throwIfAny();
  }
  const { users } = request.server.standin.stores;
  const found = [...new Set((ids as string[]).map((id) => id.toLowerCase()))]
    .map((id) => users.get(id))
    .filter((user): user is User => user !== undefined && isVisible(request, user.tenantId));
  return { total: found.length, users: found.map((user) => userWithRegistrations(request.server.standin.stores, user)) };
}
