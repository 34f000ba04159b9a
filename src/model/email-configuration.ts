import type { FieldErrors } from '../errors.js';
import { isObject, isUuid, type JsonObject } from './json.js';

/**
 * A tenant's `emailConfiguration`: the SMTP server, the default sender, and which email template each
 * message uses (https://fusionauth.io/docs/apis/tenants, "emailConfiguration"). `properties` (Java Mail
 * properties) and `debug` are stored and returned; Standin's delivery does not read them (docs/email.md).
 */
export interface EmailConfiguration extends JsonObject {
  host: string;
  port: number;
  security: 'NONE' | 'SSL' | 'TLS';
  username?: string;
  password?: string;
  properties?: string;
  additionalHeaders: Array<{ name: string; value: string }>;
  debug: boolean;
  defaultFromEmail: string;
  defaultFromName: string;
  verifyEmail: boolean;
  verifyEmailWhenChanged: boolean;
  implicitEmailVerificationAllowed: boolean;
  unverified: { behavior: 'Allow' | 'Gated'; allowEmailChangeWhenGated: boolean };
  verificationStrategy: 'ClickableLink' | 'FormField';
}

/** The template-id members of a tenant's emailConfiguration (FusionAuth's names, 1.68). */
export const TENANT_TEMPLATE_FIELDS = [
  'adminTwoFactorMethodRemoveEmailTemplateId',
  'emailUpdateEmailTemplateId',
  'emailVerifiedEmailTemplateId',
  'forgotPasswordEmailTemplateId',
  'loginIdInUseOnCreateEmailTemplateId',
  'loginIdInUseOnUpdateEmailTemplateId',
  'loginNewDeviceEmailTemplateId',
  'loginSuspiciousEmailTemplateId',
  'passwordlessEmailTemplateId',
  'passwordResetSuccessEmailTemplateId',
  'passwordUpdateEmailTemplateId',
  'setPasswordEmailTemplateId',
  'twoFactorMethodAddEmailTemplateId',
  'twoFactorMethodRemoveEmailTemplateId',
  'verificationEmailTemplateId',
] as const;

/**
 * The template-id members of an application's emailConfiguration: the tenant's, except that the
 * verification template is `emailVerificationEmailTemplateId` here (FusionAuth Application API).
 */
export const APPLICATION_TEMPLATE_FIELDS = [
  'emailUpdateEmailTemplateId',
  'emailVerificationEmailTemplateId',
  'emailVerifiedEmailTemplateId',
  'forgotPasswordEmailTemplateId',
  'loginIdInUseOnCreateEmailTemplateId',
  'loginIdInUseOnUpdateEmailTemplateId',
  'loginNewDeviceEmailTemplateId',
  'loginSuspiciousEmailTemplateId',
  'passwordlessEmailTemplateId',
  'passwordResetSuccessEmailTemplateId',
  'passwordUpdateEmailTemplateId',
  'setPasswordEmailTemplateId',
  'twoFactorMethodAddEmailTemplateId',
  'twoFactorMethodRemoveEmailTemplateId',
] as const;

/**
 * The emails FusionAuth sends on its own, and where each one's template is configured: the application's
 * `emailConfiguration` first, then the tenant's (https://fusionauth.io/docs/apis/users/forgot-password:
 * "the template configured in the Application settings will be used, if present").
 */
export const TEMPLATE_KINDS = {
  emailVerification: { application: 'emailVerificationEmailTemplateId', tenant: 'verificationEmailTemplateId' },
  forgotPassword: { application: 'forgotPasswordEmailTemplateId', tenant: 'forgotPasswordEmailTemplateId' },
  passwordless: { application: 'passwordlessEmailTemplateId', tenant: 'passwordlessEmailTemplateId' },
  setPassword: { application: 'setPasswordEmailTemplateId', tenant: 'setPasswordEmailTemplateId' },
  // Registration verification is configured on the application itself (`application.verificationEmailTemplateId`).
  registrationVerification: { application: undefined, tenant: undefined },
  // The two-factor email template lives in `tenant.multiFactorConfiguration.email.templateId`.
  twoFactorCode: { application: undefined, tenant: undefined },
  emailVerified: { application: 'emailVerifiedEmailTemplateId', tenant: 'emailVerifiedEmailTemplateId' },
  passwordUpdate: { application: 'passwordUpdateEmailTemplateId', tenant: 'passwordUpdateEmailTemplateId' },
  passwordResetSuccess: { application: 'passwordResetSuccessEmailTemplateId', tenant: 'passwordResetSuccessEmailTemplateId' },
} as const satisfies Record<string, { application: string | undefined; tenant: string | undefined }>;

export type TemplateKind = keyof typeof TEMPLATE_KINDS;

/**
 * FusionAuth's defaults (https://fusionauth.io/docs/apis/tenants): localhost:25 without TLS, no email
 * verification, unverified users allowed in, verification by clicking a link.
 */
export function emailConfigurationDefaults(): EmailConfiguration {
  return {
    host: 'localhost',
    port: 25,
    security: 'NONE',
    additionalHeaders: [],
    debug: false,
    defaultFromEmail: 'change-me@example.com',
    defaultFromName: 'FusionAuth',
    verifyEmail: false,
    verifyEmailWhenChanged: false,
    implicitEmailVerificationAllowed: true,
    unverified: { behavior: 'Allow', allowEmailChangeWhenGated: false },
    verificationStrategy: 'ClickableLink',
  };
}

/**
 * Whether Standin sends through this configuration's SMTP server. FusionAuth's untouched default
 * (localhost:25, no username) means "nobody set up email": Standin then keeps the message in its outbox only,
 * rather than failing against a port nothing listens on (docs/email.md).
 */
export function smtpConfigured(config: EmailConfiguration): boolean {
  const untouched = (config.host === 'localhost' || config.host === '127.0.0.1') && config.port === 25 && !config.username;
  return typeof config.host === 'string' && config.host !== '' && !untouched;
}

/** Checks a tenant's emailConfiguration (already merged with the defaults), adding FusionAuth-style field errors. */
export function checkEmailConfiguration(config: EmailConfiguration, errors: FieldErrors): void {
  const path = 'tenant.emailConfiguration';
  if (typeof config.host !== 'string' || config.host.length > 255)
    errors.add(`${path}.host`, 'invalid', `The [${path}.host] property must be a host name.`);
  if (typeof config.port !== 'number' || !Number.isInteger(config.port) || config.port < 1 || config.port > 65535) {
    errors.add(`${path}.port`, 'invalid', `The [${path}.port] property must be between 1 and 65535.`);
  }
  oneOf(config.security, ['NONE', 'SSL', 'TLS'], `${path}.security`, errors);
  oneOf(config.verificationStrategy, ['ClickableLink', 'FormField'], `${path}.verificationStrategy`, errors);
  oneOf(isObject(config.unverified) ? config.unverified.behavior : undefined, ['Allow', 'Gated'], `${path}.unverified.behavior`, errors);
  for (const field of ['username', 'password', 'properties', 'defaultFromEmail', 'defaultFromName'] as const) {
    if (config[field] !== undefined && typeof config[field] !== 'string')
      errors.add(`${path}.${field}`, 'invalid', `The [${path}.${field}] property must be a string.`);
  }
  for (const field of ['verifyEmail', 'verifyEmailWhenChanged', 'implicitEmailVerificationAllowed', 'debug'] as const) {
    if (typeof config[field] !== 'boolean') errors.add(`${path}.${field}`, 'invalid', `The [${path}.${field}] property must be true or false.`);
  }
  const headers = config.additionalHeaders;
  if (
    !Array.isArray(headers) ||
    !headers.every((header) => isObject(header) && isHeaderName(header.name) && typeof header.value === 'string' && !/[\r\n]/.test(header.value))
  ) {
    errors.add(
      `${path}.additionalHeaders`,
      'invalid',
      `The [${path}.additionalHeaders] property must be a list of {name, value} with a valid header name and a one-line value.`,
    );
  }
  checkTemplateIds(config, TENANT_TEMPLATE_FIELDS, path, errors);
}

/** Checks an application's emailConfiguration: only template ids, each a UUID when present. */
export function checkApplicationEmailConfiguration(config: unknown, errors: FieldErrors): void {
  if (config === undefined) return;
  if (!isObject(config)) {
    errors.add('application.emailConfiguration', 'invalid', 'The [application.emailConfiguration] property must be an object.');
    return;
  }
  checkTemplateIds(config, APPLICATION_TEMPLATE_FIELDS, 'application.emailConfiguration', errors);
}

function checkTemplateIds(config: JsonObject, fields: readonly string[], path: string, errors: FieldErrors): void {
  for (const field of fields) {
    const value = config[field];
    if (value !== undefined && !isUuid(value))
      errors.add(`${path}.${field}`, 'invalid', `The [${path}.${field}] property must be the Id of an email template.`);
  }
}

function oneOf(value: unknown, allowed: readonly string[], field: string, errors: FieldErrors): void {
  if (typeof value !== 'string' || !allowed.includes(value))
    errors.add(field, 'invalid', `The [${field}] property must be one of ${allowed.join(', ')}.`);
}

function isHeaderName(name: unknown): boolean {
  // RFC 5322 §2.2: printable ASCII except the colon.
  return typeof name === 'string' && /^[\x21-\x39\x3b-\x7e]+$/.test(name);
}
