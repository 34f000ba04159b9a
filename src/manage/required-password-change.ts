import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { startChangePassword } from './change-password.js';

/**
 * Why a login asks for a new password. FusionAuth has four reasons (its `ChangePasswordReason`); Standin gives only
 * `Administrative`, set through `user.passwordChangeRequired`: the other three come from tenant settings it does
 * not act on (`maximumPasswordAge`, `passwordValidationRules.validateOnLogin`, breach detection), which the API
 * refuses (docs/built-ins-and-defaults.md).
 */
export const CHANGE_PASSWORD_REASON = 'Administrative';

/**
 * FusionAuth's forced password change (User API, `passwordChangeRequired`): a login that has authenticated such a
 * user, second factor included, ends with a changePasswordId instead of tokens (the Login API's 203, the password
 * grant's `change_password_required`, the hosted change page). Undefined when the user need not change it. Call it
 * only once every other factor has passed: the id is marked as made at a login, and the hosted change page, which
 * ends that login, does not ask for the second factor again (docs/login-flow.md, "A required password change").
 */
export function requiredPasswordChange(standin: Standin, user: User): string | undefined {
  if (!user.passwordChangeRequired) return undefined;
  return startChangePassword(standin, user, undefined, undefined, 'requiredAtLogin');
}
