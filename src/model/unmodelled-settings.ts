import { APPLICATION_TEMPLATE_FIELDS, TEMPLATE_KINDS, TENANT_TEMPLATE_FIELDS } from './email-configuration.js';
import { enabledEventsNeverSent } from './event-types.js';
import { isObject, type JsonObject } from './json.js';

/**
 * Tenant and application settings FusionAuth acts on and Standin only stores and answers: each path, and what a
 * value must be to turn the behaviour on. Turned on through the API they are refused with `[NotModelled]`
 * (routes/api/refuse-unmodelled.ts); from a kickstart they are stored and listed in the start banner
 * (docs/built-ins-and-defaults.md, "Settings Standin does not act on"). Names are FusionAuth's Tenant and
 * Application APIs' (https://fusionauth.io/docs/apis/tenants, https://fusionauth.io/docs/apis/applications).
 */
type TurnsOn = (value: unknown) => boolean;

const isTrue: TurnsOn = (value) => value === true;
const isNamed: TurnsOn = (value) => typeof value === 'string' && value !== '';
const isListed: TurnsOn = (value) => Array.isArray(value) && value.length > 0;

// The emails FusionAuth sends on its own that Standin never sends: a template chosen for one would never be used.
// Derived from the emails Standin sends, so that one it starts sending is no longer refused.
const sentBy = (owner: 'tenant' | 'application'): ReadonlySet<string> =>
  new Set(Object.values(TEMPLATE_KINDS).flatMap((kind) => (kind[owner] === undefined ? [] : [kind[owner]])));
const unsent = (fields: readonly string[], sent: ReadonlySet<string>) => fields.filter((field) => !sent.has(field));
const UNSENT_TENANT_EMAILS = unsent(TENANT_TEMPLATE_FIELDS, sentBy('tenant'));
const UNSENT_APPLICATION_EMAILS = unsent(APPLICATION_TEMPLATE_FIELDS, sentBy('application'));

// FusionAuth's rate limits, one switch per kind of request (Tenant API, `rateLimitConfiguration`).
const RATE_LIMITS = [
  'failedLogin',
  'forgotPassword',
  'sendEmailVerification',
  'sendPasswordless',
  'sendPasswordlessPhone',
  'sendPhoneVerification',
  'sendRegistrationVerification',
  'sendTwoFactor',
];

const TENANT_SETTINGS: ReadonlyArray<readonly [string, TurnsOn]> = [
  ['captchaConfiguration.enabled', isTrue],
  ['clientRiskConfiguration.enabled', isTrue],
  ...UNSENT_TENANT_EMAILS.map((field) => [`emailConfiguration.${field}`, isNamed] as const),
  // Without a user action FusionAuth locks no one; with one it locks the account (Standin's own lockout applies either way).
  ['failedAuthenticationConfiguration.userActionId', isNamed],
  ['maximumPasswordAge.enabled', isTrue],
  ['minimumPasswordAge.enabled', isTrue],
  ['multiFactorConfiguration.voice.enabled', isTrue],
  ['passwordValidationRules.breachDetection.enabled', isTrue],
  ['passwordValidationRules.disallowUserLoginId', isTrue],
  ['passwordValidationRules.validateOnLogin', isTrue],
  ['phoneConfiguration.verifyPhoneNumber', isTrue],
  ...RATE_LIMITS.map((kind) => [`rateLimitConfiguration.${kind}.enabled`, isTrue] as const),
  ['registrationConfiguration.blockedDomains', isListed],
  ['scimServerConfiguration.enabled', isTrue],
  ['ssoConfiguration.allowAccessTokenBootstrap', isTrue],
  ['userDeletePolicy.unverified.enabled', isTrue],
  ['usernameConfiguration.unique.enabled', isTrue],
  // The tenant's `webAuthnConfiguration` is modelled: the WebAuthn API serves passkeys only where it is on
  // (docs/webauthn.md). An application's turns on the hosted pages' passkey buttons, which Standin does not draw.
];

const APPLICATION_SETTINGS: ReadonlyArray<readonly [string, TurnsOn]> = [
  ['authenticationTokenConfiguration.enabled', isTrue],
  ['cleanSpeakConfiguration.usernameModeration.enabled', isTrue],
  ...UNSENT_APPLICATION_EMAILS.map((field) => [`emailConfiguration.${field}`, isNamed] as const),
  ['registrationDeletePolicy.unverified.enabled', isTrue],
  ['samlv2Configuration.enabled', isTrue],
  ['webAuthnConfiguration.enabled', isTrue],
];

const SETTINGS = { tenant: TENANT_SETTINGS, application: APPLICATION_SETTINGS };

/** The value at a dotted `path` inside `object`, through objects only. */
function valueAt(object: JsonObject, path: string): unknown {
  let value: unknown = object;
  for (const member of path.split('.')) {
    if (!isObject(value)) return undefined;
    value = value[member];
  }
  return value;
}

/**
 * The event types a tenant enables that Standin never sends (docs/webhooks.md, "Not sent yet, and why"): no
 * webhook would ever hear them, and their transaction type would decide nothing.
 */
function eventsNeverSent(tenant: JsonObject): string[] {
  const configuration = tenant.eventConfiguration;
  const events = isObject(configuration) && isObject(configuration.events) ? configuration.events : {};
  const enabled = Object.fromEntries(Object.entries(events).map(([type, setting]) => [type, isObject(setting) && setting.enabled === true]));
  return enabledEventsNeverSent(enabled).map((type) => `eventConfiguration.events[${type}].enabled`);
}

/**
 * What a tenant's family configuration asks of self-service registration that Standin's does not do: refuse or hold
 * children, ask for a parent's email, email the parent or confirm the child, delete orphaned accounts. Each is read
 * on its own, whether the configuration is on or not, so that a PATCH that sets one on a tenant already on is seen.
 * `familyConfiguration.enabled` alone turns on the Family API's family request email, which Standin sends
 * (docs/consents-and-families.md).
 */
function familyRegistrationSettings(tenant: JsonObject): string[] {
  const family = tenant.familyConfiguration;
  if (!isObject(family)) return [];
  const asked: ReadonlyArray<readonly [string, boolean]> = [
    ['allowChildRegistrations', family.allowChildRegistrations === false],
    ['confirmChildEmailTemplateId', isNamed(family.confirmChildEmailTemplateId)],
    ['deleteOrphanedAccounts', family.deleteOrphanedAccounts === true],
    ['parentEmailRequired', family.parentEmailRequired === true],
    ['parentRegistrationEmailTemplateId', isNamed(family.parentRegistrationEmailTemplateId)],
  ];
  return asked.filter(([, on]) => on).map(([field]) => `familyConfiguration.${field}`);
}

/** The settings `object` (a tenant or an application) turns on that Standin does not act on, as `tenant.…` paths. */
export function unmodelledSettings(owner: 'tenant' | 'application', object: JsonObject): string[] {
  const paths = SETTINGS[owner].filter(([path, turnsOn]) => turnsOn(valueAt(object, path))).map(([path]) => path);
  if (owner === 'tenant') paths.push(...familyRegistrationSettings(object), ...eventsNeverSent(object));
  return paths.map((path) => `${owner}.${path}`);
}
