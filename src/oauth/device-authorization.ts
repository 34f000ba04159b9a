import { OAuthError } from '../errors.js';
import { isObject, type JsonObject } from '../model/json.js';
import { generate } from '../model/secure-generator.js';
import type { Tenant } from '../model/tenant.js';
import type { Standin } from '../standin.js';
import type { DeviceApproval, DeviceGrant } from '../store/device-codes.js';
import { newSecret } from '../store/secrets.js';
import type { Client } from './client-authentication.js';
import { grantedScopes, unknownScopeError } from './granted-scopes.js';
import { param } from './request-params.js';
import { withQueryParams } from './with-query-params.js';

/** RFC 8628 §7.2: the grant type a device polls the token endpoint with. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * RFC 8628 §3.2: how long a device waits between polls. FusionAuth answers 5 (its docs' example response) and has no
 * setting for it.
 */
export const POLLING_INTERVAL_SECONDS = 5;

/** RFC 8628 §3.2, FusionAuth's Device Authorize response. */
export interface DeviceAuthorizationResponse {
  device_code: string;
  expires_in: number;
  interval: number;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
}

/**
 * `POST /oauth2/device_authorize` (RFC 8628 §3.1; https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints,
 * "Device Authorize"): for an application whose `enabledGrants` has the device grant and which has a
 * `deviceVerificationURL`, a new device code and user code, stored hashed, living the tenant's
 * `deviceCodeTimeToLiveInSeconds` (FusionAuth's default 300). The user code is made by the tenant's
 * `deviceUserCodeIdGenerator` (default 6 of A-Z0-9).
 */
export function startDeviceAuthorization(standin: Standin, client: Client, body: unknown): DeviceAuthorizationResponse {
  const { application } = client;
  const { stores } = standin;
  if (!application.oauthConfiguration.enabledGrants.includes(DEVICE_CODE_GRANT)) {
    throw new OAuthError('unauthorized_client', 'grant_type_disabled', `The [${DEVICE_CODE_GRANT}] grant has been disabled for this client.`);
  }
  const verificationUri = application.oauthConfiguration.deviceVerificationURL;
  if (typeof verificationUri !== 'string' || verificationUri === '') {
    throw new OAuthError(
      'invalid_request',
      'missing_verification_uri',
      'The application has no oauthConfiguration.deviceVerificationURL; set one (Standin serves the device page at /oauth2/device).',
    );
  }
  const requested = param(body, 'scope') ?? '';
  if (requested.split(' ').some((scope) => scope.startsWith('idp-link:'))) {
    throw new OAuthError('invalid_scope', 'unknown', 'Standin does not model idp-link scopes (identity provider links); see docs/device-grant.md.');
  }
  const { granted, rejected } = grantedScopes(application, requested);
  if (rejected.length > 0) throw unknownScopeError(rejected);

  const now = standin.config.now();
  const tenant = stores.tenants.get(application.tenantId)!;
  const ttlSeconds = deviceCodeSeconds(tenant);
  const deviceCode = newSecret();
  const userCode = stores.db
    .transaction(() => {
      stores.deviceCodes.purgeExpired(now);
      const code = freshUserCode(standin, tenant);
      stores.deviceCodes.insert(deviceCode, code, {
        applicationId: application.id,
        tenantId: tenant.id,
        scope: granted.join(' '),
        deviceInfo: deviceInfoOf(body),
        expiresAt: now + ttlSeconds * 1000,
      });
      return code;
    })
    .immediate();
  return {
    device_code: deviceCode,
    expires_in: ttlSeconds,
    interval: POLLING_INTERVAL_SECONDS,
    user_code: userCode,
    verification_uri: verificationUri,
    verification_uri_complete: withQueryParams(verificationUri, [['user_code', userCode]]),
  };
}

/** A user code no stored device code has (a short code can repeat; the one stored must not). */
function freshUserCode(standin: Standin, tenant: Tenant): string {
  const configured = isObject(tenant.externalIdentifierConfiguration) ? tenant.externalIdentifierConfiguration.deviceUserCodeIdGenerator : undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = generate(configured, { length: 6, type: 'randomAlphaNumeric' });
    if (!standin.stores.deviceCodes.userCodeTaken(code)) return code;
  }
  throw new OAuthError('server_error', 'unknown', 'Could not make a user code that is not in use; lengthen deviceUserCodeIdGenerator.');
}

/** The tenant's `deviceCodeTimeToLiveInSeconds`, FusionAuth's default 300 (Tenant API). */
function deviceCodeSeconds(tenant: Tenant): number {
  const value = tenant.externalIdentifierConfiguration.deviceCodeTimeToLiveInSeconds;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 300;
}

/** `metaData.device.{name,description,type}` of the request, as FusionAuth's `deviceInfo` answers them. */
function deviceInfoOf(body: unknown): JsonObject {
  const info: JsonObject = {};
  for (const field of ['description', 'name', 'type'] as const) {
    const value = param(body, `metaData.device.${field}`);
    if (value !== undefined) info[field] = value.slice(0, 255);
  }
  return info;
}

/**
 * The pending device grant of a user code, for `client` when one is named: FusionAuth's Device Validate and Device
 * User Code checks (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints). Unknown, approved
 * already, or another client's: `invalid_user_code`; past its expiry: `user_code_expired`.
 */
export function pendingDeviceGrant(standin: Standin, userCode: string | undefined, applicationId: string | undefined): DeviceGrant {
  if (userCode === undefined) throw new OAuthError('invalid_request', 'missing_user_code', 'The request is missing a required parameter: user_code');
  const found = standin.stores.deviceCodes.byUserCode(userCode);
  if (!found || found.approved || (applicationId !== undefined && found.grant.applicationId !== applicationId)) {
    throw new OAuthError('invalid_request', 'invalid_user_code', 'The user_code is invalid.');
  }
  if (found.grant.expiresAt <= standin.config.now()) {
    throw new OAuthError('invalid_request', 'user_code_expired', 'The user_code has expired.');
  }
  return found.grant;
}

/** FusionAuth's Device User Code response (its `scope` leaves out what the interactive login must not ask for). */
export function deviceUserCodeAnswer(standin: Standin, grant: DeviceGrant, userCode: string): JsonObject {
  return {
    client_id: grant.applicationId,
    deviceInfo: grant.deviceInfo,
    expires_in: Math.max(0, Math.ceil((grant.expiresAt - standin.config.now()) / 1000)),
    scope: interactiveScope(grant.scope),
    tenantId: grant.tenantId,
    user_code: userCode,
  };
}

/**
 * The scopes for the interactive part of the grant: the device's, without `openid`, `offline_access` and `idp-link:`
 * scopes (FusionAuth OAuth endpoints, "Device User Code", `scope`).
 */
export function interactiveScope(scope: string): string {
  return scope
    .split(' ')
    .filter((name) => name !== '' && name !== 'openid' && name !== 'offline_access' && !name.startsWith('idp-link:'))
    .join(' ');
}

/**
 * Approves the pending device grant of `userCode` for the user in `approval` (FusionAuth's Device Approve, and the
 * hosted /oauth2/device page once its user has logged in). The user must belong to the grant's tenant. Returns
 * FusionAuth's DeviceApprovalResponse.
 */
export function approveDevice(standin: Standin, userCode: string, applicationId: string, approval: DeviceApproval): JsonObject {
  const { stores } = standin;
  const now = standin.config.now();
  return stores.db
    .transaction(() => {
      const grant = pendingDeviceGrant(standin, userCode, applicationId);
      const user = stores.users.get(approval.userId);
      if (!user || !user.active || user.tenantId !== grant.tenantId) {
        throw new OAuthError('invalid_request', 'invalid_user_id', 'The user may not approve a device of this tenant.');
      }
      if (!stores.deviceCodes.approve(userCode, approval, now)) {
        throw new OAuthError('invalid_request', 'invalid_user_code', 'The user_code is invalid.');
      }
      return { deviceGrantStatus: 'Approved', deviceInfo: grant.deviceInfo, tenantId: grant.tenantId, userId: user.id };
    })
    .immediate();
}
