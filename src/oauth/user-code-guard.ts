import { OAuthError, OAuthRetryLater } from '../errors.js';
import type { Standin } from '../standin.js';
import { addressKey, createAttemptWindow, type AttemptWindow } from './attempt-window.js';

const MINUTE = 60_000;
const windows = new WeakMap<Standin, AttemptWindow>();

function windowOf(standin: Standin): AttemptWindow {
  const fresh = () => createAttemptWindow(standin.config.limits.failedLoginsPerAddress, MINUTE);
  let window = windows.get(standin);
  if (!window) {
    windows.set(standin, (window = fresh()));
    // Once per Standin: the control API's reset forgets every count (docs/test-control.md).
    standin.control.onReset(() => windows.set(standin, fresh()));
  }
  return window;
}

/**
 * Runs a check of a typed user code with a bound on guessing (RFC 8628 §5.1: a short user code must be protected
 * against brute force): after `limits.failedLoginsPerAddress` unknown or expired user codes from one client address in
 * a minute, every user-code check from it answers 429 `temporarily_unavailable` with Retry-After until that minute
 * ends. The device page, `device/validate`, `device/user-code` and `device/approve` share the count.
 */
export function checkUserCodeGuarded<T>(standin: Standin, ip: string, check: () => T): T {
  const window = windowOf(standin);
  const now = standin.config.now();
  const key = addressKey(ip);
  const wait = window.retryAfterMs(key, now);
  if (wait > 0) {
    const seconds = Math.max(1, Math.ceil(wait / 1000));
    throw new OAuthRetryLater('too_many_attempts', `Too many unknown user codes from this address; try again in ${seconds} seconds.`, seconds);
  }
  try {
    return check();
  } catch (error) {
    if (error instanceof OAuthError && (error.reason === 'invalid_user_code' || error.reason === 'user_code_expired')) window.failed(key, now);
    throw error;
  }
}
