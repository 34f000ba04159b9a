import { FieldErrors } from '../errors.js';
import type { User } from '../model/user.js';
import type { Stores } from '../store/index.js';
import { methodName, withMethods } from './two-factor.js';

/**
 * FusionAuth 1.68's Update Multi-Factor Method (https://fusionauth.io/docs/apis/two-factor/update-multi-factor-method):
 * sets the display name of one of the user's methods, or clears it when `name` is omitted; nothing else of the
 * method changes. `[blank]methodId` and `[invalid]methodId` as the disable answers them (docs/two-factor.md).
 */
export function renameTwoFactorMethod(stores: Stores, user: User, request: { methodId?: unknown; name?: unknown }, now: number): void {
  const errors = new FieldErrors();
  const { methodId } = request;
  if (typeof methodId !== 'string' || methodId === '') errors.add('methodId', 'blank', 'You must specify the [methodId] property.');
  else if (!stores.twoFactor.methods(user.id).some((method) => method.id === methodId))
    errors.add('methodId', 'invalid', `The [methodId] property value [${methodId}] is not a method of this user.`);
  const name = methodName(request.name, errors);
  errors.throwIfAny();
  stores.db
    .transaction(() => {
      stores.twoFactor.renameMethod(user.id, methodId as string, name);
      // The user's `twoFactor.methods`, as every User API answer shows them, carry the new name.
      stores.users.update(withMethods(stores, user, now));
    })
    .immediate();
}
