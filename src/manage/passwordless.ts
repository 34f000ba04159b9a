import { randomBytes } from 'node:crypto';
import { ApiError, FieldErrors } from '../errors.js';
import { sendTemplatedEmail } from '../email/send-templated-email.js';
import type { Application } from '../model/application.js';
import { isObject, type JsonObject } from '../model/json.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import type { PasswordlessGrant } from '../store/passwordless-codes.js';

/** FusionAuth's default passwordless code lifetime (tenant `externalIdentifierConfiguration`). */
const DEFAULT_TTL_SECONDS = 180;

/** Whether the application turned magic links on (`passwordlessConfiguration.enabled`). */
export function passwordlessEnabled(application: Application): boolean {
  return isObject(application.passwordlessConfiguration) && application.passwordlessConfiguration.enabled === true;
}

/**
 * Starts a passwordless login (https://fusionauth.io/docs/apis/passwordless): a random code, kept hashed, for
 * the tenant's `passwordlessLoginTimeToLiveInSeconds` on Standin's clock (default 180), and the only live code
 * of this user for this application.
 */
export function startPasswordless(standin: Standin, user: User, application: Application, state: JsonObject | undefined): string {
  const { stores } = standin;
  const tenant = stores.tenants.get(user.tenantId);
  const ttl = tenant?.externalIdentifierConfiguration.passwordlessLoginTimeToLiveInSeconds;
  const seconds = typeof ttl === 'number' && ttl > 0 ? ttl : DEFAULT_TTL_SECONDS;
  const code = randomBytes(32).toString('base64url');
  const now = standin.config.now();
  stores.passwordlessCodes.purgeExpired(now);
  stores.passwordlessCodes.replace(code, user.id, application.id, now + seconds * 1000, state);
  return code;
}

/**
 * Emails a started code (the passwordless template: the application's, else the tenant's, else Standin's),
 * with the start request's `state` as a template variable. An unknown or expired code is a `[invalid]code`
 * field error; a user with no email address, a 422 as on the Forgot Password API.
 */
export function sendPasswordless(standin: Standin, code: string): void {
  const { stores } = standin;
  const grant = stores.passwordlessCodes.find(code, standin.config.now());
  const user = grant ? stores.users.get(grant.userId) : undefined;
  const application = grant ? stores.applications.get(grant.applicationId) : undefined;
  const tenant = user ? stores.tenants.get(user.tenantId) : undefined;
  if (!grant || !user || !application || !tenant) {
    new FieldErrors().add('code', 'invalid', 'The [code] is invalid or has expired.').throwIfAny();
    return;
  }
  const sent = sendTemplatedEmail(standin, {
    tenant,
    user,
    application,
    templateKind: 'passwordless',
    variables: { code, ...(grant.state ? { state: grant.state } : {}) },
  });
  if (!sent.ok) {
    if (sent.reason === 'noAddress') throw ApiError.general('[MissingEmail]', 'You must have an email address to utilize passwordless login.', 422);
    throw ApiError.general(sent.reason === 'render' ? '[InvalidTemplate]' : '[FeatureDisabled]', sent.message, sent.reason === 'render' ? 500 : 403);
  }
}

/** Takes a live code for its login: once only, and only while its user is active. */
export function takePasswordless(standin: Standin, code: string): { grant: PasswordlessGrant; user: User; application: Application } | undefined {
  const { stores } = standin;
  const grant = stores.passwordlessCodes.take(code, standin.config.now());
  const user = grant ? stores.users.get(grant.userId) : undefined;
  const application = grant ? stores.applications.get(grant.applicationId) : undefined;
  if (!grant || !user?.active || !application?.active) return undefined;
  return { grant, user, application };
}
