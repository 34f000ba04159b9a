import type { Application } from '../model/application.js';
import type { Registration } from '../model/registration.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import { hasExpired } from '../model/user-expiry.js';
import type { Stores } from '../store/index.js';

/** What a token is minted from, loaded fresh at every grant so that a disabled or expired user gets nothing. */
export interface SubjectParts {
  application: Application;
  user: User;
  /** Absent when the user is not registered to the application (no `applicationId`/`roles` claims). */
  registration?: Registration;
  /** The ids of the application's roles the user's groups grant (model/effective-roles.ts). */
  groupRoleIds: readonly string[];
  tenant: Tenant;
}

/**
 * The application, user, registration and tenant behind a code or refresh token; undefined when the user or
 * application is gone or inactive, or the user has expired at `now` (docs/login-flow.md; FusionAuth refuses a code
 * whose user is gone).
 */
export function loadSubjectParts(stores: Stores, applicationId: string, userId: string, now: number): SubjectParts | undefined {
  const application = stores.applications.get(applicationId);
  const user = stores.users.get(userId);
  if (!application?.active || !user?.active || hasExpired(user, now)) return undefined;
  const tenant = stores.tenants.get(application.tenantId);
  if (!tenant) return undefined;
  const registration = stores.registrations.get(userId, applicationId);
  const groupRoleIds = registration ? stores.groups.roleIdsFor(userId, applicationId) : [];
  return { application, user, tenant, groupRoleIds, ...(registration ? { registration } : {}) };
}
