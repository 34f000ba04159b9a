import { LoginPreventedError } from '../../errors.js';
import type { User } from '../../model/user.js';
import { loginPreventedSummary } from '../../model/user-action-log.js';
import type { Standin } from '../../standin.js';

/**
 * The Login API's answer to a user in an action that prevents login (https://fusionauth.io/docs/apis/login): 409
 * with `{actions: [...]}`, one summary per such action. Checked where the expiry is (routes/api/expired-user.ts):
 * once the credentials are right, before the second factor and a required password change (docs/user-actions.md).
 */
export function refusePreventedLogin(standin: Standin, user: User): void {
  const actions = standin.stores.userActionLogs.preventingLogin(user.id, standin.config.now());
  if (actions.length > 0) throw new LoginPreventedError(actions.map(loginPreventedSummary));
}
