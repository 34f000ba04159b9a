import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { userWithRegistrations } from '../../manage/user-view.js';
import { isObject, isUuid, type JsonObject } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { USER_SORT_FIELDS, type UserQuery, type UserSortField } from '../../store/user-search.js';
import { isVisible, namedTenantId } from './tenant-scope.js';

const MAX_IDS = 500;
/** The most results one page may ask for, and the total FusionAuth reports unless `accurateTotal` (Search for Users API). */
const MAX_RESULTS = 10_000;

/**
 * FusionAuth's Search for Users API with its database search engine (https://fusionauth.io/docs/apis/users/search):
 * `GET /api/user/search?ids=…` or `?queryString=…`, and `POST /api/user/search` `{search: {…}}`, answering
 * `{total, users}`. `ids` come back as asked, unpaged; `queryString` is one case-insensitive term matched
 * within email, username, first, last and full name and phone number, `*` standing for anything, paged by
 * `startRow`/`numberOfResults` and sorted by `sortFields`. The Elasticsearch-only `query` and `nextResults`
 * answer a 400 `[NotModelled]` (docs/built-ins-and-defaults.md).
 */
export async function userSearchRoutes(app: FastifyInstance): Promise<void> {
  app.get('/user/search', async (request) => search(request, fromQueryString(request.query as JsonObject)));
  app.post('/user/search', async (request) => search(request, isObject(request.body) ? request.body.search : undefined));
}

function search(request: FastifyRequest, criteria: unknown) {
  const given = isObject(criteria) ? criteria : {};
  const { stores } = request.server.standin;
  const expand = expandOf(given.expand);
  const show = (user: User) => {
    const { memberships, registrations } = userWithRegistrations(stores, user);
    return { ...user, ...(expand.memberships ? { memberships } : {}), ...(expand.registrations ? { registrations } : {}) };
  };
  // Precedence as FusionAuth lists it: ids, then query, then queryString.
  if (given.ids !== undefined) return byIds(request, given.ids, show);
  for (const name of ['query', 'nextResults'] as const) {
    if (given[name] !== undefined) throw elasticsearchOnly(name);
  }
  const query = checkQuery(request, given);
  const { users, total } = stores.userSearch.search(query);
  return { total: given.accurateTotal === true || given.accurateTotal === 'true' ? total : Math.min(total, MAX_RESULTS), users: users.map(show) };
}

/** The 400 for a parameter only FusionAuth's Elasticsearch search engine understands. */
export function elasticsearchOnly(name: string, what = 'users'): ApiError {
  return ApiError.general(
    '[NotModelled]',
    `Standin searches ${what} as FusionAuth's database search engine does: [${name}] needs Elasticsearch; see docs/built-ins-and-defaults.md.`,
  );
}

function byIds(request: FastifyRequest, given: unknown, show: (user: User) => unknown) {
  const ids = ([] as unknown[]).concat(given);
  if (ids.length > MAX_IDS || !ids.every(isUuid)) {
    new FieldErrors().add('ids', 'invalid', `The [ids] property must be a list of at most ${MAX_IDS} user Ids.`).throwIfAny();
  }
  const { users } = request.server.standin.stores;
  const found = [...new Set((ids as string[]).map((id) => id.toLowerCase()))]
    .map((id) => users.get(id))
    .filter((user): user is User => user !== undefined && isVisible(request, user.tenantId));
  return { total: found.length, users: found.map(show) };
}

function checkQuery(request: FastifyRequest, given: JsonObject): UserQuery {
  const errors = new FieldErrors();
  const queryString = given.queryString;
  if (typeof queryString !== 'string' || queryString.trim() === '') {
    errors.add('queryString', 'blank', 'You must specify either the [ids] or the [queryString] property.');
  }
  const limit = wholeNumber(given.numberOfResults, 25);
  if (limit === undefined || limit < 0 || limit > MAX_RESULTS)
    errors.add('numberOfResults', 'invalid', `The [numberOfResults] property must be between 0 and ${MAX_RESULTS}.`);
  const offset = wholeNumber(given.startRow, 0);
  if (offset === undefined || offset < 0) errors.add('startRow', 'invalid', 'The [startRow] property must be 0 or greater.');
  const sort = sortOf(given.sortFields, errors);
  errors.throwIfAny();
  const tenantId = namedTenantId(request);
  return { ...(tenantId === undefined ? {} : { tenantId }), ...likePattern(queryString as string), sort, limit: limit!, offset: offset! };
}

/**
 * The term as a LIKE pattern (lower-cased; `%`, `_` and `\` taken literally): matched anywhere within a field,
 * `*` standing for any run of characters, and `*` alone for every user (Search for Users API, `queryString`).
 */
export function likePattern(queryString: string): { pattern?: string } {
  const term = queryString.trim().normalize('NFKC').toLowerCase();
  if (/^\*+$/.test(term)) return {};
  const escaped = term.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*+/g, '%');
  return { pattern: `%${escaped}%` };
}

function sortOf(input: unknown, errors: FieldErrors): UserQuery['sort'] {
  if (input === undefined) return [];
  if (!Array.isArray(input) || input.length > USER_SORT_FIELDS.length) {
    errors.add('sortFields', 'invalid', 'The [sortFields] property must be a list of sort fields.');
    return [];
  }
  return input.flatMap((field, index) => {
    const { name, order = 'asc' } = isObject(field) ? field : {};
    if (!(USER_SORT_FIELDS as readonly unknown[]).includes(name)) {
      errors.add(`sortFields[${index}].name`, 'invalid', `The [sortFields[${index}].name] property must be one of ${USER_SORT_FIELDS.join(', ')}.`);
      return [];
    }
    if (order !== 'asc' && order !== 'desc') {
      errors.add(`sortFields[${index}].order`, 'invalid', `The [sortFields[${index}].order] property must be asc or desc.`);
      return [];
    }
    return [{ name: name as UserSortField, order: order }];
  });
}

/** FusionAuth's `expand` (since 1.48.0): `registrations` and `memberships` by default; `[]` leaves both out. */
function expandOf(input: unknown): { registrations: boolean; memberships: boolean } {
  if (input === undefined) return { registrations: true, memberships: true };
  const names = ([] as unknown[]).concat(input);
  return { registrations: names.includes('registrations'), memberships: names.includes('memberships') };
}

function wholeNumber(value: unknown, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

/**
 * The GET form's parameters as the POST body's `search`: `sortFields[0].name=email&sortFields[0].order=desc`
 * becomes `sortFields: [{name: 'email', order: 'desc'}]`.
 */
export function fromQueryString(query: JsonObject): JsonObject {
  const criteria: JsonObject = {};
  // Sparse: `sortFields[3].name` may come without `sortFields[0]`.
  const sortFields: (JsonObject | undefined)[] = [];
  for (const [key, value] of Object.entries(query)) {
    const sort = /^sortFields\[(\d{1,2})\]\.(name|order)$/.exec(key);
    if (sort) (sortFields[Number(sort[1])] ??= {})[sort[2]!] = Array.isArray(value) ? value[0] : value;
    else criteria[key] = value;
  }
  if (sortFields.length > 0) criteria.sortFields = Array.from(sortFields, (field) => field ?? {});
  return criteria;
}
