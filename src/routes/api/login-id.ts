import { FieldErrors } from '../../errors.js';
import { shownValue } from '../../model/json.js';
import type { User } from '../../model/user.js';
import type { Stores } from '../../store/index.js';

// FusionAuth's login id types (Users API, "Retrieve a User by login Id and login Id types"). Standin's users
// have no phone identities, so `phoneNumber` matches no one.
const LOGIN_ID_TYPES = ['email', 'username', 'phoneNumber'];

/**
 * The user of `tenantId` a login id names, among the identity types `loginIdTypes` lists (FusionAuth's
 * `loginIdTypes`, since 1.59: an array, or one value; absent means email, then username). A type FusionAuth
 * does not know is a `[invalid]loginIdTypes` field error.
 */
export function userByLoginId(stores: Stores, tenantId: string, loginId: string, loginIdTypes: unknown): User | undefined {
  const types = loginIdTypes === undefined || loginIdTypes === null ? ['email', 'username'] : ([] as unknown[]).concat(loginIdTypes);
  const unknown = types.find((type) => typeof type !== 'string' || !LOGIN_ID_TYPES.includes(type));
  if (unknown !== undefined) {
    new FieldErrors()
      .add('loginIdTypes', 'invalid', `The [loginIdTypes] value [${shownValue(unknown)}] is not one of ${LOGIN_ID_TYPES.join(', ')}.`)
      .throwIfAny();
  }
  return (
    (types.includes('email') ? stores.users.byEmail(tenantId, loginId) : undefined) ??
    (types.includes('username') ? stores.users.byUsername(tenantId, loginId) : undefined)
  );
}
