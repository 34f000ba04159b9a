import { refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { mergePatch, type JsonObject } from '../model/json.js';
import { buildUserActionReason, type UserActionReason } from '../model/user-action-reason.js';
import type { Standin } from '../standin.js';
import { requireMember } from './request-body.js';

/**
 * FusionAuth's User Action Reason API (https://fusionauth.io/docs/apis/user-action-reasons): `{userActionReason}` in
 * and out. Checked and written in one immediate transaction, so two creates racing for one id cannot both write.
 */
export function createUserActionReason(standin: Standin, id: string | undefined, body: JsonObject): UserActionReason {
  const { stores } = standin;
  const input = requireMember(body, 'userActionReason');
  const reasonId = id ?? randomUUID();
  const now = standin.config.now();
  return stores.db
    .transaction(() => {
      refuseDuplicateId(stores.userActionReasons.get(reasonId) !== undefined, 'userActionReasonId', 'A User Action Reason', reasonId);
      const reason = buildUserActionReason(input, { id: reasonId, now });
      stores.userActionReasons.insert(reason);
      return reason;
    })
    .immediate();
}

/** PUT replaces the reason; PATCH merges `userActionReason` into it (RFC 7396). */
export function updateUserActionReason(standin: Standin, existing: UserActionReason, body: JsonObject, mode: 'replace' | 'merge'): UserActionReason {
  const input = requireMember(body, 'userActionReason');
  const given = mode === 'merge' ? (mergePatch(existing, input) as JsonObject) : input;
  const reason = buildUserActionReason(given, { id: existing.id, now: standin.config.now(), existing });
  standin.stores.userActionReasons.update(reason);
  return reason;
}
