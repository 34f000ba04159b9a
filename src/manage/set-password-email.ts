import { sendTemplatedEmail } from '../email/send-templated-email.js';
import { ApiError } from '../errors.js';
import type { Application } from '../model/application.js';
import { isObject, shownValue } from '../model/json.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { startChangePassword } from './change-password.js';
import { unsentEmailError } from './forgot-password.js';

// FusionAuth's SendSetPasswordIdentityType enum (https://fusionauth.io/docs/apis/users/create).
const IDENTITY_TYPES: readonly unknown[] = ['email', 'phone', 'doNotSend'];

/**
 * Whether a create request asks FusionAuth to email the new user a link to choose their own password
 * (`sendSetPasswordEmail: true`, or its successor `sendSetPasswordIdentityType: "email"`; User API and the
 * combined Registration API create: https://fusionauth.io/docs/apis/users/create). A
 * `sendSetPasswordIdentityType` outside FusionAuth's enum fails to parse there, before any field is checked
 * (`[invalidJSON]`); `phone` asks for a text message, which Standin cannot send (it stores messengers, never sends through one), so it is
 * refused with `[NotModelled]` rather than creating a user who was never told how to set a password.
 */
export function asksSetPasswordEmail(body: unknown): boolean {
  if (!isObject(body)) return false;
  const identityType = body.sendSetPasswordIdentityType;
  if (identityType !== undefined && identityType !== null && !IDENTITY_TYPES.includes(identityType)) {
    throw ApiError.general(
      '[invalidJSON]',
      `Unable to parse JSON. The [sendSetPasswordIdentityType] property must be one of email, phone or doNotSend, not [${shownValue(identityType)}].`,
    );
  }
  if (identityType === 'phone') {
    throw ApiError.general(
      '[NotModelled]',
      'Standin does not model text messages: [sendSetPasswordIdentityType] [phone] would send none; use [email]. See docs/forgot-password-and-passwordless.md.',
    );
  }
  return body.sendSetPasswordEmail === true || identityType === 'email';
}

/**
 * Emails a new user the tenant's (or the application's) set-password email: a changePasswordId that lives for the
 * tenant's `setupPasswordIdTimeToLiveInSeconds`, opened at `/password/change/{changePasswordId}`, where choosing the
 * password also verifies the email (manage/change-password.ts). Called inside the create's transaction, so a
 * template that fails to render leaves no user behind.
 */
export function emailSetPassword(standin: Standin, user: User, application: Application | undefined): void {
  const tenant = standin.stores.tenants.get(user.tenantId)!;
  const changePasswordId = startChangePassword(standin, user, undefined, undefined, 'setup');
  const sent = sendTemplatedEmail(standin, {
    tenant,
    user,
    ...(application ? { application } : {}),
    templateKind: 'setPassword',
    variables: { changePasswordId },
  });
  if (!sent.ok) throw unsentEmailError(sent);
}
