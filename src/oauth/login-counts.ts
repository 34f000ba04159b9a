import { BUSY_RETRY_AFTER_SECONDS } from '../passwords/password-hasher.js';
import type { Standin } from '../standin.js';
import { addressKey, createAttemptWindow, type AttemptWindow } from './attempt-window.js';
import { createLoginThrottle, type LoginThrottle } from './login-throttle.js';

// The counts behind Standin's brute-force rules, one set per Standin, apart from the login itself (login-guard.ts),
// so that a refusal can be worked out without loading what a login checks with: the server's request listener
// refuses logins with it (shed-logins-before-routing.ts) from the start, before any route family is built.

/**
 * Why a login was not even tried: too many failures from this address (429), this login id is locked
 * (/api/login 423, the form 429, the grant its usual invalid_grant), or argon2 is saturated (503).
 */
export interface Refusal {
  kind: 'address' | 'lockout' | 'busy';
  retryAfterSeconds: number;
}

export interface Guard {
  perAddress: AttemptWindow;
  perLoginId: LoginThrottle;
  /** Sign-ups on the hosted registration page per address (`registrationAttempt`, login-guard.ts). */
  registrationsPerAddress: AttemptWindow;
}

const MINUTE = 60_000;
const guards = new WeakMap<Standin, Guard>();

function freshGuard(standin: Standin): Guard {
  const { limits } = standin.config;
  return {
    perAddress: createAttemptWindow(limits.failedLoginsPerAddress, MINUTE),
    perLoginId: createLoginThrottle(limits.lockoutFailures, limits.lockoutSeconds * 1000),
    registrationsPerAddress: createAttemptWindow(limits.failedLoginsPerAddress, MINUTE),
  };
}

export function guardOf(standin: Standin): Guard {
  let guard = guards.get(standin);
  if (!guard) {
    guards.set(standin, (guard = freshGuard(standin)));
    // Once per Standin: the control API's reset forgets every count and lock (docs/test-control.md).
    standin.control.onReset(() => guards.set(standin, freshGuard(standin)));
  }
  return guard;
}

export const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** What an address or login id already locked out gets, before any password or code is checked. */
export function standingRefusal(guard: Guard, address: string, attempt: { clientKey: string; loginId: string }, now: number): Refusal | undefined {
  const addressWait = guard.perAddress.retryAfterMs(address, now);
  if (addressWait > 0) return { kind: 'address', retryAfterSeconds: seconds(addressWait) };
  const lockWait = guard.perLoginId.lockedForMs(attempt.clientKey, attempt.loginId, now);
  if (lockWait > 0) return { kind: 'lockout', retryAfterSeconds: seconds(lockWait) };
  return undefined;
}

/**
 * What `guardedLogin` (login-guard.ts) would refuse before its body is read, while argon2 is saturated: then every password
 * check is refused at once, so a route that will check one can answer before parsing, looking up or hashing
 * anything, which keeps a login flood that ignores Retry-After from crowding out other requests
 * (docs/performance.md). The address rule still comes first, as in `guardedLogin`; undefined when a check could run.
 */
export function refusalWhileSaturated(standin: Standin, ip: string): Refusal | undefined {
  if (!standin.passwords.saturated()) return undefined;
  const addressWait = guardOf(standin).perAddress.retryAfterMs(addressKey(ip), standin.config.now());
  if (addressWait > 0) return { kind: 'address', retryAfterSeconds: seconds(addressWait) };
  return { kind: 'busy', retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS };
}
