import type { FieldErrors } from '../errors.js';
import { isObject, isUuid, shownValue, type JsonObject } from './json.js';

// What the Identity Provider API reads the same way for every type Standin models (OpenID Connect, External JWT):
// the readers of a request's members, and the members every provider has.

const MAX_TEXT = 1024;

/** FusionAuth's linking strategies (`IdentityProviderLinkingStrategy`). */
export const LINKING_STRATEGIES = [
  'CreatePendingLink',
  'Disabled',
  'LinkAnonymously',
  'LinkByEmail',
  'LinkByEmailForExistingUser',
  'LinkByUsername',
  'LinkByUsernameForExistingUser',
] as const;
export type LinkingStrategy = (typeof LINKING_STRATEGIES)[number];

/** What every provider type's builder is told about the stored world. */
export interface ProviderFieldContext {
  existing?: { tenantId?: string | undefined };
  applicationExists: (id: string) => boolean;
  tenantExists: (id: string) => boolean;
  /** The type of the lambda `id` names, if it exists. */
  lambdaTypeOf: (id: string) => string | undefined;
  /**
   * A reconcile lambda that does not exist is stored (a kickstart naming FusionAuth's built-in reconcile lambda, which
   * Standin does not create; the banner lists it) instead of refused.
   */
  allowMissingLambda: boolean;
}

/**
 * Readers of a request's members that add FusionAuth's field error for a value of the wrong kind to `errors`.
 * `blankSpaces`: whether an optional text of spaces only is refused as blank (a required one always is).
 */
export function fieldReaders(errors: FieldErrors, blankSpaces: boolean) {
  const text = (field: string, value: unknown, required: boolean): string | undefined => {
    if (value === undefined || value === null || value === '') {
      if (required) errors.add(field, 'blank', `You must specify the [${field}] property.`);
      return undefined;
    }
    if (typeof value !== 'string' || ((required || blankSpaces) && value.trim() === '')) {
      errors.add(field, typeof value === 'string' ? 'blank' : 'invalid', `The [${field}] property must be a non-blank string.`);
      return undefined;
    }
    if (value.length > MAX_TEXT) errors.add(field, 'tooLong', `The [${field}] property is longer than ${MAX_TEXT} characters.`);
    return value;
  };
  const url = (field: string, value: unknown): string | undefined => {
    const given = text(field, value, false);
    if (given !== undefined && !isHttpUrl(given))
      errors.add(field, 'invalid', `The [${field}] property must be a fully qualified http or https URL.`);
    return given;
  };
  const flag = (field: string, value: unknown, fallback: boolean): boolean => {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') errors.add(field, 'invalid', `The [${field}] property must be true or false.`);
    return value === true;
  };
  const object = (field: string, value: unknown): JsonObject => {
    if (value === undefined || value === null) return {};
    if (!isObject(value)) errors.add(field, 'invalid', `The [${field}] property must be an object.`);
    return isObject(value) ? value : {};
  };
  return { text, url, flag, object };
}

export type FieldReaders = ReturnType<typeof fieldReaders>;

/**
 * The members every provider has, with FusionAuth's defaults: `linkingStrategy` (`LinkByEmail`), the reconcile lambda
 * (`reconcileType` its one type), `domains`, `tenantId` (set at create, read-only after: FusionAuth 1.62 tenant-scoped
 * providers), `enabled` and `debug` (false), `tenantConfiguration` and `data`.
 */
export function commonProviderFields(
  input: JsonObject,
  context: ProviderFieldContext,
  read: FieldReaders,
  errors: FieldErrors,
  reconcileType: string,
) {
  const linkingStrategy = input.linkingStrategy ?? 'LinkByEmail';
  if (!(LINKING_STRATEGIES as readonly unknown[]).includes(linkingStrategy)) {
    errors.add(
      'identityProvider.linkingStrategy',
      'invalid',
      `The [identityProvider.linkingStrategy] property must be one of ${LINKING_STRATEGIES.join(', ')}.`,
    );
  }

  const reconcileId = read.object('identityProvider.lambdaConfiguration', input.lambdaConfiguration).reconcileId;
  if (reconcileId !== undefined && reconcileId !== null) {
    const type = isUuid(reconcileId) ? context.lambdaTypeOf(reconcileId.toLowerCase()) : undefined;
    const missing = isUuid(reconcileId) && type === undefined;
    if (!isUuid(reconcileId) || (missing && !context.allowMissingLambda) || (!missing && type !== reconcileType)) {
      errors.add(
        'identityProvider.lambdaConfiguration.reconcileId',
        'invalid',
        `The [identityProvider.lambdaConfiguration.reconcileId] property must be the Id of a lambda of type [${reconcileType}].`,
      );
    }
  }

  const domains = input.domains ?? [];
  if (!Array.isArray(domains) || domains.some((domain) => typeof domain !== 'string')) {
    errors.add('identityProvider.domains', 'invalid', 'The [identityProvider.domains] property must be a list of domains.');
  }

  const tenantId = context.existing !== undefined ? context.existing.tenantId : input.tenantId;
  if (tenantId !== undefined && tenantId !== null && !(isUuid(tenantId) && context.tenantExists(tenantId.toLowerCase()))) {
    errors.add('identityProvider.tenantId', 'invalid', `The [identityProvider.tenantId] property value [${shownValue(tenantId)}] is not a tenant.`);
  }
  return {
    linkingStrategy: linkingStrategy as LinkingStrategy,
    lambdaConfiguration: typeof reconcileId === 'string' ? { reconcileId: reconcileId.toLowerCase() } : {},
    domains: Array.isArray(domains) ? (domains as string[]) : [],
    ...(typeof tenantId === 'string' ? { tenantId: tenantId.toLowerCase() } : {}),
    enabled: read.flag('identityProvider.enabled', input.enabled, false),
    debug: read.flag('identityProvider.debug', input.debug, false),
    tenantConfiguration: read.object('identityProvider.tenantConfiguration', input.tenantConfiguration),
    data: read.object('identityProvider.data', input.data),
  };
}

/**
 * Each entry of `applicationConfiguration` that names a stored application, read by `build` (its field path, its
 * object); an unknown application is refused (`[invalid]identityProvider.applicationConfiguration`).
 */
export function applicationConfigurations<T>(
  input: JsonObject,
  context: ProviderFieldContext,
  read: FieldReaders,
  errors: FieldErrors,
  build: (field: string, config: JsonObject) => T,
): Record<string, T> {
  const configurations: Record<string, T> = {};
  for (const [applicationId, value] of Object.entries(read.object('identityProvider.applicationConfiguration', input.applicationConfiguration))) {
    const field = `identityProvider.applicationConfiguration[${applicationId}]`;
    if (!isUuid(applicationId) || !context.applicationExists(applicationId.toLowerCase())) {
      errors.add('identityProvider.applicationConfiguration', 'invalid', `The application Id [${applicationId}] in [${field}] does not exist.`);
      continue;
    }
    configurations[applicationId.toLowerCase()] = build(field, read.object(field, value));
  }
  return configurations;
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
