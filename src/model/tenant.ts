import { ApiError, FieldErrors } from '../errors.js';
import { isClientSecretKey } from './built-in-keys.js';
import { checkEmailConfiguration, emailConfigurationDefaults, type EmailConfiguration } from './email-configuration.js';
import { checkEventConfiguration, refuseUnparsableEventConfiguration } from './event-configuration.js';
import { checkPasswordValidationRules } from './password-rules.js';
import { isObject, nonObjectMembers, withDefaults, type JsonObject } from './json.js';
import { DEFAULT_SSO_IDLE_SECONDS } from './sso-session-liveness.js';
import { TENANT_ANSWER_DEFAULTS } from './tenant-defaults.js';
import { checkMultiFactorConfiguration } from './multi-factor-configuration.js';

export type RefreshTokenExpirationPolicy = 'Fixed' | 'SlidingWindow' | 'SlidingWindowWithMaximumLifetime';
export type RefreshTokenUsagePolicy = 'Reusable' | 'OneTimeUse';

/** The token lifetimes and policies a tenant sets and an application may override (FusionAuth Tenant API). */
export interface JwtConfiguration extends JsonObject {
  enabled: boolean;
  accessTokenKeyId?: string;
  idTokenKeyId?: string;
  timeToLiveInSeconds: number;
  refreshTokenTimeToLiveInMinutes: number;
  refreshTokenExpirationPolicy: RefreshTokenExpirationPolicy;
  refreshTokenUsagePolicy: RefreshTokenUsagePolicy;
  refreshTokenOneTimeUseConfiguration: { gracePeriodInSeconds: number };
  refreshTokenSlidingWindowConfiguration: { maximumTimeToLiveInMinutes: number };
  refreshTokenRevocationPolicy: { onLoginPrevented: boolean; onMultiFactorEnable: boolean; onOneTimeTokenReuse: boolean; onPasswordChanged: boolean };
}

export interface Tenant extends JsonObject {
  id: string;
  name: string;
  /** Absent until set: the server's default issuer applies (see Config.issuer). */
  issuer?: string;
  jwtConfiguration: JwtConfiguration;
  emailConfiguration: EmailConfiguration;
  externalIdentifierConfiguration: {
    authorizationGrantIdTimeToLiveInSeconds: number;
    changePasswordIdTimeToLiveInSeconds: number;
    oneTimePasswordTimeToLiveInSeconds: number;
  } & JsonObject;
  httpSessionMaxInactiveInterval: number;
  loginConfiguration: { requireAuthentication: boolean };
  state: 'Active';
  data: JsonObject;
  insertInstant: number;
  lastUpdateInstant: number;
}

/** FusionAuth's token defaults (Tenant API; JAVA JWTConfiguration): 1 h JWTs, 30-day reusable refresh tokens. */
export function jwtConfigurationDefaults(): JwtConfiguration {
  return {
    enabled: true,
    timeToLiveInSeconds: 3600,
    refreshTokenTimeToLiveInMinutes: 43200,
    refreshTokenExpirationPolicy: 'Fixed',
    refreshTokenUsagePolicy: 'Reusable',
    refreshTokenOneTimeUseConfiguration: { gracePeriodInSeconds: 0 },
    refreshTokenSlidingWindowConfiguration: { maximumTimeToLiveInMinutes: 43200 },
    refreshTokenRevocationPolicy: { onLoginPrevented: true, onMultiFactorEnable: false, onOneTimeTokenReuse: false, onPasswordChanged: true },
  };
}

/** FusionAuth's tenant defaults (Tenant API): those tokens, 30 s authorization codes, 1 h SSO sessions. */
function tenantDefaults(context: TenantContext): Tenant {
  return {
    id: context.id,
    name: '',
    jwtConfiguration: jwtConfigurationDefaults(),
    emailConfiguration: emailConfigurationDefaults(),
    // FusionAuth Tenant API: changePasswordIdTimeToLiveInSeconds defaults to 600 (Change Password API: "10 minutes"),
    // oneTimePasswordTimeToLiveInSeconds to 60.
    externalIdentifierConfiguration: {
      authorizationGrantIdTimeToLiveInSeconds: 30,
      changePasswordIdTimeToLiveInSeconds: 600,
      oneTimePasswordTimeToLiveInSeconds: 60,
    },
    httpSessionMaxInactiveInterval: DEFAULT_SSO_IDLE_SECONDS,
    loginConfiguration: { requireAuthentication: true },
    state: 'Active',
    data: {},
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}

export interface TenantContext {
  id: string;
  now: number;
  existing?: Tenant;
  /** Whether the key holds a private part (store/keys.ts `holdsPrivateKey`); undefined when there is no such key. */
  keyHoldsPrivateKey: (keyId: string) => boolean | undefined;
}

/** Builds a tenant from the `tenant` member of a request body, or throws FusionAuth's field errors. */
export function buildTenant(input: unknown, context: TenantContext): Tenant {
  const errors = new FieldErrors();
  const given = isObject(input) ? { ...input } : {};
  // The Tenant API has checked this already, kickstart or not, so that it comes before [NotModelled]
  // (routes/api/refuse-unmodelled.ts); checked again so that no caller builds a tenant FusionAuth could not parse.
  refuseUnparsableEventConfiguration(given.eventConfiguration);
  // Server-owned fields: what the caller sends for these is not theirs to set.
  for (const field of ['id', 'insertInstant', 'lastUpdateInstant', 'state'] as const) delete given[field];
  const defaults = tenantDefaults(context);
  // A configuration that is not an object cannot be checked field by field: refuse it before reading it.
  for (const field of new Set([...nonObjectMembers(defaults, given, 'tenant'), ...nonObjectMembers(TENANT_ANSWER_DEFAULTS, given, 'tenant')])) {
    errors.add(field, 'invalid', `The [${field}] property must be an object.`);
  }
  errors.throwIfAny();
  const tenant = withDefaults(defaults, given);

  if (typeof tenant.name !== 'string' || tenant.name.trim() === '') {
    errors.add('tenant.name', 'blank', 'You must specify the [tenant.name] property.');
  }
  if (tenant.issuer !== undefined && (typeof tenant.issuer !== 'string' || tenant.issuer.trim() === '')) {
    errors.add('tenant.issuer', 'blank', 'The [tenant.issuer] property must be a non-empty string.');
  }
  checkJwtConfiguration(tenant.jwtConfiguration, 'tenant.jwtConfiguration', context.keyHoldsPrivateKey, errors);
  checkEmailConfiguration(tenant.emailConfiguration, errors);
  checkPasswordValidationRules(tenant.passwordValidationRules, errors);
  checkMultiFactorConfiguration(tenant.multiFactorConfiguration, 'tenant', errors);
  checkEventConfiguration(tenant.eventConfiguration, errors);
  const codeTtl = tenant.externalIdentifierConfiguration.authorizationGrantIdTimeToLiveInSeconds;
  // FusionAuth Tenant API: authorizationGrantIdTimeToLiveInSeconds is 1 to 600.
  if (!isWholeNumberIn(codeTtl, 1, 600)) {
    errors.add(
      'tenant.externalIdentifierConfiguration.authorizationGrantIdTimeToLiveInSeconds',
      'invalid',
      'The [tenant.externalIdentifierConfiguration.authorizationGrantIdTimeToLiveInSeconds] property must be between 1 and 600.',
    );
  }
  if (!isWholeNumberIn(tenant.externalIdentifierConfiguration.oneTimePasswordTimeToLiveInSeconds, 1, Number.MAX_SAFE_INTEGER)) {
    errors.add(
      'tenant.externalIdentifierConfiguration.oneTimePasswordTimeToLiveInSeconds',
      'invalid',
      'The [tenant.externalIdentifierConfiguration.oneTimePasswordTimeToLiveInSeconds] property must be greater than 0.',
    );
  }
  if (!isWholeNumberIn(tenant.httpSessionMaxInactiveInterval, 1, Number.MAX_SAFE_INTEGER)) {
    errors.add('tenant.httpSessionMaxInactiveInterval', 'invalid', 'The [tenant.httpSessionMaxInactiveInterval] property must be greater than 0.');
  }
  errors.throwIfAny();
  refuseUnmodelledJwtSettings(tenant.jwtConfiguration, 'tenant.jwtConfiguration');
  return tenant;
}

const EXPIRATION_POLICIES: readonly string[] = ['Fixed', 'SlidingWindow', 'SlidingWindowWithMaximumLifetime'];
const USAGE_POLICIES: readonly string[] = ['Reusable', 'OneTimeUse'];

/** The checks a tenant's and an application's `jwtConfiguration` share. */
export function checkJwtConfiguration(
  config: JwtConfiguration,
  path: string,
  keyHoldsPrivateKey: (id: string) => boolean | undefined,
  errors: FieldErrors,
): void {
  for (const field of ['accessTokenKeyId', 'idTokenKeyId'] as const) {
    const keyId = config[field];
    if (keyId === undefined) continue;
    const held = typeof keyId === 'string' ? keyHoldsPrivateKey(keyId) : undefined;
    if (held === undefined) {
      errors.add(`${path}.${field}`, 'invalid', `The [${path}.${field}] property does not refer to a key that exists.`);
    } else if (!held && !isClientSecretKey(keyId)) {
      // A key imported as a public key or a certificate verifies and cannot sign (Key API, "Import a Key").
      errors.add(`${path}.${field}`, 'invalid', `The [${path}.${field}] property refers to a key without a private key, which cannot sign.`);
    }
  }
  // The built-in OpenID Connect keys sign with a client secret, which only an id token may (OpenID Connect Core §10.1).
  if (isClientSecretKey(config.accessTokenKeyId)) {
    errors.add(`${path}.accessTokenKeyId`, 'invalid', `The [${path}.accessTokenKeyId] property names a key that can sign only id tokens.`);
  }
  if (!isWholeNumberIn(config.timeToLiveInSeconds, 1, Number.MAX_SAFE_INTEGER)) {
    errors.add(`${path}.timeToLiveInSeconds`, 'invalid', `The [${path}.timeToLiveInSeconds] property must be greater than 0.`);
  }
  if (!isWholeNumberIn(config.refreshTokenTimeToLiveInMinutes, 1, Number.MAX_SAFE_INTEGER)) {
    errors.add(
      `${path}.refreshTokenTimeToLiveInMinutes`,
      'invalid',
      `The [${path}.refreshTokenTimeToLiveInMinutes] property must be greater than 0.`,
    );
  }
  if (!EXPIRATION_POLICIES.includes(config.refreshTokenExpirationPolicy)) {
    errors.add(
      `${path}.refreshTokenExpirationPolicy`,
      'invalid',
      `The [${path}.refreshTokenExpirationPolicy] property must be one of ${EXPIRATION_POLICIES.join(', ')}.`,
    );
  }
  if (!USAGE_POLICIES.includes(config.refreshTokenUsagePolicy)) {
    errors.add(
      `${path}.refreshTokenUsagePolicy`,
      'invalid',
      `The [${path}.refreshTokenUsagePolicy] property must be one of ${USAGE_POLICIES.join(', ')}.`,
    );
  }
  // FusionAuth Tenant API: gracePeriodInSeconds is 0 to 86399.
  if (!isWholeNumberIn((config as Partial<JwtConfiguration>).refreshTokenOneTimeUseConfiguration?.gracePeriodInSeconds, 0, 86399)) {
    errors.add(
      `${path}.refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds`,
      'invalid',
      `The [${path}.refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds] property must be between 0 and 86399.`,
    );
  }
  checkMaximumLifetime(config, path, errors);
}

/**
 * FusionAuth Tenant API, `refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes`: above 0, and
 * under `SlidingWindowWithMaximumLifetime` at least `refreshTokenTimeToLiveInMinutes` (the TTL is at least 1, so
 * that also covers 0 and below there). A smaller maximum would cut every new refresh token short, down to one born
 * expired. The other policies never read it, and FusionAuth answers `[tooSmall]` only under that policy.
 */
function checkMaximumLifetime(config: JwtConfiguration, path: string, errors: FieldErrors): void {
  const field = `${path}.refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes`;
  const maximum = (config as Partial<JwtConfiguration>).refreshTokenSlidingWindowConfiguration?.maximumTimeToLiveInMinutes;
  if (typeof maximum !== 'number' || !Number.isSafeInteger(maximum)) {
    errors.add(field, 'invalid', `The [${field}] property must be a whole number of minutes.`);
    return;
  }
  const ttl = config.refreshTokenTimeToLiveInMinutes;
  const least = isWholeNumberIn(ttl, 1, Number.MAX_SAFE_INTEGER) ? ttl : 1;
  if (config.refreshTokenExpirationPolicy === 'SlidingWindowWithMaximumLifetime' && maximum < least) {
    errors.add(
      field,
      'tooSmall',
      `The [${field}] property must be greater than 0 and at least [${path}.refreshTokenTimeToLiveInMinutes] under SlidingWindowWithMaximumLifetime.`,
    );
  }
}

/**
 * Refuses, with `[NotModelled]`, a one-time-use grace period that would take effect (`gracePeriodInSeconds` above 0
 * with `OneTimeUse`, on a tenant or an application whose own configuration is enabled). FusionAuth answers a reuse
 * inside the period with the family's current token (Tenant API, `gracePeriodInSeconds`); Standin keeps only hashes
 * of refresh tokens, so it cannot, and a stored period would be ignored in silence (docs/differences.md).
 */
export function refuseUnmodelledJwtSettings(config: JwtConfiguration, path: string): void {
  const grace = (config as Partial<JwtConfiguration>).refreshTokenOneTimeUseConfiguration?.gracePeriodInSeconds;
  if (!config.enabled || config.refreshTokenUsagePolicy !== 'OneTimeUse' || typeof grace !== 'number' || grace <= 0) return;
  throw ApiError.general(
    '[NotModelled]',
    `Standin does not model the one-time-use grace period: [${path}.refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds] must be 0 with the OneTimeUse policy; see docs/differences.md.`,
  );
}

export function isWholeNumberIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
