import type { Stores } from '../store/index.js';
import type { User } from '../model/user.js';

/**
 * Records a login: `user.lastLoginInstant` and, when the user is registered to the application, the
 * registration's `lastLoginInstant` (FusionAuth User and Registration APIs). Call inside the login's
 * transaction. Returns the updated user.
 */
export function recordLogin(stores: Stores, user: User, applicationId: string | undefined, now: number): User {
  const updated: User = { ...user, lastLoginInstant: now };
  stores.users.update(updated);
  const registration = applicationId === undefined ? undefined : stores.registrations.get(user.id, applicationId);
  if (registration) stores.registrations.update({ ...registration, lastLoginInstant: now });
  return updated;
}
