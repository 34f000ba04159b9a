import { userWithRegistrations, type UnwrittenRelations } from '../manage/user-view.js';
import { isObject, type JsonObject } from '../model/json.js';
import type { Registration } from '../model/registration.js';
import type { User } from '../model/user.js';
import type { Stores } from '../store/index.js';
import type { EventInput } from './emit.js';
import { FUSIONAUTH_CONNECTOR_ID } from '../model/connector.js';

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

// FusionAuth's EventInfo members a request may send (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-create, `event.info`).
const EVENT_INFO_TEXT = ['deviceDescription', 'deviceName', 'deviceType', 'ipAddress', 'os', 'userAgent'] as const;
const EVENT_INFO_OBJECTS = ['data', 'location'] as const;

/**
 * The `event.info` of a management request that sends FusionAuth's `eventInfo` (the User and Registration APIs'
 * UserRequest and RegistrationRequest): its members as sent, and when it names no `ipAddress`, the caller's address, as FusionAuth
 * records for an API request.
 */
export function requestEventInfo(given: JsonObject | undefined, callerAddress: string): JsonObject {
  const info: JsonObject = {};
  for (const name of EVENT_INFO_TEXT) if (typeof given?.[name] === 'string' && given[name] !== '') info[name] = given[name];
  for (const name of EVENT_INFO_OBJECTS) if (isObject(given?.[name])) info[name] = given[name];
  info.ipAddress ??= callerAddress;
  return info;
}

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
  info: JsonObject = eventInfo(ipAddress),
): EventInput {
  const registered = applicationId !== undefined && stores.registrations.get(user.id, applicationId) !== undefined;
  const address = typeof info.ipAddress === 'string' ? info.ipAddress : undefined;
  return userEvent(stores, 'user.login.success', user, {
    ...(registered ? { applicationId } : {}),
    authenticationType,
    // The connector the user authenticates against: a Generic one that owns the user, else the FusionAuth connector.
    connectorId: stores.connectors.ofUser(user.id) ?? FUSIONAUTH_CONNECTOR_ID,
    info,
    ...(address === undefined ? {} : { ipAddress: address }),
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
