import { sendTemplatedEmail } from '../email/send-templated-email.js';
import type { Application } from '../model/application.js';
import { isObject } from '../model/json.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { startChangePassword } from './change-password.js';
import { unsentEmailError } from './forgot-password.js';

/**
 * Whether a create request asks FusionAuth to email the new user a link to choose their own password
 * (`sendSetPasswordEmail: true`, or its successor `sendSetPasswordIdentityType: "email"`; User API and the
 * combined Registration API create: https://fusionauth.io/docs/apis/users/create).
 */
export function asksSetPasswordEmail(body: unknown): boolean {
  return isObject(body) && (body.sendSetPasswordEmail === true || body.sendSetPasswordIdentityType === 'email');
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
