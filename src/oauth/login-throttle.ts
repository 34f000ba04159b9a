import { lookupKey } from '../model/user.js';
import type { Stores } from '../store/index.js';

/**
 * Consecutive failed password checks per (client, login id) before further attempts are refused, and how
 * long the refusal lasts. RFC 6749 §4.3.2 ("MUST protect the endpoint against brute force attacks"),
 * RFC 6819 §5.1.4.2.3; security checklist F2, K1. Keyed by the login id as typed, whether or not such a user
 * exists, so a refusal tells nothing about which login ids exist (checklist K3); keyed by client too, so one
 * application's attacker cannot lock the user out of the others (checklist K2, in part). Fixed for now.
 */
export const MAX_CONSECUTIVE_FAILURES = 10;
export const LOCKOUT_MS = 5 * 60_000;
// A bound on memory under a spray of made-up login ids: the oldest entry goes first.
const MAX_ENTRIES = 100_000;

interface Failures {
  count: number;
  lockedUntil: number;
}

export interface LoginThrottle {
  /** True while this (client, login id) is refused: the password is not even checked. */
  isLocked(clientId: string, loginId: string, now: number): boolean;
  /** A failed attempt; the limit-th consecutive one starts the lockout. */
  failed(clientId: string, loginId: string, now: number): void;
  /** A successful login clears the count. */
  succeeded(clientId: string, loginId: string): void;
}

// One throttle per Standin (per store set): instances in one process, as in a test suite, share nothing.
const throttles = new WeakMap<Stores, LoginThrottle>();

export function loginThrottleOf(stores: Stores): LoginThrottle {
  let throttle = throttles.get(stores);
  if (!throttle) throttles.set(stores, (throttle = createLoginThrottle()));
  return throttle;
}

/** In memory: a restart forgets the counts, which is what a development server wants. */
export function createLoginThrottle(): LoginThrottle {
  const failures = new Map<string, Failures>();
  const key = (clientId: string, loginId: string) => `${clientId}\n${lookupKey(loginId)}`;
  return {
    isLocked(clientId, loginId, now) {
      const entry = failures.get(key(clientId, loginId));
      if (!entry || entry.lockedUntil === 0) return false;
      if (entry.lockedUntil > now) return true;
      failures.delete(key(clientId, loginId));
      return false;
    },
    failed(clientId, loginId, now) {
      const k = key(clientId, loginId);
      const entry = failures.get(k) ?? { count: 0, lockedUntil: 0 };
      if (!failures.has(k) && failures.size >= MAX_ENTRIES) failures.delete(failures.keys().next().value!);
      entry.count += 1;
      if (entry.count >= MAX_CONSECUTIVE_FAILURES) entry.lockedUntil = now + LOCKOUT_MS;
      failures.set(k, entry);
    },
    succeeded(clientId, loginId) {
      failures.delete(key(clientId, loginId));
    },
  };
}
