import { refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { emitEvent, withEvents, type EventInput } from '../events/emit.js';
import { userEvent } from '../events/payloads.js';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import type { Application } from '../model/application.js';
import type { GroupMember } from '../model/group.js';
import { passwordRulesOf } from '../model/password-rules.js';
import { buildUser, type User, type UserDraft } from '../model/user.js';
import type { Standin } from '../standin.js';
import type { Stores } from '../store/index.js';
import { joinGroupsOnCreate, plannedMemberships } from './group-members.js';
import { emailSetPassword } from './set-password-email.js';
import { userWithRegistrations } from './user-view.js';

export interface CreateUserOptions {
  /** More writes in the same transaction (the combined create's registration). */
  also?: (user: User) => void;
  /** The webhook events of the create, given the group memberships about to be written; `user.create` when left out. */
  events?: (user: User, memberships: GroupMember[]) => EventInput[];
  /** Email the user a link to choose their password (manage/set-password-email.ts), with this application's template if any. */
  setPasswordEmail?: { application: Application | undefined };
  /** The request's `event.info` (routes/api/event-info.ts), on the default `user.create`. */
  info?: JsonObject;
  /**
   * The user is created by a login through an identity provider, which vouches for them: no password, as FusionAuth
   * creates such users (docs/identity-providers.md).
   */
  withoutPassword?: boolean;
}

/**
 * Checks a user, hashes the password off the event loop, then checks again and writes in one transaction:
 * a request that took the email while we hashed gets the duplicate error, never a half-written user.
 * `user.create` (or the `events` given) goes to the webhooks before the write: a transactional one can refuse it
 * (docs/webhooks.md). The events are given the group memberships about to be written with the user, so that their
 * `user` is the one the User API answers right after.
 */
export async function createUser(
  standin: Standin,
  tenantId: string,
  id: string | undefined,
  input: unknown,
  options: CreateUserOptions = {},
): Promise<User> {
  const { also, setPasswordEmail } = options;
  const events =
    options.events ??
    ((user: User, memberships: GroupMember[]) => [
      userEvent(standin.stores, 'user.create', user, infoOf(options.info), { registrations: [], memberships }),
    ]);
  const userId = id ?? randomUUID();
  const now = standin.config.now();
  const check = () => {
    refuseDuplicateId(standin.stores.users.get(userId) !== undefined, 'userId', 'A user', userId);
    const passwordRules = passwordRulesOf(standin.stores.tenants.get(tenantId));
    const isTaken = takenBy(standin.stores, tenantId, userId);
    return buildUser(input, {
      id: userId,
      tenantId,
      now,
      hasPassword: options.withoutPassword === true,
      isTaken,
      passwordRules,
      passwordSetByEmail: setPasswordEmail !== undefined,
    });
  };
  const { password } = check();
  const memberships = plannedMemberships(standin.stores, now, { id: userId, tenantId }, input);
  const hash = password === undefined ? undefined : await standin.passwords.hash(password);
  const { user: draft } = check();
  return withEvents(standin, events(draft, memberships), () =>
    standin.stores.db.transaction(() => {
      const { user } = check();
      standin.stores.users.insert(user, hash);
      joinGroupsOnCreate(standin.stores, now, user, memberships);
      also?.(user);
      if (setPasswordEmail && user.email !== undefined) emailSetPassword(standin, user, setPasswordEmail.application);
      return user;
    })(),
  );
}

/**
 * PUT replaces the user with `input`; PATCH merges `input` into it (RFC 7396). A password given is rehashed.
 * `active` and `lastLoginInstant` stay Standin's: only a deactivation (`DELETE`) and `reactivate` change the one,
 * only a login the other (FusionAuth User API: neither is a request field).
 */
export async function updateUser(
  standin: Standin,
  existing: User,
  input: unknown,
  mode: 'replace' | 'merge',
  {
    reactivate = false,
    info,
  }: {
    reactivate?: boolean;
    info?: JsonObject;
  } = {},
): Promise<User> {
  const { stores } = standin;
  const now = standin.config.now();
  const next = withServerFields(mode === 'merge' ? mergePatch(existing, input) : input, existing, reactivate);
  const check = (): UserDraft =>
    buildUser(next, {
      id: existing.id,
      tenantId: existing.tenantId,
      now,
      existing,
      // An update never asks for a password, even of a user who has none yet (one waiting on a set-password email, or
      // made by an identity provider's login): "If you do not want to change the User's password omit this field"
      // (https://fusionauth.io/docs/apis/users/update).
      hasPassword: true,
      isTaken: takenBy(stores, existing.tenantId, existing.id),
      passwordRules: passwordRulesOf(stores.tenants.get(existing.tenantId)),
    });
  const { password } = check();
  const hash = password === undefined ? undefined : await standin.passwords.hash(password);
  // user.update carries the user before the change as `original` (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-update).
  const original = userWithRegistrations(stores, existing);
  const { user: draft } = check();
  const updated = await withEvents(
    standin,
    [userEvent(stores, 'user.update', draft, { original, ...infoOf(info) }), ...activationEvents(stores, existing, draft, info)],
    () =>
      stores.db.transaction(() => {
        const { user } = check();
        stores.users.update(user);
        if (hash !== undefined) stores.users.setPasswordHash(user.id, hash);
        return user;
      })(),
  );
  // After the commit, never transactional (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-email-update).
  if (updated.email !== existing.email)
    emitEvent(standin, () => userEvent(stores, 'user.email.update', updated, { previousEmail: existing.email ?? null, ...infoOf(info) }));
  return updated;
}

/** `input` with the user's `active` (set by `reactivate` only) and `lastLoginInstant` as Standin keeps them. */
function withServerFields(input: unknown, existing: User, reactivate: boolean): unknown {
  if (!isObject(input)) return input;
  const { lastLoginInstant: _given, ...rest } = input;
  return {
    ...rest,
    active: reactivate || existing.active,
    ...(existing.lastLoginInstant === undefined ? {} : { lastLoginInstant: existing.lastLoginInstant }),
  };
}

/** An update that changes `active` is also a deactivation or a reactivation. */
function activationEvents(stores: Stores, existing: User, next: User, info: JsonObject | undefined): EventInput[] {
  if (existing.active === next.active) return [];
  return [userEvent(stores, next.active ? 'user.reactivate' : 'user.deactivate', next, infoOf(info))];
}

/** An event's `info` member, when the request gave one. */
function infoOf(info: JsonObject | undefined): JsonObject {
  return info === undefined ? {} : { info };
}

/**
 * FusionAuth's DELETE deactivates unless `hardDelete=true`: `user.delete` or `user.deactivate` goes to the
 * webhooks before the write (https://fusionauth.io/docs/extend/events-and-webhooks/events/user-delete).
 */
export async function deleteUser(standin: Standin, existing: User, hardDelete: boolean, info?: JsonObject): Promise<void> {
  await deleteUsers(standin, [existing], hardDelete, info);
}

/**
 * `deleteUser` for many users at once (FusionAuth's Bulk Delete Users API): one `user.delete` or `user.deactivate`
 * per user, as for a single delete, all sent before the one transaction that writes every user, so a webhook that
 * refuses any of them leaves every user as it was. A user deleted meanwhile is skipped; one deactivated is
 * re-read, so that a change made while the webhooks answered is not overwritten.
 */
export async function deleteUsers(standin: Standin, users: readonly User[], hardDelete: boolean, info?: JsonObject): Promise<void> {
  const { stores } = standin;
  const now = standin.config.now();
  if (hardDelete) {
    await withEvents(
      standin,
      users.map((user) => userEvent(stores, 'user.delete', user, infoOf(info))),
      () => {
        stores.db
          .transaction(() => {
            for (const user of users) stores.users.delete(user.id);
          })
          .immediate();
      },
    );
    return;
  }
  const deactivated = (user: User): User => ({ ...user, active: false, lastUpdateInstant: now });
  await withEvents(
    standin,
    users.filter((user) => user.active).map((user) => userEvent(stores, 'user.deactivate', deactivated(user), infoOf(info))),
    () => {
      stores.db
        .transaction(() => {
          for (const { id } of users) {
            const current = stores.users.get(id);
            if (current) stores.users.update(deactivated(current));
          }
        })
        .immediate();
    },
  );
}

function takenBy(stores: Stores, tenantId: string, userId: string) {
  return (field: 'email' | 'username', value: string) => {
    const holder = stores.users.idHolding(tenantId, field, value);
    return holder !== undefined && holder !== userId;
  };
}
