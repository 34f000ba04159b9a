import t from 'tap';
import { jwtConfigurationDefaults, type JwtConfiguration, type RefreshTokenExpirationPolicy } from '../../../src/model/tenant.js';
import { expiryAfterUse, firstExpiry, importedExpiry } from '../../../src/oauth/refresh-rules.js';
import type { RefreshToken } from '../../../src/store/refresh-tokens.js';
import { T0 } from '../../helpers/fixtures.js';

const MINUTE = 60_000;

/** A 60-minute TTL and a 90-minute maximum lifetime, under the given expiration policy. */
function config(policy: RefreshTokenExpirationPolicy): JwtConfiguration {
  return {
    ...jwtConfigurationDefaults(),
    refreshTokenExpirationPolicy: policy,
    refreshTokenTimeToLiveInMinutes: 60,
    refreshTokenSlidingWindowConfiguration: { maximumTimeToLiveInMinutes: 90 },
  };
}

/** A token family started at T0 whose current expiry is `expiresAt`. */
function token(expiresAt: number): RefreshToken {
  return { startInstant: T0, expiresAt } as RefreshToken;
}

t.test('first expiry: the TTL from now under Fixed and SlidingWindow', async (t) => {
  t.equal(firstExpiry(config('Fixed'), T0), T0 + 60 * MINUTE);
  t.equal(firstExpiry(config('SlidingWindow'), T0), T0 + 60 * MINUTE);
});

t.test('first expiry: capped by the maximum lifetime when that is the shorter', async (t) => {
  t.equal(firstExpiry(config('SlidingWindowWithMaximumLifetime'), T0), T0 + 60 * MINUTE, 'TTL shorter than the maximum');
  const longTtl = { ...config('SlidingWindowWithMaximumLifetime'), refreshTokenTimeToLiveInMinutes: 120 };
  t.equal(firstExpiry(longTtl, T0), T0 + 90 * MINUTE, 'maximum shorter than the TTL');
});

t.test('after a use: Fixed never moves the expiry', async (t) => {
  t.equal(expiryAfterUse(config('Fixed'), token(T0 + 60 * MINUTE), T0 + 50 * MINUTE), T0 + 60 * MINUTE);
});

t.test('after a use: SlidingWindow restarts the TTL at the use', async (t) => {
  t.equal(expiryAfterUse(config('SlidingWindow'), token(T0 + 60 * MINUTE), T0 + 50 * MINUTE), T0 + 110 * MINUTE);
  t.equal(expiryAfterUse(config('SlidingWindow'), token(T0 + 60 * MINUTE), T0 + 500 * MINUTE), T0 + 560 * MINUTE, 'no maximum');
});

t.test('after a use: SlidingWindowWithMaximumLifetime slides, but never past start + maximum', async (t) => {
  const policy = config('SlidingWindowWithMaximumLifetime');
  t.equal(expiryAfterUse(policy, token(T0 + 60 * MINUTE), T0 + 10 * MINUTE), T0 + 70 * MINUTE, 'inside the maximum: slides');
  t.equal(expiryAfterUse(policy, token(T0 + 60 * MINUTE), T0 + 50 * MINUTE), T0 + 90 * MINUTE, 'capped at the family start + 90 minutes');
  const later = { startInstant: T0 + 5 * MINUTE, expiresAt: T0 + 65 * MINUTE } as RefreshToken;
  t.equal(expiryAfterUse(policy, later, T0 + 50 * MINUTE), T0 + 95 * MINUTE, 'the cap counts from the family start, not from T0');
});

t.test('an imported token: Fixed counts from its start, a sliding window from its last issue, capped by the maximum', async (t) => {
  const issued = T0 + 50 * MINUTE;
  t.equal(importedExpiry(config('Fixed'), T0, issued), T0 + 60 * MINUTE);
  t.equal(importedExpiry(config('SlidingWindow'), T0, issued), T0 + 110 * MINUTE);
  t.equal(importedExpiry(config('SlidingWindowWithMaximumLifetime'), T0, issued), T0 + 90 * MINUTE, 'the maximum lifetime from the start');
  t.equal(importedExpiry(config('SlidingWindowWithMaximumLifetime'), T0, T0 + 10 * MINUTE), T0 + 70 * MINUTE, 'the TTL when shorter');
});
