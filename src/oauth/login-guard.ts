import { emitEvent } from '../events/emit.js';
import { loginFailedEvent } from '../events/payloads.js';
import { PasswordsBusyError } from '../passwords/password-hasher.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { addressKey } from './attempt-window.js';
import type { PasswordCheck } from './authenticate-password.js';
import { authenticateThroughConnectors } from './connector-login.js';
import { guardOf, seconds, standingRefusal, type Refusal } from './login-counts.js';

/** One password login on any of the three surfaces: the hosted form, the password grant, `/api/login`. */
export interface LoginAttempt {
  /** `request.ip`: the socket's peer (trustProxy is off), never X-Forwarded-For. */
  ip: string;
  /** What the per-login-id lockout is scoped to: the application id (or `tenant:<id>` for /api/login without one). */
  clientKey: string;
  tenantId: string;
  loginId: string;
  password: string;
  /**
   * Whether a second factor will be asked of this user: then the password alone does not reset the failure
   * count, so a thief holding the password cannot reset it between guesses at codes (docs/two-factor.md).
   */
  secondFactorFollows?: (user: User) => boolean | Promise<boolean>;
}

export type GuardedLogin = PasswordCheck | { ok: false; refusal: Refusal };

/**
 * A password login under Standin's brute-force rules (RFC 6749 §4.3.2; docs/hardening.md):
 * - per client address, at most `limits.failedLoginsPerAddress` failures a minute across all three
 *   surfaces; a success does not reset it (else one real account would launder a guessing run);
 * - per (client, login id), `limits.lockoutFailures` consecutive failures lock it for `limits.lockoutSeconds`,
 *   the right password included; a success resets the count;
 * - a refused attempt checks no password and counts nothing;
 * - a failure counts when its check ends, so parallel logins of one user (a CI suite's workers) never lock
 *   each other out; parallel guesses can overshoot a limit by what is in flight, which the password
 *   queue bounds (limits.passwordQueue plus one per core).
 */
export async function guardedLogin(standin: Standin, attempt: LoginAttempt): Promise<GuardedLogin> {
  const guard = guardOf(standin);
  const { perAddress, perLoginId } = guard;
  const now = standin.config.now();
  const address = addressKey(attempt.ip);
  const refusal = standingRefusal(guard, address, attempt, now);
  if (refusal) return { ok: false, refusal };

  let check: PasswordCheck;
  try {
    check = await authenticateThroughConnectors(standin, {
      tenantId: attempt.tenantId,
      loginId: attempt.loginId,
      password: attempt.password,
      applicationId: attempt.clientKey.startsWith('tenant:') ? undefined : attempt.clientKey,
      ip: attempt.ip,
    });
  } catch (error) {
    if (!(error instanceof PasswordsBusyError)) throw error;
    // Not a guess: nothing was checked, so nothing counts.
    return { ok: false, refusal: { kind: 'busy', retryAfterSeconds: error.retryAfterSeconds } };
  }
  // The clock as the check ends: a window may have turned while argon2 ran.
  const ended = standin.config.now();
  if (check.ok) {
    if (!(await attempt.secondFactorFollows?.(check.user))) perLoginId.succeeded(attempt.clientKey, attempt.loginId);
  } else {
    perAddress.failed(address, ended);
    perLoginId.failed(attempt.clientKey, attempt.loginId, ended);
    // Only for a user that exists (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-login-failed).
    emitEvent(standin, () => {
      const user = standin.stores.users.byLoginId(attempt.tenantId, attempt.loginId);
      const applicationId = attempt.clientKey.startsWith('tenant:') ? undefined : attempt.clientKey;
      return user ? loginFailedEvent(standin.stores, user, applicationId, attempt.ip) : undefined;
    });
  }
  return check;
}

/**
 * A sign-up on the hosted registration page (`POST /oauth2/register`) under the login form's per-address rule
 * (docs/hardening.md): every attempt that would hash a password and create a user counts, success or not (each
 * one costs an argon2 hash, and "An account already exists" answers tell which addresses exist), at most
 * `limits.failedLoginsPerAddress` a minute per client address; past that, refused until the window ends.
 * Counted in a window of its own, so signing up does not use up the address's login budget.
 */
export function registrationAttempt(standin: Standin, ip: string): { ok: true } | { ok: false; refusal: Refusal } {
  const { registrationsPerAddress } = guardOf(standin);
  const now = standin.config.now();
  const address = addressKey(ip);
  const wait = registrationsPerAddress.retryAfterMs(address, now);
  if (wait > 0) return { ok: false, refusal: { kind: 'address', retryAfterSeconds: seconds(wait) } };
  registrationsPerAddress.failed(address, now);
  return { ok: true };
}

/** The second step of a login: its lockout key (the password's) and the client address. */
export interface SecondFactorAttempt {
  ip: string;
  clientKey: string;
  loginId: string;
}

/**
 * A two-factor code checked under the same rules as the password before it (docs/two-factor.md): refused
 * unchecked while the address or the login id is locked out; a wrong code counts as a failed login for both;
 * a right one resets the login id's count.
 */
export function guardedSecondFactor(
  standin: Standin,
  attempt: SecondFactorAttempt,
  check: () => boolean,
): { ok: boolean } | { ok: false; refusal: Refusal } {
  const guard = guardOf(standin);
  const { perAddress, perLoginId } = guard;
  const now = standin.config.now();
  const address = addressKey(attempt.ip);
  const refusal = standingRefusal(guard, address, attempt, now);
  if (refusal) return { ok: false, refusal };
  if (check()) {
    perLoginId.succeeded(attempt.clientKey, attempt.loginId);
    return { ok: true };
  }
  perAddress.failed(address, now);
  perLoginId.failed(attempt.clientKey, attempt.loginId, now);
  return { ok: false };
}
