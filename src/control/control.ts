import type { Stores } from '../store/index.js';
import { takeSnapshot, type Snapshot } from '../store/snapshot.js';
import { createTokenAdmin, type RefreshTokenFamily, type SsoSessionInfo, type TokenCounts, type TokenTarget } from '../store/token-admin.js';
import type { ControlClock } from './clock.js';
import type { FaultList } from './faults.js';

/**
 * The test controls (docs/test-control.md): the clock, faults, reset, revoke/expire and listings. The same object
 * serves the HTTP control API under `/_standin/` and the value `startStandin()` returns, so both do the same thing.
 */
export interface Control {
  clock: ControlClock;
  faults: FaultList;
  /**
   * Back to the state right after start-up (the kickstart, on a fresh database): every table's rows as they
   * were, no faults, the clock on its base, and whatever registered with `onReset` (the login and
   * client-secret attempt counts) forgotten. Keys do not change.
   * Returns how long the database part took, in milliseconds.
   */
  reset: () => { ms: number };
  /** Deletes what the target names; see TokenTarget. */
  revoke: (target: TokenTarget) => TokenCounts;
  /** Makes what the target names expired now, at Standin's clock, keeping the rows to look at. */
  expire: (target: TokenTarget) => TokenCounts;
  /** SSO sessions, oldest first, optionally of one user. */
  sessions: (filter?: { userId?: string }) => SsoSessionInfo[];
  /** Refresh token families, oldest first, optionally of one user and/or application. */
  refreshTokens: (filter?: { userId?: string; applicationId?: string }) => RefreshTokenFamily[];
  /** Runs `clear` on each reset: for other in-memory state (rate limits, caches) to be forgotten too. */
  onReset: (clear: () => void) => void;
  /** Takes the snapshot reset returns to; buildApp calls it once, after seeding, before any request but `/api/status`. */
  snapshot: () => Promise<void>;
  /** Deletes what the snapshot keeps on disk (store/snapshot.ts); when Standin closes. */
  discardSnapshot: () => void;
}

export function createControl(stores: Stores, clock: ControlClock, faults: FaultList): Control {
  const admin = createTokenAdmin(stores.db);
  const clears: (() => void)[] = [];
  let snapshot: Snapshot | undefined;

  return {
    clock,
    faults,
    async snapshot() {
      const taken = await takeSnapshot(stores.db);
      snapshot?.discard();
      snapshot = taken;
    },
    discardSnapshot() {
      snapshot?.discard();
    },
    reset() {
      if (!snapshot) throw new Error('no snapshot to reset to: Standin has not finished starting');
      const ms = snapshot.restore();
      faults.clear();
      clock.reset();
      for (const clear of clears) clear();
      return { ms };
    },
    revoke: (target) => admin.revoke(target, clock.now()),
    expire: (target) => admin.expire(target, clock.now()),
    sessions: (filter = {}) => admin.ssoSessions(filter, clock.now()),
    refreshTokens: (filter = {}) => admin.refreshTokenFamilies(filter, clock.now()),
    onReset(clear) {
      clears.push(clear);
    },
  };
}
