import { randomBytes, randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { APPLICATION_ANSWER_DEFAULTS } from './application-defaults.js';
import { checkApplicationEmailConfiguration } from './email-configuration.js';
import { isObject, nonObjectMembers, withDefaults, type JsonObject } from './json.js';
import { buildApplicationScopes, type ApplicationOAuthScope } from './oauth-scope.js';
import { unsafeRedirectUrl } from './redirect-url-safety.js';
import { wildcardProblem, wildcardSample } from './wildcard-url.js';
import { checkScopePolicy, scopePolicyDefaults, type ScopePolicy } from './scope-policy.js';
import { checkJwtConfiguration, jwtConfigurationDefaults, refuseUnmodelledJwtSettings, type JwtConfiguration } from './tenant.js';
import { checkMultiFactorConfiguration } from './multi-factor-configuration.js';

export const GRANT_TYPES = [
  'authorization_code',
  'client_credentials',
  'implicit',
  'password',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export type ClientAuthenticationPolicy = 'Required' | 'NotRequired' | 'NotRequiredWhenUsingPKCE';
export type PkcePolicy = 'Required' | 'NotRequired' | 'NotRequiredWhenUsingClientAuthentication';

export interface ApplicationRole extends JsonObject {
  id: string;
  name: string;
  description?: string;
  isDefault: boolean;
  isSuperRole: boolean;
}

export interface OAuthConfiguration extends JsonObject, ScopePolicy {
  clientId: string;
  clientSecret: string;
  authorizedRedirectURLs: string[];
  authorizedOriginURLs: string[];
  authorizedURLValidationPolicy: 'ExactMatch' | 'AllowWildcards';
  clientAuthenticationPolicy: ClientAuthenticationPolicy;
  proofKeyForCodeExchangePolicy: PkcePolicy;
  enabledGrants: GrantType[];
  generateRefreshTokens: boolean;
  requireRegistration: boolean;
  logoutURL?: string;
  logoutBehavior: 'AllApplications' | 'RedirectOnly';
  debug: boolean;
}

export interface Application extends JsonObject {
  id: string;
  tenantId: string;
  name: string;
  active: boolean;
  state: 'Active' | 'Inactive';
  roles: ApplicationRole[];
  /** Custom OAuth scopes, managed through `/api/application/{id}/scope` (model/oauth-scope.ts). */
  scopes: ApplicationOAuthScope[];
  oauthConfiguration: OAuthConfiguration;
  /** Overrides the tenant's only when `enabled` (FusionAuth Application API). */
  jwtConfiguration: JwtConfiguration;
  loginConfiguration: { allowTokenRefresh: boolean; generateRefreshTokens: boolean; requireAuthentication: boolean };
  registrationConfiguration: { enabled: boolean } & JsonObject;
  verifyRegistration: boolean;
  data: JsonObject;
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface ApplicationContext {
  id: string;
  tenantId: string;
  now: number;
  existing?: Application;
  /** Whether the key holds a private part (store/keys.ts `holdsPrivateKey`); undefined when there is no such key. */
  keyHoldsPrivateKey: (keyId: string) => boolean | undefined;
}

/** A client secret as FusionAuth generates one: 32 random bytes, base64url. */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

function applicationDefaults(context: ApplicationContext): Application {
  return {
    id: context.id,
    tenantId: context.tenantId,
    name: '',
    active: true,
    state: 'Active',
    roles: [],
    scopes: [],
    oauthConfiguration: {
      clientId: context.id,
      clientSecret: context.existing?.oauthConfiguration.clientSecret ?? generateClientSecret(),
      authorizedRedirectURLs: [],
      authorizedOriginURLs: [],
      authorizedURLValidationPolicy: 'ExactMatch',
      clientAuthenticationPolicy: 'Required',
      proofKeyForCodeExchangePolicy: 'NotRequired',
      enabledGrants: [],
      generateRefreshTokens: false,
      requireRegistration: false,
      logoutBehavior: 'AllApplications',
      ...scopePolicyDefaults(),
      debug: false,
    },
    jwtConfiguration: { ...jwtConfigurationDefaults(), enabled: false },
    loginConfiguration: { allowTokenRefresh: false, generateRefreshTokens: false, requireAuthentication: true },
    registrationConfiguration: { enabled: false },
    emailConfiguration: {},
    verifyRegistration: false,
    data: {},
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}

/** Builds an application from the `application` member of a request body, or throws FusionAuth's field errors. */
export function buildApplication(input: unknown, context: ApplicationContext): Application {
  const errors = new FieldErrors();
  const given = isObject(input) ? { ...input } : {};
  // Server-owned fields: what the caller sends for these is not theirs to set.
  for (const field of ['id', 'tenantId', 'insertInstant', 'lastUpdateInstant', 'state'] as const) delete given[field];
  const defaults = applicationDefaults(context);
  // A configuration that is not an object cannot be checked field by field: refuse it before reading it.
  for (const field of new Set([
    ...nonObjectMembers(defaults, given, 'application'),
    ...nonObjectMembers(APPLICATION_ANSWER_DEFAULTS, given, 'application'),
  ])) {
    errors.add(field, 'invalid', `The [${field}] property must be an object.`);
  }
  errors.throwIfAny();
  const application = withDefaults(defaults, given);
  const oauth = application.oauthConfiguration;
  oauth.clientId = context.id;
  application.state = !application.active ? 'Inactive' : 'Active';

  if (typeof application.name !== 'string' || application.name.trim() === '') {
    errors.add('application.name', 'blank', 'You must specify the [application.name] property.');
  }
  if (typeof oauth.clientSecret !== 'string' || oauth.clientSecret === '') oauth.clientSecret = generateClientSecret();
  // Under AllowWildcards a redirect URL's wildcards must be where FusionAuth allows them; the URL's other checks
  // then run on it with each wildcard replaced by a sample value (model/wildcard-url.ts).
  const wildcards = oauth.authorizedURLValidationPolicy === 'AllowWildcards';
  const redirectURLs = Array.isArray(oauth.authorizedRedirectURLs) ? oauth.authorizedRedirectURLs : [];
  if (wildcards) {
    for (const url of redirectURLs) {
      const problem = typeof url === 'string' ? wildcardProblem(url) : undefined;
      if (problem !== undefined)
        errors.add(
          'application.oauthConfiguration.authorizedRedirectURLs',
          'invalid',
          `The [application.oauthConfiguration.authorizedRedirectURLs] property value [${url}] ${problem}.`,
        );
    }
  }
  const checked = (url: unknown) => (wildcards && typeof url === 'string' ? wildcardSample(url) : url);
  for (const field of ['authorizedRedirectURLs', 'authorizedOriginURLs'] as const) {
    const urls = oauth[field];
    if (!Array.isArray(urls) || !urls.every((url) => isAbsoluteUrl(field === 'authorizedRedirectURLs' ? checked(url) : url))) {
      errors.add(
        `application.oauthConfiguration.${field}`,
        'invalid',
        `The [application.oauthConfiguration.${field}] property must be a list of absolute URLs.`,
      );
    }
  }
  // Where a browser is sent after a login or logout: never somewhere it would run script (RFC 9700 §4.1).
  for (const url of redirectURLs) refuseUnsafeTarget('authorizedRedirectURLs', checked(url), errors);
  if (oauth.logoutURL !== undefined) refuseUnsafeTarget('logoutURL', oauth.logoutURL, errors);
  if (oauth.logoutURL !== undefined && !isAbsoluteUrl(oauth.logoutURL)) {
    errors.add(
      'application.oauthConfiguration.logoutURL',
      'invalid',
      'The [application.oauthConfiguration.logoutURL] property must be an absolute URL.',
    );
  }
  // Where a device sends its user (RFC 8628 §3.2 `verification_uri`): shown to people, so a URL a browser can open.
  if (oauth.deviceVerificationURL !== undefined && oauth.deviceVerificationURL !== null && !isHttpUrl(oauth.deviceVerificationURL)) {
    errors.add(
      'application.oauthConfiguration.deviceVerificationURL',
      'invalid',
      'The [application.oauthConfiguration.deviceVerificationURL] property must be an absolute http or https URL.',
    );
  }
  if (!Array.isArray(oauth.enabledGrants) || !oauth.enabledGrants.every((grant) => (GRANT_TYPES as readonly unknown[]).includes(grant))) {
    errors.add(
      'application.oauthConfiguration.enabledGrants',
      'invalid',
      `The [application.oauthConfiguration.enabledGrants] property may contain only ${GRANT_TYPES.join(', ')}.`,
    );
  }
  checkOneOf(
    oauth.clientAuthenticationPolicy,
    ['Required', 'NotRequired', 'NotRequiredWhenUsingPKCE'],
    'application.oauthConfiguration.clientAuthenticationPolicy',
    errors,
  );
  checkOneOf(
    oauth.proofKeyForCodeExchangePolicy,
    ['Required', 'NotRequired', 'NotRequiredWhenUsingClientAuthentication'],
    'application.oauthConfiguration.proofKeyForCodeExchangePolicy',
    errors,
  );
  checkScopePolicy(oauth, errors);
  checkOneOf(
    oauth.authorizedURLValidationPolicy,
    ['ExactMatch', 'AllowWildcards'],
    'application.oauthConfiguration.authorizedURLValidationPolicy',
    errors,
  );
  application.roles = buildRoles(application.roles, context.existing?.roles ?? [], errors);
  // Scopes are created with the application and afterwards only through their own API (FusionAuth keeps them on update).
  application.scopes = context.existing ? applicationScopes(context.existing) : buildApplicationScopes(given.scopes, context.id, context.now, errors);
  checkJwtConfiguration(application.jwtConfiguration, 'application.jwtConfiguration', context.keyHoldsPrivateKey, errors);
  checkApplicationEmailConfiguration(application.emailConfiguration, errors);
  checkMultiFactorConfiguration(application.multiFactorConfiguration, 'application', errors);
  errors.throwIfAny();
  refuseUnmodelledJwtSettings(application.jwtConfiguration, 'application.jwtConfiguration');
  return application;
}

/** The roles of an application; a role given without an id keeps the id of the existing role of its name. */
function buildRoles(input: unknown, existing: ApplicationRole[], errors: FieldErrors): ApplicationRole[] {
  if (!Array.isArray(input)) {
    errors.add('application.roles', 'invalid', 'The [application.roles] property must be a list of roles.');
    return [];
  }
  const names = new Set<string>();
  return input.map((given, index) => {
    // FusionAuth's get-started kickstart sends roles as plain names (`"roles": ["admin", "user"]`), which
    // FusionAuth reads as roles of those names; see docs/management-api.md.
    const role = typeof given === 'string' ? { name: given } : isObject(given) ? given : {};
    const name = role.name;
    if (typeof name !== 'string' || name.trim() === '') {
      errors.add(`application.roles[${index}].name`, 'blank', `You must specify the [application.roles[${index}].name] property.`);
    } else if (names.has(name)) {
      errors.add(`application.roles[${index}].name`, 'duplicate', `The role [${name}] is defined more than once.`);
    } else {
      names.add(name);
    }
    return {
      ...role,
      id: typeof role.id === 'string' ? role.id : (existing.find((current) => current.name === name)?.id ?? randomUUID()),
      name: typeof name === 'string' ? name : '',
      isDefault: role.isDefault === true,
      isSuperRole: role.isSuperRole === true,
    };
  });
}

function checkOneOf(value: unknown, allowed: readonly string[], field: string, errors: FieldErrors): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    errors.add(field, 'invalid', `The [${field}] property must be one of ${allowed.join(', ')}.`);
  }
}

/** A URL that parses but can never be a safe browser target is a field error of its own (the others have theirs). */
function refuseUnsafeTarget(field: 'authorizedRedirectURLs' | 'logoutURL', url: unknown, errors: FieldErrors): void {
  const reason = isAbsoluteUrl(url) ? unsafeRedirectUrl(url) : undefined;
  if (reason !== undefined)
    errors.add(
      `application.oauthConfiguration.${field}`,
      'invalid',
      `The [application.oauthConfiguration.${field}] property value [${String(url)}] ${reason}.`,
    );
}

function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** The application's custom scopes; one stored before custom scopes existed has no `scopes` member. */
export function applicationScopes(application: Application): ApplicationOAuthScope[] {
  return (application as Partial<Application>).scopes ?? [];
}

function isHttpUrl(value: unknown): boolean {
  return isAbsoluteUrl(value) && /^https?:$/.test(new URL(value as string).protocol);
}
