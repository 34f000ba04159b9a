import type { FieldErrors } from '../errors.js';
import type { Application } from './application.js';
import { isObject, isUuid } from './json.js';
import type { Tenant } from './tenant.js';

/**
 * FusionAuth's `multiFactorConfiguration` (Tenant and Application APIs): which methods a tenant offers, and when a
 * login asks for a second factor (https://fusionauth.io/docs/lifecycle/authenticate-users/multi-factor-authentication).
 * Standin acts on the authenticator, email and SMS methods, `loginPolicy` and the application's `trustPolicy` (docs/two-factor.md).
 */
export type LoginPolicy = 'Enabled' | 'Disabled' | 'Required';
export type TrustPolicy = 'Any' | 'This' | 'None';

// The risk-based values are FusionAuth Enterprise features Standin does not model: refused, not ignored.
const LOGIN_POLICIES: readonly string[] = ['Enabled', 'Disabled', 'Required'];
const TRUST_POLICIES: readonly string[] = ['Any', 'This', 'None'];

/** Field errors for a tenant's or application's `multiFactorConfiguration` (`path` is `tenant` or `application`). */
export function checkMultiFactorConfiguration(config: unknown, path: string, errors: FieldErrors): void {
  if (config === undefined) return;
  const field = `${path}.multiFactorConfiguration`;
  if (!isObject(config)) {
    errors.add(field, 'invalid', `The [${field}] property must be an object.`);
    return;
  }
  if (config.loginPolicy !== undefined && !LOGIN_POLICIES.includes(config.loginPolicy as string)) {
    errors.add(`${field}.loginPolicy`, 'invalid', `The [${field}.loginPolicy] property must be one of ${LOGIN_POLICIES.join(', ')}.`);
  }
  // The email method's template: an email template id, as every template id (docs/email.md).
  const templateId = isObject(config.email) ? config.email.templateId : undefined;
  if (templateId !== undefined && templateId !== null && !isUuid(templateId)) {
    errors.add(`${field}.email.templateId`, 'invalid', `The [${field}.email.templateId] property must be an email template id (a UUID).`);
  }
  // The SMS method's template (a message template) and, on a tenant that turns the method on, its messenger: codes are
  // texted through it (docs/messengers.md).
  const sms = isObject(config.sms) ? config.sms : undefined;
  if (sms?.templateId !== undefined && sms.templateId !== null && !isUuid(sms.templateId)) {
    errors.add(`${field}.sms.templateId`, 'invalid', `The [${field}.sms.templateId] property must be a message template id (a UUID).`);
  }
  if (path === 'tenant' && sms?.enabled === true) {
    if (sms.messengerId === undefined || sms.messengerId === null || sms.messengerId === '')
      errors.add(`${field}.sms.messengerId`, 'blank', `You must specify the [${field}.sms.messengerId] property to enable the [sms] method.`);
    else if (!isUuid(sms.messengerId))
      errors.add(`${field}.sms.messengerId`, 'invalid', `The [${field}.sms.messengerId] property must be a messenger id (a UUID).`);
  }
  if (path === 'application' && config.trustPolicy !== undefined && !TRUST_POLICIES.includes(config.trustPolicy as string)) {
    errors.add(`${field}.trustPolicy`, 'invalid', `The [${field}.trustPolicy] property must be one of ${TRUST_POLICIES.join(', ')}.`);
  }
}

/** Whether the tenant offers the authenticator (TOTP) method: on unless turned off, as FusionAuth's default. */
export function authenticatorEnabled(tenant: Tenant): boolean {
  const config = tenant.multiFactorConfiguration;
  return !(isObject(config) && isObject(config.authenticator) && config.authenticator.enabled === false);
}

/**
 * Whether the tenant offers the email method: off unless turned on, as FusionAuth's default
 * (`multiFactorConfiguration.email.enabled`, https://fusionauth.io/docs/apis/tenants).
 */
export function emailMethodEnabled(tenant: Tenant): boolean {
  const config = tenant.multiFactorConfiguration;
  return isObject(config) && isObject(config.email) && config.email.enabled === true;
}

/**
 * Whether the tenant offers the SMS method: off unless turned on (`multiFactorConfiguration.sms.enabled`,
 * https://fusionauth.io/docs/apis/tenants); its codes go through `multiFactorConfiguration.sms.messengerId`.
 */
export function smsMethodEnabled(tenant: Tenant): boolean {
  const config = tenant.multiFactorConfiguration;
  return isObject(config) && isObject(config.sms) && config.sms.enabled === true;
}

/** Whether the tenant offers a kind of method (`authenticator`, `email` or `sms`; voice Standin does not model). */
export function methodKindEnabled(tenant: Tenant, kind: string): boolean {
  if (kind === 'authenticator') return authenticatorEnabled(tenant);
  if (kind === 'email') return emailMethodEnabled(tenant);
  if (kind === 'sms') return smsMethodEnabled(tenant);
  return false;
}

/** The kinds of method the tenant offers, as a 242's `configurableMethods` lists them. */
export function enabledMethodKinds(tenant: Tenant): string[] {
  return ['authenticator', 'email', 'sms'].filter((kind) => methodKindEnabled(tenant, kind));
}

/** The login policy in force: the application's when it sets one, else the tenant's, else `Enabled`. */
export function loginPolicyOf(tenant: Tenant, application: Application | undefined): LoginPolicy {
  const own = application?.multiFactorConfiguration;
  if (isObject(own) && typeof own.loginPolicy === 'string' && LOGIN_POLICIES.includes(own.loginPolicy)) return own.loginPolicy as LoginPolicy;
  const config = tenant.multiFactorConfiguration;
  if (isObject(config) && typeof config.loginPolicy === 'string' && LOGIN_POLICIES.includes(config.loginPolicy))
    return config.loginPolicy as LoginPolicy;
  return 'Enabled';
}

/** Which trusted devices skip the step: `Any` (the default), `This` application's only, or `None`. */
export function trustPolicyOf(application: Application | undefined): TrustPolicy {
  const own = application?.multiFactorConfiguration;
  return isObject(own) && typeof own.trustPolicy === 'string' && TRUST_POLICIES.includes(own.trustPolicy) ? (own.trustPolicy as TrustPolicy) : 'Any';
}

const DAY = 86_400;

/** How long a twoFactorId lives: `twoFactorIdTimeToLiveInSeconds`, FusionAuth's default 5 minutes (Login API). */
export function twoFactorIdSeconds(tenant: Tenant): number {
  return positiveSeconds(tenant.externalIdentifierConfiguration, 'twoFactorIdTimeToLiveInSeconds') ?? 300;
}

/**
 * How long an emailed or texted two-factor code lives: `twoFactorOneTimeCodeIdTimeToLiveInSeconds`, FusionAuth's default 60
 * (Tenant API).
 */
export function oneTimeCodeSeconds(tenant: Tenant): number {
  return positiveSeconds(tenant.externalIdentifierConfiguration, 'twoFactorOneTimeCodeIdTimeToLiveInSeconds') ?? 60;
}

/** How long a trusted device stays trusted: the application's, else the tenant's `twoFactorTrustIdTimeToLiveInSeconds`, else 30 days. */
export function trustSeconds(tenant: Tenant, application: Application | undefined): number {
  return (
    positiveSeconds(application?.externalIdentifierConfiguration, 'twoFactorTrustIdTimeToLiveInSeconds') ??
    positiveSeconds(tenant.externalIdentifierConfiguration, 'twoFactorTrustIdTimeToLiveInSeconds') ??
    30 * DAY
  );
}

/** How long a trust token lives: the tenant's `trustTokenTimeToLiveInSeconds`, FusionAuth's default 180 (Tenant API). */
export function trustTokenSeconds(tenant: Tenant): number {
  return positiveSeconds(tenant.externalIdentifierConfiguration, 'trustTokenTimeToLiveInSeconds') ?? 180;
}

function positiveSeconds(config: unknown, field: string): number | undefined {
  const value = isObject(config) ? config[field] : undefined;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
