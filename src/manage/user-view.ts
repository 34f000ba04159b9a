import { tenantEmailConfiguration } from '../email/send-templated-email.js';
import type { GroupMember } from '../model/group.js';
import type { JsonObject } from '../model/json.js';
import type { Registration } from '../model/registration.js';
import { identitiesOf } from '../model/user-identities.js';
import type { User } from '../model/user.js';
import type { Stores } from '../store/index.js';

/** What a user is about to get in the same write as an event that is sent before it. */
export interface UnwrittenRelations {
  registrations?: Registration[];
  memberships?: GroupMember[];
}

/**
 * A user as FusionAuth's User API returns one (https://fusionauth.io/docs/apis/users): with its identities, group
 * memberships and registrations. The one shape for the API's answers and the `user` of webhook events
 * (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-create), so the two never drift apart.
 * `unwritten` stands in for the stored registrations and memberships when an event is sent before they are
 * written (a user created with a registration or group memberships in one call).
 */
export function userWithRegistrations(stores: Stores, user: User, unwritten: UnwrittenRelations = {}): JsonObject {
  const tenant = stores.tenants.get(user.tenantId);
  const identities = identitiesOf(user, tenant !== undefined && tenantEmailConfiguration(tenant).verifyEmail);
  return {
    ...user,
    identities,
    memberships: unwritten.memberships ?? stores.groupMembers.ofUser(user.id),
    registrations: unwritten.registrations ?? stores.registrations.ofUser(user.id),
  };
}
