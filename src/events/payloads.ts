import { userWithRegistrations, type UnwrittenRelations } from '../manage/user-view.js';
import type { JsonObject } from '../model/json.js';
import type { Registration } from '../model/registration.js';
import type { User } from '../model/user.js';
import type { Stores } from '../store/index.js';
import type { EventInput } from './emit.js';

/**
 * A user event: `{type, tenantId, linkedObjectId, user}` with the user as the User API returns it
 * (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-create). `unwritten` gives its registrations
 * and group memberships when they are not stored yet (a user created with them in one call).
 */
export function userEvent(stores: Stores, type: string, user: User, extra: JsonObject = {}, unwritten?: UnwrittenRelations): EventInput {
  return {
    type,
    tenantId: user.tenantId,
    linkedObjectId: user.id,
    user: userWithRegistrations(stores, user, unwritten),
    ...extra,
  };
}

/**
 * A registration event: `applicationId`, `registration` and `user`
 * (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-registration-create).
 */
export function registrationEvent(
  stores: Stores,
  type: string,
  user: User,
  registration: Registration,
  extra: JsonObject = {},
  unwritten?: UnwrittenRelations,
): EventInput {
  return userEvent(stores, type, user, { applicationId: registration.applicationId, registration, ...extra }, unwritten);
}

/** What FusionAuth knows of the request behind an event (`event.info`); Standin fills the address and user agent. */
export function eventInfo(ipAddress: string | undefined, userAgent?: string): JsonObject {
  return { ...(ipAddress === undefined ? {} : { ipAddress }), ...(userAgent === undefined ? {} : { userAgent }) };
}

// FusionAuth's built-in connector: every Standin user authenticates against it (Connectors docs).
const FUSIONAUTH_CONNECTOR_ID = 'e3306678-a53a-4964-9040-1c96f36dda72';

/**
 * `user.login.success` (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-login-success):
 * `applicationId` only when the user is registered to the application the login was for.
 */
export function loginSuccessEvent(
  stores: Stores,
  user: User,
  applicationId: string | undefined,
  authenticationType: string,
  ipAddress?: string,
): EventInput {
  const registered = applicationId !== undefined && stores.registrations.get(user.id, applicationId) !== undefined;
  return userEvent(stores, 'user.login.success', user, {
    ...(registered ? { applicationId } : {}),
    authenticationType,
    connectorId: FUSIONAUTH_CONNECTOR_ID,
    info: eventInfo(ipAddress),
    ...(ipAddress === undefined ? {} : { ipAddress }),
  });
}

/**
 * `user.login.failed` (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-login-failed): a wrong
 * password for a user that exists; `reason.code` is `credentials`.
 */
export function loginFailedEvent(stores: Stores, user: User, applicationId: string | undefined, ipAddress: string): EventInput {
  return userEvent(stores, 'user.login.failed', user, {
    ...(applicationId === undefined ? {} : { applicationId }),
    authenticationType: 'PASSWORD',
    info: eventInfo(ipAddress),
    ipAddress,
    reason: { code: 'credentials' },
  });
}
