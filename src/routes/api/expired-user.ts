import { ApiError } from '../../errors.js';
import type { User } from '../../model/user.js';
import { hasExpired } from '../../model/user-expiry.js';
import type { Standin } from '../../standin.js';

/**
 * The Login API's answer to an expired user (https://fusionauth.io/docs/apis/login): an empty 410. Checked once the
 * credentials are right, so a wrong password is still the empty 404, and before the second factor and a required
 * password change, which an expired user never gets to (docs/login-flow.md, "An expired user").
 */
export function refuseExpiredUser(standin: Standin, user: User): void {
  if (hasExpired(user, standin.config.now())) throw new ApiError(410);
}
