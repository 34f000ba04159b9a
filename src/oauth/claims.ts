import { createHash } from 'node:crypto';
import type { Application } from '../model/application.js';
import { effectiveRoles } from '../model/effective-roles.js';
import type { Registration } from '../model/registration.js';
import type { User } from '../model/user.js';

/** Who and what a token speaks for: the inputs every token a grant issues shares. */
export interface TokenSubject {
  application: Application;
  user: User;
  /** Absent when the user is not registered to the application. */
  registration?: Registration | undefined;
  /** The ids of the application's roles the user's groups grant, read at minting (model/effective-roles.ts). */
  groupRoleIds: readonly string[];
  tenantId: string;
  issuer: string;
  scope: string;
  /** Seconds since the epoch (OIDC auth_time), unchanged by refreshes and SSO. */
  authTime: number;
  authenticationType: string;
  /** The grants that led to this token, oldest first (FusionAuth's `gty`). */
  grantTypes: string[];
  refreshTokenId?: string | undefined;
  ssoSessionId?: string | undefined;
}

export function scopesOf(scope: string): Set<string> {
  return new Set(scope.split(' ').filter(Boolean));
}

/**
 * The access token's claims (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/tokens). `applicationId`
 * and `roles` only when the user is registered; `sid` is the refresh token id, which stays the same across rotations,
 * and absent without one (FusionAuth leaves it out). Under the `Compatibility` scope policy the token also carries
 * `email`, `email_verified` and `preferred_username`; under `Strict` (the default) no identity claim but `sub`.
 */
export function accessTokenClaims(subject: TokenSubject, nowSeconds: number, ttl: number, jti: string): Record<string, unknown> {
  const { user, registration, application } = subject;
  return {
    ...registeredClaims(subject, nowSeconds, ttl, jti),
    ...(application.oauthConfiguration.scopeHandlingPolicy === 'Compatibility' ? compatibilityIdentity(user) : {}),
    ...(registration ? { applicationId: application.id, roles: effectiveRoles(application, registration, subject.groupRoleIds) } : {}),
    ...scopeClaim(subject.scope),
    auth_time: subject.authTime,
    tid: subject.tenantId,
    gty: subject.grantTypes,
    ...(subject.refreshTokenId === undefined ? {} : { sid: subject.refreshTokenId }),
  };
}

/** The claims every token Standin signs opens with (RFC 7519 §4.1), and FusionAuth's `authenticationType`. */
function registeredClaims(subject: TokenSubject, nowSeconds: number, ttl: number, jti: string): Record<string, unknown> {
  return {
    aud: subject.application.id,
    exp: nowSeconds + ttl,
    iat: nowSeconds,
    iss: subject.issuer,
    sub: subject.user.id,
    jti,
    authenticationType: subject.authenticationType,
  };
}

export interface IdTokenExtras {
  /** The id token's signing algorithm, whose hash `at_hash` and `c_hash` use. */
  algorithm: string;
  nonce?: string;
  accessToken: string;
  /** The authorization code this id token was exchanged for, for `c_hash`. */
  code?: string;
}

/**
 * The id token's claims (OIDC Core §2, §3.1.3.6; FusionAuth Tokens docs). Identity claims follow the scopes
 * under `Strict` (OIDC Core §5.4) and are all present under `Compatibility`. `sid` is the SSO session id.
 */
export function idTokenClaims(subject: TokenSubject, nowSeconds: number, ttl: number, jti: string, extras: IdTokenExtras): Record<string, unknown> {
  const { user, application } = subject;
  const scopes = scopesOf(subject.scope);
  const compatibility = application.oauthConfiguration.scopeHandlingPolicy === 'Compatibility';
  const claims: Record<string, unknown> = {
    ...registeredClaims(subject, nowSeconds, ttl, jti),
    ...(compatibility || scopes.has('email') ? emailClaims(user) : {}),
    ...(compatibility || scopes.has('profile') ? profileClaims(user) : {}),
    ...(compatibility || scopes.has('phone') ? phoneClaims(user) : {}),
    auth_time: subject.authTime,
    tid: subject.tenantId,
    at_hash: halfHash(extras.accessToken, extras.algorithm),
    ...scopeClaim(subject.scope),
  };
  if (extras.code !== undefined) claims.c_hash = halfHash(extras.code, extras.algorithm);
  if (extras.nonce !== undefined) claims.nonce = extras.nonce;
  if (subject.ssoSessionId !== undefined) claims.sid = subject.ssoSessionId;
  return claims;
}

/**
 * `/oauth2/userinfo` (OIDC Core §5.3): `sub` and the claims the token's scopes ask for under `Strict`;
 * everything FusionAuth lists, with `roles` and `applicationId`, under `Compatibility`.
 */
export function userinfoClaims(
  subject: Pick<TokenSubject, 'application' | 'user' | 'registration' | 'groupRoleIds' | 'scope'>,
): Record<string, unknown> {
  const { user, application, registration } = subject;
  const scopes = scopesOf(subject.scope);
  const compatibility = application.oauthConfiguration.scopeHandlingPolicy === 'Compatibility';
  return {
    sub: user.id,
    ...(compatibility || scopes.has('email') ? emailClaims(user) : {}),
    ...(compatibility || scopes.has('profile') ? profileClaims(user) : {}),
    ...(compatibility || scopes.has('phone') ? phoneClaims(user) : {}),
    ...(compatibility && registration
      ? { applicationId: application.id, roles: effectiveRoles(application, registration, subject.groupRoleIds) }
      : {}),
  };
}

/** The validated scopes, space-separated (FusionAuth Tokens docs); left out, as FusionAuth does, when there are none. */
function scopeClaim(scope: string): Record<string, unknown> {
  return scope === '' ? {} : { scope };
}

function compatibilityIdentity(user: User): Record<string, unknown> {
  return { ...emailClaims(user), ...(user.username === undefined ? {} : { preferred_username: user.username }) };
}

function emailClaims(user: User): Record<string, unknown> {
  return user.email === undefined ? {} : { email: user.email, email_verified: user.verified };
}

function profileClaims(user: User): Record<string, unknown> {
  const name =
    typeof user.fullName === 'string' ? user.fullName : [user.firstName, user.lastName].filter((part) => typeof part === 'string').join(' ');
  return defined({
    given_name: user.firstName,
    family_name: user.lastName,
    middle_name: user.middleName,
    name: name === '' ? undefined : name,
    preferred_username: user.username,
    birthdate: user.birthDate,
    picture: user.imageUrl,
    locale: Array.isArray(user.preferredLanguages) ? user.preferredLanguages[0] : undefined,
    zoneinfo: user.timezone,
  });
}

function phoneClaims(user: User): Record<string, unknown> {
  return user.mobilePhone === undefined ? {} : { phone_number: user.mobilePhone, phone_number_verified: false };
}

function defined(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined && value !== null));
}

/**
 * OIDC Core §3.1.3.6: base64url of the left half of the value's hash, with the hash of the signing
 * algorithm (SHA-256 for RS256, ES256, HS256; SHA-384 and SHA-512 for the others).
 */
export function halfHash(value: string, algorithm: string): string {
  const digest = createHash(`sha${algorithm.slice(2)}`)
    .update(value, 'ascii')
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
