import { FieldErrors } from '../errors.js';
import { isUuid, type JsonObject } from '../model/json.js';
import type { Stores } from '../store/index.js';
import type { LoginRecord } from '../store/login-records.js';
import { readSearchPage } from './search-page.js';
import { criteriaObject, instantCriterion, noOrderGiven } from './search-criteria.js';

/**
 * FusionAuth's Search Login Records (https://fusionauth.io/docs/apis/login, "Search Login Records"): `userId` and
 * `applicationId` narrow to one user or application, `start` and `end` bound the instant, newest first (`orderBy`
 * `instant ASC` turns it); `total` only when `retrieveTotal` asks for it. `criteria` is the POST body's `search`
 * (`prefix` `search.`) or the GET's query (no prefix); `tenantId` keeps a request that acts in one tenant to its users.
 */
export function searchLoginRecords(
  stores: Stores,
  criteria: unknown,
  prefix: string,
  retrieveTotal: unknown,
  tenantId: string | undefined,
): { logins: LoginRecord[]; total?: number } {
  const errors = new FieldErrors();
  const given = criteriaObject(criteria, prefix, errors);
  const page = readSearchPage(given, ['instant'], 'instant', prefix, errors);
  const descending = noOrderGiven(given) ? true : page.orderBy.descending;
  const userId = uuid(given, 'userId', prefix, errors);
  const applicationId = uuid(given, 'applicationId', prefix, errors);
  const start = instantCriterion(given, 'start', prefix, errors);
  const end = instantCriterion(given, 'end', prefix, errors);
  const withTotal = retrieveTotal === true || retrieveTotal === 'true';
  if (
    retrieveTotal !== undefined &&
    retrieveTotal !== null &&
    typeof retrieveTotal !== 'boolean' &&
    retrieveTotal !== 'true' &&
    retrieveTotal !== 'false'
  )
    errors.add('retrieveTotal', 'invalid', 'The [retrieveTotal] property must be true or false.');
  errors.throwIfAny();
  return stores.loginRecords.search({
    ...(userId === undefined ? {} : { userId }),
    ...(applicationId === undefined ? {} : { applicationId }),
    ...(tenantId === undefined ? {} : { tenantId }),
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    descending,
    startRow: page.startRow,
    numberOfResults: page.numberOfResults,
    withTotal,
  });
}

/**
 * FusionAuth's Retrieve Recent Logins (https://fusionauth.io/docs/apis/users, "Retrieve Recent Logins"): newest first,
 * `limit` (10 by default) from `offset` (0), of one user (`userId`) or of everyone; never a total, by design.
 */
export function recentLogins(stores: Stores, query: JsonObject, tenantId: string | undefined): { logins: LoginRecord[] } {
  const errors = new FieldErrors();
  const offset = wholeNumber(query.offset, 0);
  const limit = wholeNumber(query.limit, 10);
  if (offset === undefined) errors.add('offset', 'invalid', 'The [offset] parameter must be a whole number.');
  if (limit === undefined || limit > 10_000) errors.add('limit', 'invalid', 'The [limit] parameter must be a whole number up to 10000.');
  const userId = uuid(query, 'userId', '', errors);
  errors.throwIfAny();
  const { logins } = stores.loginRecords.search({
    ...(userId === undefined ? {} : { userId }),
    ...(tenantId === undefined ? {} : { tenantId }),
    descending: true,
    startRow: offset!,
    numberOfResults: limit!,
    withTotal: false,
  });
  return { logins };
}

/** An id criterion, lower-cased as Standin keeps ids; absent or blank is no criterion. */
function uuid(given: JsonObject, name: string, prefix: string, errors: FieldErrors): string | undefined {
  const value = given[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && isUuid(value)) return value.toLowerCase();
  errors.add(`${prefix}${name}`, 'invalid', `The [${prefix}${name}] property must be a UUID.`);
  return undefined;
}

function wholeNumber(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 0 ? number : undefined;
}
