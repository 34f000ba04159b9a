import { randomUUID } from 'node:crypto';
import { ApiError } from '../errors.js';
import { emitEvent } from '../events/emit.js';
import { loginSuccessEvent } from '../events/payloads.js';
import type { Application } from '../model/application.js';
import type { JsonObject } from '../model/json.js';
import type { Registration } from '../model/registration.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { jwtConfigurationOf } from './jwt-configuration.js';
import { loginTokenClaims } from './login-claims.js';
import { recordLogin } from './record-login.js';
import { populateJwtClaims } from './populate-claims.js';
import { newRefreshToken } from './refresh-rules.js';
import type { RefreshToken } from '../store/refresh-tokens.js';
import { requireSignableLogin } from './signing-keys.js';
import { userMayLogIn } from './user-may-log-in.js';

export interface LoginRequest {
  user: User;
  tenant: Tenant;
  application?: Application;
  /** FusionAuth's `authenticationType` claim: PASSWORD for the Login API, JWT_SSO for `/api/jwt/issue`. */
  authenticationType: string;
  /** `noJWT`: record the login, issue nothing. */
  noJWT?: boolean;
  /** Issue a refresh token (the caller has checked the application allows it); needs a registration. */
  refreshToken?: boolean;
  /** The login's `metaData.device` and `ipAddress`, kept on the refresh token as FusionAuth shows them. */
  device?: JsonObject;
  ipAddress?: string;
  /**
   * The `info` of the `user.login.success` event, when it is not the login's own `ipAddress`: the Registration
   * API records its request's `eventInfo` on its events but stores its refresh token with no device.
   */
  eventInfo?: JsonObject;
  /**
   * `/api/jwt/issue`: the JWT it exchanges, whose expiry and `auth_time` (seconds) the new JWT keeps, and the
   * refresh token it presented, whose start and expiry the new refresh token shares (FusionAuth JWT API).
   */
  from?: { expiresAt: number; authTime?: number; refreshToken?: Pick<RefreshToken, 'startInstant' | 'expiresAt' | 'authTime'> };
}

export interface LoginTokens {
  user: User;
  registration?: Registration;
  token?: string;
  /** Milliseconds, as the Login API reports it. */
  tokenExpirationInstant?: number;
  refreshToken?: { value: string; id: string; expiresAt: number };
}

/**
 * A successful Login API login (https://fusionauth.io/docs/apis/login): in one transaction, records the login and
 * stores the refresh token; after the commit, signs the JWT (docs/storage.md). The user is read again inside the
 * transaction, so one deactivated, expired or actioned to prevent login meanwhile gets nothing. A JWT no key can sign is refused before
 * anything is written.
 */
export async function issueLoginTokens(standin: Standin, request: LoginRequest): Promise<LoginTokens> {
  const { stores, config } = standin;
  const now = config.now();
  const { tenant, application } = request;
  if (!request.noJWT) requireSignableLogin(stores, tenant, application);
  const stored = stores.db
    .transaction(() => {
      const current = stores.users.get(request.user.id);
      if (!current || !userMayLogIn(stores, current, now)) return undefined;
      // A JWT issued for a user already logged in elsewhere is not a login of its own (no record, no event below).
      const source = request.authenticationType === 'JWT_SSO' ? null : { ipAddress: request.ipAddress ?? eventAddress(request.eventInfo) };
      const user = recordLogin(stores, current, application?.id, now, source);
      const registration = application ? stores.registrations.get(user.id, application.id) : undefined;
      const groupRoleIds = application && registration ? stores.groups.roleIdsFor(user.id, application.id) : [];
      const refresh =
        request.refreshToken && !request.noJWT && application && registration
          ? newRefreshToken(
              { application, user, registration, tenant, groupRoleIds },
              { scope: '', authTime: request.from?.refreshToken?.authTime ?? now, authenticationType: request.authenticationType },
              now,
            )
          : undefined;
      const family = request.from?.refreshToken;
      if (refresh && family) Object.assign(refresh.token, { startInstant: family.startInstant, expiresAt: family.expiresAt });
      if (refresh) {
        refresh.token.metaData = { ...refresh.token.metaData, device: deviceOf(request, now) };
        stores.refreshTokens.insert(refresh.token, refresh.value);
      }
      return { user, registration, refresh, groupRoleIds };
    })
    .immediate();
  if (!stored) throw ApiError.notFound();
  const { user, registration, refresh, groupRoleIds } = stored;
  // A JWT issued for a user already logged in elsewhere is not a login of its own.
  if (request.authenticationType !== 'JWT_SSO')
    emitEvent(standin, () => loginSuccessEvent(stores, user, application?.id, request.authenticationType, request.ipAddress, request.eventInfo));
  const result: LoginTokens = { user, ...(registration ? { registration } : {}) };
  if (request.noJWT) return result;

  const jwtConfig = application ? jwtConfigurationOf(application, tenant) : tenant.jwtConfiguration;
  // requireSignableLogin checked it above.
  const keyId = jwtConfig.accessTokenKeyId!;
  const seconds = Math.floor(now / 1000);
  const claims = loginTokenClaims(
    {
      user,
      tenantId: tenant.id,
      issuer: standin.issuerOf(tenant),
      ...(application ? { application } : {}),
      ...(registration ? { registration } : {}),
      groupRoleIds,
      authenticationType: request.authenticationType,
      authTime: request.from?.authTime ?? seconds,
      ...(refresh ? { refreshTokenId: refresh.token.id } : {}),
    },
    seconds,
    request.from ? request.from.expiresAt - seconds : jwtConfig.timeToLiveInSeconds,
    randomUUID(),
  );
  // The application's JWT populate lambda runs on Login API tokens too, never without an application
  // (https://fusionauth.io/docs/extend/code/lambdas/jwt-populate); the Login API has no scopes.
  const populated = await populateJwtClaims(standin.lambdas, 'access', application, claims, { user, registration, scopes: [] });
  result.token = await standin.jwt.sign(keyId, populated);
  result.tokenExpirationInstant = (populated.exp as number) * 1000;
  if (refresh) result.refreshToken = { value: refresh.value, id: refresh.token.id, expiresAt: refresh.token.expiresAt };
  return result;
}

// FusionAuth's refresh token metaData.device (JWT API, "Retrieve Refresh Tokens").
function deviceOf(request: LoginRequest, now: number): JsonObject {
  return {
    ...(request.device ?? {}),
    ...(request.ipAddress === undefined ? {} : { lastAccessedAddress: request.ipAddress }),
    lastAccessedInstant: now,
  };
}

/** The `ipAddress` of a request's `eventInfo` (the Registration API's), the only address such a login has. */
function eventAddress(info: JsonObject | undefined): string | undefined {
  return typeof info?.ipAddress === 'string' ? info.ipAddress : undefined;
}
