import { randomBytes } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { emitEvent } from '../events/emit.js';
import { userEvent } from '../events/payloads.js';
import type { JsonObject } from '../model/json.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
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
 * default: 60) on Standin's clock, is kept hashed, and logs in once.
 */
export async function setPassword(
  standin: Standin,
  user: User,
  password: string,
  oneTimePassword?: { refreshAllowed: boolean },
  how: 'change' | 'reset' = 'change',
): Promise<string | undefined> {
  const { stores } = standin;
  const hash = await standin.passwords.hash(password);
  const now = standin.config.now();
  const value = oneTimePassword ? newSecret() : undefined;
  const updated = stores.db
    .transaction(() => {
      const current = stores.users.get(user.id);
      if (!current) return undefined;
      stores.users.setPasswordHash(user.id, hash);
      stores.users.update({ ...current, passwordChangeRequired: false, passwordLastUpdateInstant: now, lastUpdateInstant: now });
      stores.changePasswordIds.deleteOfUser(user.id);
      const tenant = stores.tenants.get(user.tenantId);
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
    if (how === 'reset') emitEvent(standin, userEvent(stores, 'user.password.reset.success', updated));
  }
  return value;
}

/**
 * Starts FusionAuth's forgot-password workflow without a message: a new changePasswordId (or the caller's own),
 * valid for the tenant's `changePasswordIdTimeToLiveInSeconds` (default 600).
 */
export function startChangePassword(standin: Standin, user: User, given: unknown, state: JsonObject | undefined): string {
  const { stores } = standin;
  const tenant = stores.tenants.get(user.tenantId);
  const ttl = tenant?.externalIdentifierConfiguration.changePasswordIdTimeToLiveInSeconds;
  const seconds = typeof ttl === 'number' && ttl > 0 ? ttl : 600;
  const id = typeof given === 'string' && given !== '' ? given : randomBytes(32).toString('base64url');
  const now = standin.config.now();
  stores.changePasswordIds.purgeExpired(now);
  if (stores.changePasswordIds.find(id, now)) {
    new FieldErrors().add('changePasswordId', 'duplicate', 'The [changePasswordId] is already in use.').throwIfAny();
  }
  stores.changePasswordIds.insert(id, user.id, now + seconds * 1000, state);
  return id;
}
