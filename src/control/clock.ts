/**
 * Standin's clock for tests: the configured base clock (`config.now`, `Date.now` by default) plus an offset
 * the control API moves. Every expiry and `iat` reads `config.now()`, which buildApp points here, so codes,
 * refresh tokens, SSO sessions and newly issued JWTs all follow a move (docs/test-control.md, "Clock").
 */
export interface ControlClock {
  /** Milliseconds since the epoch: the base clock plus the offset. */
  now: () => number;
  /** How far the clock has been moved from the base clock, in milliseconds. */
  offsetMs: () => number;
  /** Moves the clock by `seconds` (negative goes back); returns the new now. */
  advance: (seconds: number) => number;
  /** Makes now read `epochMs` from this moment on, the base clock still ticking; returns the new now. */
  set: (epochMs: number) => number;
  /** Back to the base clock. */
  reset: () => void;
}

export function createControlClock(base: () => number): ControlClock {
  let offset = 0;
  const now = () => base() + offset;
  return {
    now,
    offsetMs: () => offset,
    advance(seconds) {
      checkFinite('seconds * 1000', seconds * 1000);
      offset += Math.round(seconds * 1000);
      return now();
    },
    set(epochMs) {
      checkFinite('epochMs', epochMs);
      offset = Math.round(epochMs) - base();
      return now();
    },
    reset() {
      offset = 0;
    },
  };
}

// Beyond ±100 million days (ECMA-262 §21.4.1.22, the Date range) timestamps stop being dates.
const MAX_DATE_MS = 8.64e15;

function checkFinite(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > MAX_DATE_MS) {
    throw new RangeError(`${name} must be a finite number within the Date range`);
  }
}
