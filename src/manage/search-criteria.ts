import type { FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from '../model/json.js';

// Criteria of the searches over logs (audit log, login records), read from the POST body's `search` (`prefix`
// `search.`) or the GET's query (no prefix); a value of the wrong kind is added to `errors` under its name as sent.

/** The criteria object: the POST body's `search` may be left out, but not be something else. */
export function criteriaObject(criteria: unknown, prefix: string, errors: FieldErrors): JsonObject {
  if (criteria === undefined || criteria === null) return {};
  if (isObject(criteria)) return criteria;
  const name = prefix.replace(/\.$/, '');
  errors.add(name, 'invalid', `The [${name}] property must be an object of search criteria.`);
  return {};
}

/** An instant criterion (`start`, `end`) in milliseconds: a whole number, or its digits as a GET parameter. */
export function instantCriterion(given: JsonObject, name: string, prefix: string, errors: FieldErrors): number | undefined {
  const value = given[name];
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof number === 'number' && Number.isSafeInteger(number) && number >= 0) return number;
  errors.add(`${prefix}${name}`, 'invalid', `The [${prefix}${name}] property must be an instant in milliseconds.`);
  return undefined;
}

/** Whether the request leaves `orderBy` out, which for a log means newest first. */
export function noOrderGiven(given: JsonObject): boolean {
  return given.orderBy === undefined || given.orderBy === null || given.orderBy === '';
}
