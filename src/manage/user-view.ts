import { tenantEmailConfiguration } from '../email/send-templated-email.js';
import type { JsonObject } from '../model/json.js';
import type { Registration } from '../model/registration.js';
import { identitiesOf } from '../model/user-identities.js';
import type { User } from '../model/user.js';
import type { Stores } from '../store/index.js';

/**
 * A user as FusionAuth's User API returns one (https://fusionauth.io/docs/apis/users): with its identities, group
 * memberships and registrations. The one shape for the API's answers and the `user` of webhook events
 * (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-create), so the two never drift apart.
 * `registrations` stands in for the stored ones when an event is sent before they are written (a user created
 * with a registration in one call).
 */
export function userWithRegistrations(stores: Stores, user: User, registrations?: Registration[]): JsonObject {
  const tenant = stores.tenants.get(user.tenantId);
  const identities = identitiesOf(user, tenant !== undefined && tenantEmailConfiguration(tenant).verifyEmail);
  return {
    ...user,
    identities,
    memberships: stores.groupMembers.ofUser(user.id),
    registrations: registrations ?? stores.registrations.ofUser(user.id),
  };
}
