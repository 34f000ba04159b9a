import { refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { mergePatch, type JsonObject } from '../model/json.js';
import { buildUserAction, type UserAction } from '../model/user-action.js';
import type { Standin } from '../standin.js';
import { requireMember } from './request-body.js';

/**
 * FusionAuth's User Action API (https://fusionauth.io/docs/apis/user-actions): `{userAction}` in and out. Checked and
 * written in one immediate transaction, so two creates racing for one id cannot both write.
 */
export function createUserAction(standin: Standin, id: string | undefined, body: JsonObject): UserAction {
  const { stores } = standin;
  const input = requireMember(body, 'userAction');
  const userActionId = id ?? randomUUID();
  const now = standin.config.now();
  return stores.db
    .transaction(() => {
      refuseDuplicateId(stores.userActions.get(userActionId) !== undefined, 'userActionId', 'A User Action', userActionId);
      const action = buildUserAction(input, { id: userActionId, now });
      stores.userActions.insert(action);
      return action;
    })
    .immediate();
}

/** PUT replaces the user action; PATCH merges `userAction` into it (RFC 7396). Its `active` is kept either way. */
export function updateUserAction(standin: Standin, existing: UserAction, body: JsonObject, mode: 'replace' | 'merge'): UserAction {
  const input = requireMember(body, 'userAction');
  const given = mode === 'merge' ? (mergePatch(existing, input) as JsonObject) : input;
  const action = buildUserAction(given, { id: existing.id, now: standin.config.now(), existing });
  standin.stores.userActions.update(action);
  return action;
}

/**
 * A soft delete makes the user action inactive: no new action can be taken with it, and `?reactivate=true` brings it
 * back. Actions already taken with it stay, and stay in force until they end.
 */
export function setUserActionActive(standin: Standin, existing: UserAction, active: boolean): UserAction {
  const action = { ...existing, active, lastUpdateInstant: standin.config.now() };
  standin.stores.userActions.update(action);
  return action;
}
