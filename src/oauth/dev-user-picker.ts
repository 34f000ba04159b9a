import { isUuid } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import type { AuthorizeRequest } from './authorize-request.js';

// Enough for any seed a person scrolls through; the form still logs in anyone else.
const PICKER_LIMIT = 50;

/** The dev user picker's users: the active users of the application's tenant registered to it, in registration order. */
export function pickableUsers(standin: Standin, authz: AuthorizeRequest): Array<{ id: string; label: string }> {
  const { application } = authz;
  const users: Array<{ id: string; label: string }> = [];
  for (const userId of standin.stores.registrations.userIdsOf(application.id)) {
    const user = standin.stores.users.get(userId);
    if (!user || !user.active || user.tenantId !== application.tenantId) continue;
    users.push({ id: user.id, label: user.email ?? user.username ?? user.id });
    if (users.length === PICKER_LIMIT) break;
  }
  return users;
}

/**
 * The user the picker's button chose (`standin_user`), if that user may log in here without a password: an active
 * user of this tenant registered to this application. Checked at every POST, not trusted from the page.
 */
export function pickedUser(standin: Standin, authz: AuthorizeRequest, tenant: Tenant, standinUser: unknown): User | undefined {
  const picked = typeof standinUser === 'string' && isUuid(standinUser) ? standin.stores.users.get(standinUser.toLowerCase()) : undefined;
  return picked && picked.tenantId === tenant.id && picked.active && standin.stores.registrations.get(picked.id, authz.application.id)
    ? picked
    : undefined;
}
