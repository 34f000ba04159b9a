export type JsonObject = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * RFC 7396 JSON Merge Patch, which is how FusionAuth's PATCH treats a plain JSON body: objects merge,
 * `null` removes a member, anything else (arrays included) replaces.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Fills what `value` leaves out from `defaults`, recursively for nested objects; `value` wins everywhere else. */
export function withDefaults<T extends JsonObject>(defaults: T, value: JsonObject): T {
  const result: JsonObject = { ...defaults };
  for (const [key, given] of Object.entries(value)) {
    if (given === undefined || given === null) continue;
    const fallback = defaults[key];
    result[key] = isObject(fallback) && isObject(given) ? withDefaults(fallback, given) : given;
  }
  return result as T;
}

/**
 * The paths (under `path`) where `value` holds something other than an object where `defaults` has one,
 * such as `"oauthConfiguration": "x"`: FusionAuth cannot bind those and refuses the request.
 */
export function nonObjectMembers(defaults: JsonObject, value: JsonObject, path: string): string[] {
  return Object.entries(value).flatMap(([key, given]) => {
    const fallback = defaults[key];
    if (!isObject(fallback) || given === undefined || given === null) return [];
    return isObject(given) ? nonObjectMembers(fallback, given, `${path}.${key}`) : [`${path}.${key}`];
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A value a client sent, as an error message quotes it: strings as they are, anything else as JSON. */
export function shownValue(value: unknown): string {
  if (typeof value === 'string') return value;
  // JSON.stringify answers undefined for these, whatever its type says.
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return typeof value;
  return JSON.stringify(value);
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
