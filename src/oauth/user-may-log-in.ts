import { hasExpired } from '../model/user-expiry.js';
import type { User } from '../model/user.js';
import type { Stores } from '../store/index.js';

/**
 * Whether `user` may log in at `now`, by any path that does not check a password first: active, not past its expiry
 * (docs/login-flow.md, "An expired user"), and in no action that prevents login (docs/user-actions.md).
 */
export function userMayLogIn(stores: Stores, user: User, now: number): boolean {
  return user.active && !hasExpired(user, now) && stores.userActionLogs.preventingLogin(user.id, now).length === 0;
}
