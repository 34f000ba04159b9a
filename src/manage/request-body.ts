import { ApiError, FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from '../model/json.js';

/** The request body as an object, or FusionAuth's `[missing]` error when there is none. */
export function requireBody(body: unknown): JsonObject {
  if (body === undefined || body === null) throw ApiError.general('[missing]', 'Your request is missing a JSON body.');
  if (!isObject(body)) throw ApiError.general('[invalidJSON]', 'Unable to parse JSON. The request body must be a JSON object.');
  return body;
}

/** A required object member of the body, such as `application` in `{"application": {…}}`. */
export function requireMember(body: unknown, member: string): JsonObject {
  const value = requireBody(body)[member];
  if (!isObject(value)) {
    new FieldErrors().add(member, 'blank', `You must specify the [${member}] property.`).throwIfAny();
  }
  return value as JsonObject;
}
