import { randomBytes } from 'node:crypto';
import { ApiError, FieldErrors } from '../errors.js';
import { emitEvent } from '../events/emit.js';
import { userEvent } from '../events/payloads.js';
import { isObject, type JsonObject } from '../model/json.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { tenantEmailConfiguration } from '../email/send-templated-email.js';
import { markEmailVerified } from './email-verification.js';
import { trustTokenRequired } from './trust-tokens.js';
import { PASSWORD_HISTORY_KEPT } from '../store/password-history.js';
import { newSecret } from '../store/secrets.js';

/** Whether `password` is the user's current password (Change Password API `currentPassword`). */
export async function isCurrentPassword(standin: Standin, user: User, password: unknown): Promise<boolean> {
  const hash = standin.stores.users.passwordHash(user.id);
  return typeof password === 'string' && hash !== undefined && (await standin.passwords.verify(hash, password));
}

/**
 * Sets a user's password (Change Password API). Hashes off the event loop, then in one write: the new hash,
 * `passwordLastUpdateInstant`, `passwordChangeRequired` cleared, every outstanding changePasswordId expired,
 * and, when the tenant's `refreshTokenRevocationPolicy.onPasswordChanged` says so, every refresh token of the
 * user revoked ("if a user is using a refresh token they will be forced to re-authenticate").
 *
 * With `oneTimePassword`, the same write also stores a one-time password and returns it: FusionAuth answers the
 * changePasswordId and JWT forms with one, so the app can log the user straight back in through the Login API.
 * It lives for the tenant's `externalIdentifierConfiguration.oneTimePasswordTimeToLiveInSeconds` (FusionAuth's
 * default: 60) on Standin's clock, is kept hashed, and logs in once. A `trustToken` (checked by the caller with
 * manage/trust-tokens.ts `requireTrust`) is used up in the same write.
 */
export async function setPassword(
  standin: Standin,
  user: User,
  password: string,
  oneTimePassword?: { refreshAllowed: boolean },
  use?: { changePasswordId: string },
  trustToken?: string,
): Promise<string | undefined> {
  const { stores } = standin;
  const hash = await standin.passwords.hash(password);
  const now = standin.config.now();
  const value = oneTimePassword ? newSecret() : undefined;
  const updated = stores.db
    .transaction(() => {
      // The emailed link works once: of two submits racing with the same changePasswordId, only the one whose
      // delete removes it sets a password; the other is a 404 and writes nothing.
      if (use && !stores.changePasswordIds.consume(use.changePasswordId, user.id, now)) throw ApiError.notFound();
      // A trust token proves the second factor for one change: of two changes racing with it, one uses it up.
      if (trustToken !== undefined && !stores.twoFactor.takeTrustToken(trustToken, user.id, now)) throw trustTokenRequired();
      const current = stores.users.get(user.id);
      if (!current) return undefined;
      const replaced = stores.users.passwordHash(user.id);
      if (replaced !== undefined) stores.passwordHistory.add(user.id, replaced, now);
      stores.users.setPasswordHash(user.id, hash);
      const updated = { ...current, passwordChangeRequired: false, passwordLastUpdateInstant: now, lastUpdateInstant: now };
      stores.users.update(updated);
      // A change through the emailed link proves the address: the tenant's implicitEmailVerificationAllowed
      // (default true; https://fusionauth.io/docs/apis/tenants) verifies it.
      const tenant = stores.tenants.get(user.tenantId);
      if (use && !updated.verified && tenant && tenantEmailConfiguration(tenant).implicitEmailVerificationAllowed)
        markEmailVerified(standin, updated, now);
      stores.changePasswordIds.deleteOfUser(user.id);
      if (tenant?.jwtConfiguration.refreshTokenRevocationPolicy.onPasswordChanged === true) stores.refreshTokens.deleteOfUser(user.id);
      if (value !== undefined) {
        const ttl = tenant?.externalIdentifierConfiguration.oneTimePasswordTimeToLiveInSeconds;
        const seconds = typeof ttl === 'number' && ttl > 0 ? ttl : 60;
        stores.oneTimePasswords.purgeExpired(now);
        stores.oneTimePasswords.insert(value, user.id, now + seconds * 1000, oneTimePassword!.refreshAllowed);
      }
      return stores.users.get(user.id);
    })
    .immediate();
  // https://fusionauth.io/docs/extend/events-and-webhooks/events/user-password-update; a change through a
  // changePasswordId is also the end of a reset (user-password-reset-success).
  if (updated) {
    emitEvent(standin, userEvent(stores, 'user.password.update', updated));
    if (use) emitEvent(standin, userEvent(stores, 'user.password.reset.success', updated));
  }
  return value;
}

/**
 * Whether `password` is one the tenant's `passwordValidationRules.rememberPreviousPasswords` forbids: the user's
 * current password or one of the `count - 1` before it (Tenant API; the theme's "Must not match the previous %s
 * passwords"). A `count` left out counts 1. Checked against argon2 hashes, so it is async.
 */
export async function isPreviouslyUsed(standin: Standin, user: User, password: string): Promise<boolean> {
  const count = rememberedPasswords(standin.stores.tenants.get(user.tenantId));
  if (count === 0) return false;
  const current = standin.stores.users.passwordHash(user.id);
  const hashes = [...(current === undefined ? [] : [current]), ...standin.stores.passwordHistory.recent(user.id, count - 1)].slice(0, count);
  for (const hash of hashes) if (await standin.passwords.verify(hash, password)) return true;
  return false;
}

/** How many passwords the tenant remembers: 0 when `rememberPreviousPasswords` is off. */
function rememberedPasswords(tenant: JsonObject | undefined): number {
  const rules = isObject(tenant?.passwordValidationRules) ? tenant.passwordValidationRules : {};
  const remember = isObject(rules.rememberPreviousPasswords) ? rules.rememberPreviousPasswords : {};
  if (remember.enabled !== true) return 0;
  return typeof remember.count === 'number' && Number.isInteger(remember.count) && remember.count >= 1
    ? Math.min(remember.count, PASSWORD_HISTORY_KEPT + 1)
    : 1;
}

/**
 * Starts FusionAuth's forgot-password workflow without a message: a new changePasswordId (or the caller's own),
 * valid for the tenant's `changePasswordIdTimeToLiveInSeconds` (default 600), or, for the set-password email of a
 * new user (`setup`), its `setupPasswordIdTimeToLiveInSeconds` (default 86400; https://fusionauth.io/docs/apis/tenants).
 * `requiredAtLogin` marks one a login made because the user must change their password
 * (manage/required-password-change.ts).
 */
export function startChangePassword(
  standin: Standin,
  user: User,
  given: unknown,
  state: JsonObject | undefined,
  purpose?: 'requiredAtLogin' | 'setup',
): string {
  const { stores } = standin;
  const tenant = stores.tenants.get(user.tenantId);
  const lifetimes = (tenant?.externalIdentifierConfiguration ?? {}) as Record<string, unknown>;
  const ttl = purpose === 'setup' ? lifetimes.setupPasswordIdTimeToLiveInSeconds : lifetimes.changePasswordIdTimeToLiveInSeconds;
  const seconds = typeof ttl === 'number' && ttl > 0 ? ttl : purpose === 'setup' ? 86400 : 600;
  const id = typeof given === 'string' && given !== '' ? given : randomBytes(32).toString('base64url');
  const now = standin.config.now();
  stores.changePasswordIds.purgeExpired(now);
  if (stores.changePasswordIds.find(id, now)) {
    new FieldErrors().add('changePasswordId', 'duplicate', 'The [changePasswordId] is already in use.').throwIfAny();
  }
  stores.changePasswordIds.insert(id, user.id, now + seconds * 1000, {
    ...(state === undefined ? {} : { state }),
    ...(purpose === 'requiredAtLogin' ? { requiredAtLogin: true as const } : {}),
  });
  return id;
}
