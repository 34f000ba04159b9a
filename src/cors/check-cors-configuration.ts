import { FieldErrors } from '../errors.js';
import { isObject, shownValue } from '../model/json.js';

const FIELD = 'systemConfiguration.corsConfiguration';

/** The methods FusionAuth's System Configuration API lists as possible `allowedMethods` values. */
const CORS_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'];

// A header field name is a token (RFC 9110 §5.1, §5.6.2).
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Refuses a `corsConfiguration` the CORS filter could not apply, with a field error per bad value (all at
 * once), before anything is stored: by the System Configuration API's PUT and PATCH (on the merged result),
 * and so by a kickstart, which replays them. The fields and values are those of
 * https://fusionauth.io/docs/apis/system#update-the-system-configuration; FusionAuth's own codes for these
 * refusals are not documented, so each is `[invalid]` with the field's path (docs/cors-and-discovery.md).
 */
export function checkCorsConfiguration(configuration: unknown): void {
  if (configuration === undefined || configuration === null) return;
  const errors = new FieldErrors();
  if (!isObject(configuration)) {
    errors.add(FIELD, 'invalid', `The [${FIELD}] property must be an object.`).throwIfAny();
    return;
  }
  for (const name of ['enabled', 'allowCredentials', 'debug']) {
    const value = configuration[name];
    if (value !== undefined && value !== null && typeof value !== 'boolean')
      errors.add(`${FIELD}.${name}`, 'invalid', `The [${FIELD}.${name}] property must be true or false, not [${shownValue(value)}].`);
  }
  checkList(configuration.allowedOrigins, 'allowedOrigins', isOriginOrUrl, 'an origin such as http://localhost:3000, or *', errors);
  const origins = configuration.allowedOrigins;
  if (Array.isArray(origins) && origins.includes('*') && origins.length > 1)
    errors.add(`${FIELD}.allowedOrigins`, 'invalid', `The [${FIELD}.allowedOrigins] property may list no other origin beside the wildcard [*].`);
  checkList(
    configuration.allowedMethods,
    'allowedMethods',
    (method) => CORS_METHODS.includes(method.toUpperCase()),
    `one of ${CORS_METHODS.join(', ')}`,
    errors,
  );
  for (const name of ['allowedHeaders', 'exposedHeaders']) checkList(configuration[name], name, isHeaderName, 'an HTTP header name', errors);
  const maxAge = configuration.preflightMaxAgeInSeconds;
  if (maxAge !== undefined && maxAge !== null && !(Number.isSafeInteger(maxAge) && (maxAge as number) >= 0))
    errors.add(
      `${FIELD}.preflightMaxAgeInSeconds`,
      'invalid',
      `The [${FIELD}.preflightMaxAgeInSeconds] property must be a number of seconds, 0 or more, not [${shownValue(maxAge)}].`,
    );
  errors.throwIfAny();
}

/** A list of strings each passing `valid`; every bad entry gets its own error, naming it. */
function checkList(value: unknown, name: string, valid: (item: string) => boolean, expected: string, errors: FieldErrors): void {
  if (value === undefined || value === null) return;
  const field = `${FIELD}.${name}`;
  if (!Array.isArray(value)) {
    errors.add(field, 'invalid', `The [${field}] property must be an array of strings.`);
    return;
  }
  for (const item of value as unknown[]) {
    if (typeof item !== 'string' || !valid(item))
      errors.add(field, 'invalid', `The [${field}] property value [${shownValue(item)}] is not valid: expected ${expected}.`);
  }
}

/**
 * `*`, or an absolute URL with a host (`scheme://host[:port]`, any scheme, as FusionAuth stores these as URIs):
 * what could ever equal a browser's `Origin`. A value with a path is kept as FusionAuth keeps it; it matches
 * no origin, as there (docs/cors-and-discovery.md).
 */
function isOriginOrUrl(value: string): boolean {
  if (value === '*') return true;
  if (value.length > 2000 || !/^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]/i.test(value) || /\s/.test(value)) return false;
  try {
    return new URL(value).host !== '';
  } catch {
    return false;
  }
}

function isHeaderName(value: string): boolean {
  return HEADER_NAME.test(value.trim());
}
