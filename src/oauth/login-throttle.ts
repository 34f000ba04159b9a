import { lookupKey } from '../model/user.js';

/**
 * Consecutive failed password checks per (client, login id) before further attempts are refused, and how
 * long the refusal lasts (config `limits.lockoutFailures`, `limits.lockoutSeconds`; defaults 10 and 5 min).
 * RFC 6749 §4.3.2 ("MUST protect the endpoint against brute force attacks"), RFC 6819 §5.1.4.2.3;
 * docs/hardening.md. Keyed by the login id as typed, whether or not such a user exists, so a refusal tells
 * nothing about which login ids exist; keyed by client too, so one application's attacker
 * cannot lock the user out of the others (in part). Global per login id, not per address, as
 * FusionAuth's failed-authentication lock is: the per-address limit is in login-guard.ts.
 */
// A bound on memory under a spray of made-up login ids: the oldest entry goes first.
const MAX_ENTRIES = 100_000;

interface Failures {
  count: number;
  lockedUntil: number;
}

export interface LoginThrottle {
  /** Milliseconds until the lock ends; 0 when not locked: while locked, the password is not even checked. */
  lockedForMs(clientId: string, loginId: string, now: number): number;
  /** A failed attempt; the limit-th consecutive one starts the lockout. */
  failed(clientId: string, loginId: string, now: number): void;
  /** A successful login clears the count. */
  succeeded(clientId: string, loginId: string): void;
}

/** In memory: a restart forgets the counts, which is what a development server wants. */
export function createLoginThrottle(maxFailures: number, lockoutMs: number): LoginThrottle {
  const failures = new Map<string, Failures>();
  const key = (clientId: string, loginId: string) => `${clientId}\n${lookupKey(loginId)}`;
  const lockedForMs = (clientId: string, loginId: string, now: number) => {
    const entry = failures.get(key(clientId, loginId));
    if (!entry || entry.lockedUntil === 0) return 0;
    if (entry.lockedUntil > now) return entry.lockedUntil - now;
    failures.delete(key(clientId, loginId));
    return 0;
  };
  return {
    lockedForMs,
    failed(clientId, loginId, now) {
      const k = key(clientId, loginId);
      const entry = failures.get(k) ?? { count: 0, lockedUntil: 0 };
      if (!failures.has(k) && failures.size >= MAX_ENTRIES) failures.delete(failures.keys().next().value!);
      entry.count += 1;
      if (entry.count >= maxFailures) entry.lockedUntil = now + lockoutMs;
      failures.set(k, entry);
    },
    succeeded(clientId, loginId) {
      failures.delete(key(clientId, loginId));
    },
  };
}
