import type { Application } from '../model/application.js';
import { effectiveRoles } from '../model/effective-roles.js';
import type { Registration } from '../model/registration.js';
import type { User } from '../model/user.js';

/** Who a Login API (or `/api/jwt/issue`) JWT speaks for. The application is absent for a login that names none. */
export interface LoginSubject {
  user: User;
  tenantId: string;
  issuer: string;
  application?: Application;
  registration?: Registration;
  /** The ids of the application's roles the user's groups grant, read at minting (model/effective-roles.ts). */
  groupRoleIds: readonly string[];
  authenticationType: string;
  /** Seconds since the epoch. */
  authTime: number;
  refreshTokenId?: string;
}

/**
 * The claims of a JWT the Login API issues (https://fusionauth.io/docs/apis/login,
 * https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens). The Login API predates OAuth scopes, so the
 * identity claims (`email`, `email_verified`, `preferred_username`) are always there; `aud` and
 * `applicationId`/`roles` only with an application (and a registration for the latter); `sid` is the refresh token id
 * when one was issued. No `scope` and no `gty`: no OAuth grant ran.
 */
export function loginTokenClaims(subject: LoginSubject, now: number, ttl: number, jti: string): Record<string, unknown> {
  const { user, application, registration } = subject;
  return {
    ...(application ? { aud: application.id } : {}),
    exp: now + ttl,
    iat: now,
    iss: subject.issuer,
    sub: user.id,
    jti,
    authenticationType: subject.authenticationType,
    ...(user.email === undefined ? {} : { email: user.email, email_verified: user.verified }),
    ...(user.username === undefined ? {} : { preferred_username: user.username }),
    ...(application && registration ? { applicationId: application.id, roles: effectiveRoles(application, registration, subject.groupRoleIds) } : {}),
    auth_time: subject.authTime,
    tid: subject.tenantId,
    ...(subject.refreshTokenId === undefined ? {} : { sid: subject.refreshTokenId }),
  };
}
