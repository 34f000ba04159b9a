import type { FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from './json.js';

/**
 * A request's optional boolean: false when absent or null, else it must be a boolean, or `[invalid]<field>` is
 * added and false stands in for it.
 */
export function optionalBoolean(value: unknown, field: string, errors: FieldErrors): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  errors.add(field, 'invalid', `The [${field}] property must be true or false.`);
  return false;
}

/**
 * A request's optional object (a `data` member): empty when absent or null, else it must be an object, or
 * `[invalid]<field>` is added and an empty object stands in for it.
 */
export function optionalObject(value: unknown, field: string, errors: FieldErrors): JsonObject {
  if (value === undefined || value === null) return {};
  if (isObject(value)) return value;
  errors.add(field, 'invalid', `The [${field}] property must be an object.`);
  return {};
}
