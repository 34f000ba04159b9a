import { randomUUID } from 'node:crypto';
import type { JwtConfiguration } from '../model/tenant.js';
import type { Stores } from '../store/index.js';
import type { RefreshToken } from '../store/refresh-tokens.js';
import { newSecret } from '../store/secrets.js';
import { jwtConfigurationOf } from './jwt-configuration.js';
import { loadSubjectParts, type SubjectParts } from './subject-parts.js';

// The refresh token rules the `refresh_token` grant and `/api/jwt/refresh` share (FusionAuth Tenant API,
// jwtConfiguration.refreshToken*: https://fusionauth.io/docs/apis/tenants). Instants are milliseconds.

const MINUTE = 60_000;

/** A new family's expiry: TTL from now, capped by the maximum lifetime under SlidingWindowWithMaximumLifetime. */
export function firstExpiry(config: JwtConfiguration, now: number): number {
  const ttl = now + config.refreshTokenTimeToLiveInMinutes * MINUTE;
  if (config.refreshTokenExpirationPolicy !== 'SlidingWindowWithMaximumLifetime') return ttl;
  return Math.min(ttl, now + config.refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes * MINUTE);
}

/**
 * An imported token's expiry (FusionAuth Import Refresh Tokens, `startInstant`: "used to calculate the token
 * expiration"; https://fusionauth.io/docs/apis/users/import-refresh-tokens): `Fixed` counts the TTL from the start;
 * a sliding window from the last issue the other system reported (`insertInstant`, else the start), capped by the
 * maximum lifetime under SlidingWindowWithMaximumLifetime.
 */
export function importedExpiry(config: JwtConfiguration, startInstant: number, insertInstant: number): number {
  const ttl = config.refreshTokenTimeToLiveInMinutes * MINUTE;
  switch (config.refreshTokenExpirationPolicy) {
    case 'Fixed':
      return startInstant + ttl;
    case 'SlidingWindow':
      return insertInstant + ttl;
    case 'SlidingWindowWithMaximumLifetime':
      return Math.min(insertInstant + ttl, startInstant + config.refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes * MINUTE);
  }
}

/**
 * The expiry after a use: `Fixed` never moves; `SlidingWindow` restarts the TTL at each use;
 * `SlidingWindowWithMaximumLifetime` does too, but never past start + maximumTimeToLiveInMinutes.
 */
export function expiryAfterUse(config: JwtConfiguration, token: RefreshToken, now: number): number {
  const sliding = now + config.refreshTokenTimeToLiveInMinutes * MINUTE;
  switch (config.refreshTokenExpirationPolicy) {
    case 'Fixed':
      return token.expiresAt;
    case 'SlidingWindow':
      return sliding;
    case 'SlidingWindowWithMaximumLifetime':
      return Math.min(sliding, token.startInstant + config.refreshTokenSlidingWindowConfiguration.maximumTimeToLiveInMinutes * MINUTE);
  }
}

/** A new refresh token family and its value (256 random bits; only the hash is stored). */
export function newRefreshToken(
  parts: SubjectParts,
  grant: Pick<RefreshToken, 'scope' | 'authTime' | 'authenticationType' | 'ssoSessionId' | 'grants'>,
  now: number,
): { token: RefreshToken; value: string } {
  const config = jwtConfigurationOf(parts.application, parts.tenant);
  const token: RefreshToken = {
    id: randomUUID(),
    userId: parts.user.id,
    applicationId: parts.application.id,
    tenantId: parts.tenant.id,
    startInstant: now,
    insertInstant: now,
    lastUsed: now,
    expiresAt: firstExpiry(config, now),
    ...grant,
    // FusionAuth's metaData (JWT API, GET /api/jwt/refresh): the scopes the token was granted.
    metaData: { scopes: grant.scope.split(' ').filter(Boolean) },
  };
  return { token, value: newSecret() };
}

/** Why a refresh token was refused; every one is FusionAuth's single "invalid refresh token" answer on the wire. */
export type RefreshRefusal = 'unknown' | 'other_client' | 'expired' | 'reused' | 'superseded' | 'inactive';

export type RefreshUse =
  { ok: true; token: RefreshToken; value: string; parts: SubjectParts; config: JwtConfiguration } | { ok: false; refusal: RefreshRefusal };

/**
 * Uses a refresh token value, in one immediate transaction: finds it, checks its client, expiry and user,
 * then rotates it (`OneTimeUse`: a new value, the same id) or records the use (`Reusable`), moving the
 * expiry as the expiration policy says. A rotated-away value is refused, and when
 * `refreshTokenRevocationPolicy.onOneTimeTokenReuse` is on, its whole family is revoked (RFC 9700 §4.14.2).
 * The one-time-use grace period is treated as 0: values are stored hashed, so a reuse inside the grace
 * period could not be answered with the current value. `beforeUse` runs once the token is known to be usable,
 * before it is touched or rotated; what it throws rolls the transaction back.
 */
export function useRefreshToken(
  stores: Stores,
  value: string,
  now: number,
  options: { clientId?: string; beforeUse?: (parts: SubjectParts, token: RefreshToken) => void } = {},
): RefreshUse {
  const { clientId, beforeUse } = options;
  const refuse = (refusal: RefreshRefusal): RefreshUse => ({ ok: false, refusal });
  return stores.db
    .transaction((): RefreshUse => {
      const found = stores.refreshTokens.lookup(value);
      if (found.found === 'none') return refuse('unknown');
      const { token } = found;
      // RFC 6749 §6: bound to its client. Another client's attempt changes nothing (RFC 6749 §10.4).
      if (clientId !== undefined && token.applicationId !== clientId) return refuse('other_client');
      const parts = loadSubjectParts(stores, token.applicationId, token.userId, now);
      if (!parts) return refuse('inactive');
      const config = jwtConfigurationOf(parts.application, parts.tenant);
      if (found.found === 'retired') {
        if (config.refreshTokenRevocationPolicy.onOneTimeTokenReuse) stores.refreshTokens.delete(token.id);
        return refuse('reused');
      }
      if (token.expiresAt <= now) return refuse('expired');
      // A check that throws (no key can sign what this use would earn) leaves the token as it was.
      beforeUse?.(parts, token);
      const expiresAt = expiryAfterUse(config, token, now);
      if (config.refreshTokenUsagePolicy === 'Reusable') {
        stores.refreshTokens.touch(token.id, now, expiresAt);
        return { ok: true, token: { ...token, lastUsed: now, expiresAt }, value, parts, config };
      }
      const successor = newSecret();
      // One conditional write: of concurrent uses of one value, one rotates it (RFC 9700 §4.14.2; docs/storage.md).
      if (!stores.refreshTokens.rotate(token.id, value, successor, now, expiresAt)) return refuse('superseded');
      return { ok: true, token: { ...token, insertInstant: now, lastUsed: now, expiresAt }, value: successor, parts, config };
    })
    .immediate();
}
