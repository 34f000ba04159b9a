import type { Stores } from '../store/index.js';
import type { User } from '../model/user.js';

/** Where a login came from, for its login record. */
export interface LoginSource {
  /** The end user's address: the request's `ipAddress`, else the caller's. */
  ipAddress?: string | undefined;
}

/**
 * Records a login: `user.lastLoginInstant` and, when the user is registered to the application, the
 * registration's `lastLoginInstant` (FusionAuth User and Registration APIs), and a login record (Login API,
 * "Search Login Records"; User API, "Retrieve Recent Logins") unless `source` is null: a JWT issued from another
 * (`/api/jwt/issue`) is no login of its own, as it sends no `user.login.success`. Call inside the login's
 * transaction, so that the record is written with the rest or not at all. Returns the updated user.
 */
export function recordLogin(stores: Stores, user: User, applicationId: string | undefined, now: number, source: LoginSource | null): User {
  const updated: User = { ...user, lastLoginInstant: now };
  stores.users.update(updated);
  const registration = applicationId === undefined ? undefined : stores.registrations.get(user.id, applicationId);
  if (registration) stores.registrations.update({ ...registration, lastLoginInstant: now });
  if (source === null) return updated;
  const applicationName = applicationId === undefined ? undefined : stores.applications.get(applicationId)?.name;
  // "The User's email address or username at the time of the login request" (User API, "Retrieve Recent Logins").
  const loginId = user.email ?? user.username;
  stores.loginRecords.insert({
    instant: now,
    userId: user.id,
    tenantId: user.tenantId,
    ...(applicationId === undefined ? {} : { applicationId }),
    ...(applicationName === undefined ? {} : { applicationName }),
    ...(source.ipAddress === undefined ? {} : { ipAddress: source.ipAddress }),
    ...(loginId === undefined ? {} : { loginId, loginIdType: user.email === undefined ? 'username' : 'email' }),
  });
  return updated;
}
