import { randomUUID } from 'node:crypto';
import { ApiError, FieldErrors } from '../errors.js';
import { isObject, isUuid, type JsonObject } from '../model/json.js';
import { optionNames, type UserAction } from '../model/user-action.js';
import type { UserActionReason } from '../model/user-action-reason.js';
import { isActiveAt, type HistoryItem, type UserActionLog } from '../model/user-action-log.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { requireBody, requireMember } from './request-body.js';

/** Whether the request may see a user of this tenant (routes/api/tenant-scope.ts). */
export type TenantVisible = (tenantId: string) => boolean;

/**
 * `POST /api/user/action` (https://fusionauth.io/docs/apis/actioning-users, "Take an Action on a User"): the user
 * action `action.userActionId` taken by `action.actionerUserId` on `action.actioneeUserId`. A time-based action
 * needs its `expiry`, FusionAuth's `9223372036854775807` standing for "until canceled". One that prevents login
 * ends the user's refresh tokens when the tenant's `jwtConfiguration.refreshTokenRevocationPolicy.onLoginPrevented`
 * says so (https://fusionauth.io/docs/apis/tenants), in the same transaction. Nothing is emailed and no `user.action`
 * event is sent (docs/user-actions.md).
 */
export function takeAction(standin: Standin, body: unknown, visible: TenantVisible): UserActionLog {
  const { stores } = standin;
  const input = requireMember(body, 'action');
  const now = standin.config.now();
  // Checked and written in one immediate transaction: the users and the user action cannot go between the two.
  return stores.db
    .transaction((): UserActionLog => {
      const errors = new FieldErrors();
      const actionee = userNamed(standin, input, 'actioneeUserId', errors, visible);
      const actioner = userNamed(standin, input, 'actionerUserId', errors, () => true);
      const userAction = isUuid(input.userActionId) ? stores.userActions.get(input.userActionId.toLowerCase()) : undefined;
      if (input.userActionId === undefined || input.userActionId === null) {
        errors.add('action.userActionId', 'blank', 'You must specify the [action.userActionId] property.');
      } else if (!userAction?.active) {
        errors.add('action.userActionId', 'invalid', 'The [action.userActionId] property does not name an active user action.');
      }
      if (userAction?.temporal) {
        if (input.expiry === undefined || input.expiry === null)
          errors.add('action.expiry', 'blank', 'A time based user action needs an [action.expiry].');
        else if (!Number.isSafeInteger(input.expiry) && !isLongMax(input.expiry))
          errors.add('action.expiry', 'invalid', 'The [action.expiry] property must be an instant in milliseconds since the epoch.');
      }
      if (userAction) checkOption(userAction, input, errors);
      const reason = reasonNamed(standin, input, errors);
      checkCommon(input, errors);
      if (input.applicationIds !== undefined && input.applicationIds !== null) {
        if (!Array.isArray(input.applicationIds) || !input.applicationIds.every((id) => isUuid(id) && stores.applications.get(id.toLowerCase())))
          errors.add('action.applicationIds', 'invalid', 'The [action.applicationIds] property must list the Ids of existing applications.');
      }
      errors.throwIfAny();
      const action = userAction!;
      refuseUnmodelled(action, input);

      const log: UserActionLog = {
        id: randomUUID(),
        actioneeUserId: actionee!.id,
        actionerUserId: actioner!.id,
        userActionId: action.id,
        name: action.name,
        insertInstant: now,
        ...(action.temporal ? { expiry: input.expiry as number } : {}),
        ...(typeof input.comment === 'string' ? { comment: input.comment } : {}),
        ...(typeof input.option === 'string' ? { option: input.option } : {}),
        ...(reason ? { reason: reason.text, reasonCode: reason.code } : {}),
        ...(Array.isArray(input.applicationIds) && input.applicationIds.length > 0
          ? { applicationIds: (input.applicationIds as string[]).map((id) => id.toLowerCase()) }
          : {}),
        emailUserOnEnd: action.temporal && input.emailUser === true,
        notifyUserOnEnd: action.temporal && input.notifyUser === true,
        history: { historyItems: [] },
      };
      stores.userActionLogs.insert(log);
      revokeRefreshTokensIfPrevented(standin, actionee!, now);
      return log;
    })
    .immediate();
}

/**
 * `PUT /api/user/action/{actionId}`: a time-based action gets a new `expiry` and `comment`, by `actionerUserId`;
 * the values it had go to `history.historyItems`. A cancel (`DELETE`) ends it at once. An action that is not
 * time-based cannot be modified or canceled ("A non time-based action may not be modified or canceled",
 * https://fusionauth.io/docs/apis/user-actions, `temporal`).
 */
export function changeAction(standin: Standin, found: UserActionLog, body: unknown, change: 'modify' | 'cancel'): UserActionLog {
  const { stores } = standin;
  const now = standin.config.now();
  const input = actionOf(body, change);
  return stores.db
    .transaction((): UserActionLog => {
      // Read again inside the transaction, so that a change made meanwhile (another process) is not lost.
      const log = stores.userActionLogs.get(found.id);
      if (!log) throw ApiError.notFound();
      const errors = new FieldErrors();
      if (typeof log.expiry !== 'number')
        errors.add('actionId', 'invalid', `The action [${log.id}] is not time based: it cannot be modified or canceled.`);
      const actioner =
        input.actionerUserId === undefined && change === 'cancel'
          ? stores.users.get(log.actionerUserId)
          : userNamed(standin, input, 'actionerUserId', errors, () => true);
      if (change === 'modify') {
        if (input.expiry === undefined || input.expiry === null)
          errors.add('action.expiry', 'blank', 'You must specify the [action.expiry] property.');
        else if (!Number.isSafeInteger(input.expiry) && !isLongMax(input.expiry))
          errors.add('action.expiry', 'invalid', 'The [action.expiry] property must be an instant in milliseconds since the epoch.');
      }
      checkCommon(input, errors);
      errors.throwIfAny();
      const userAction = stores.userActions.get(log.userActionId);
      if (userAction) refuseUnmodelled(userAction, input);

      const item: HistoryItem = {
        actionerUserId: actioner?.id ?? log.actionerUserId,
        ...(log.comment === undefined ? {} : { comment: log.comment }),
        createInstant: now,
        ...(log.expiry === undefined ? {} : { expiry: log.expiry }),
      };
      const expiry = change === 'cancel' ? Math.min(log.expiry!, now) : (input.expiry as number);
      const changed: UserActionLog = {
        ...log,
        ...(actioner ? { actionerUserId: actioner.id } : {}),
        ...(typeof input.comment === 'string' ? { comment: input.comment } : {}),
        expiry,
        ...(change === 'modify'
          ? { emailUserOnEnd: input.emailUser === true, notifyUserOnEnd: input.notifyUser === true }
          : { emailUserOnEnd: false, notifyUserOnEnd: false }),
        history: { historyItems: [...log.history.historyItems, item] },
      };
      stores.userActionLogs.update(changed);
      const actionee = stores.users.get(log.actioneeUserId);
      if (actionee) revokeRefreshTokensIfPrevented(standin, actionee, now);
      return changed;
    })
    .immediate();
}

/**
 * The `action` of a modify, required; of a cancel, optional (`cancelAction` sends one, a bare DELETE need not):
 * without one, the cancel is the original actioner's and keeps the comment.
 */
function actionOf(body: unknown, change: 'modify' | 'cancel'): JsonObject {
  if (change === 'cancel' && (body === undefined || body === null || (isObject(body) && body.action === undefined))) return {};
  return requireMember(requireBody(body), 'action');
}

/**
 * `GET /api/user/action?userId=…[&active=…|&preventingLogin=true]`: every action taken on the user; with `active`,
 * those in force (`true`) or not (`false`: ended, canceled, or not time-based); with `preventingLogin=true`, those
 * in force whose user action prevents login.
 */
export function actionsOf(standin: Standin, userId: string, filter: { active?: boolean; preventingLogin?: boolean }): UserActionLog[] {
  const { stores } = standin;
  const now = standin.config.now();
  if (filter.preventingLogin === true) return stores.userActionLogs.preventingLogin(userId, now);
  const all = stores.userActionLogs.ofUser(userId);
  return filter.active === undefined ? all : all.filter((log) => isActiveAt(log, now) === filter.active);
}

// FusionAuth's "indefinitely" (https://fusionauth.io/docs/apis/actioning-users, `action.expiry`): 9223372036854775807,
// Java's Long.MAX_VALUE, which JSON.parse reads as 2^63. Kept as given, so a JavaScript client reads back the number it sent; the store keeps
// the expiry column within SQLite's integers (store/user-action-logs.ts).
const LONG_MAX = 2 ** 63;

function isLongMax(value: unknown): boolean {
  return value === LONG_MAX;
}

function userNamed(standin: Standin, input: JsonObject, field: string, errors: FieldErrors, visible: TenantVisible): User | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') {
    errors.add(`action.${field}`, 'blank', `You must specify the [action.${field}] property.`);
    return undefined;
  }
  const user = isUuid(value) ? standin.stores.users.get(value.toLowerCase()) : undefined;
  if (!user || !visible(user.tenantId)) {
    errors.add(`action.${field}`, 'invalid', `The [action.${field}] property does not name an existing user.`);
    return undefined;
  }
  return user;
}

/**
 * The user action reason `action.reasonId` names (https://fusionauth.io/docs/apis/user-action-reasons), if any. The
 * action keeps its text and code (`reason`, `reasonCode`), so a later change to the reason does not rewrite history.
 */
function reasonNamed(standin: Standin, input: JsonObject, errors: FieldErrors): UserActionReason | undefined {
  const value = input.reasonId;
  if (value === undefined || value === null || value === '') return undefined;
  const reason = isUuid(value) ? standin.stores.userActionReasons.get(value.toLowerCase()) : undefined;
  if (!reason) errors.add('action.reasonId', 'invalid', 'The [action.reasonId] property does not name an existing user action reason.');
  return reason;
}

function checkOption(action: UserAction, input: JsonObject, errors: FieldErrors): void {
  if (input.option === undefined || input.option === null) return;
  if (typeof input.option !== 'string' || !optionNames(action).includes(input.option))
    errors.add('action.option', 'invalid', `The [action.option] property must be one of the options of the user action [${action.name}].`);
}

function checkCommon(input: JsonObject, errors: FieldErrors): void {
  for (const field of ['emailUser', 'notifyUser'] as const) {
    if (input[field] !== undefined && input[field] !== null && typeof input[field] !== 'boolean')
      errors.add(`action.${field}`, 'invalid', `The [action.${field}] property must be true or false.`);
  }
  if (input.comment !== undefined && input.comment !== null && typeof input.comment !== 'string')
    errors.add('action.comment', 'invalid', 'The [action.comment] property must be a string.');
}

/**
 * What FusionAuth would do and Standin does not: email the user about the action (a user action with
 * `userEmailingEnabled` and `emailUser` asked for), or stop logins to some applications only (`applicationIds` on
 * an action that prevents login). Refused rather than silently skipped.
 */
function refuseUnmodelled(action: UserAction, input: JsonObject): void {
  if (input.emailUser === true && action.userEmailingEnabled === true)
    throw ApiError.general('[NotModelled]', 'Standin does not email users about user actions ([action.emailUser]); see docs/user-actions.md.');
  if (action.preventLogin && Array.isArray(input.applicationIds) && input.applicationIds.length > 0)
    throw ApiError.general(
      '[NotModelled]',
      'Standin does not scope a user action that prevents login to some applications ([action.applicationIds]); see docs/user-actions.md.',
    );
}

/** Inside the caller's transaction: the user's refresh tokens go when an action now stops their logins and the tenant asks. */
function revokeRefreshTokensIfPrevented(standin: Standin, user: User, now: number): void {
  const { stores } = standin;
  if (stores.userActionLogs.preventingLogin(user.id, now).length === 0) return;
  const tenant = stores.tenants.get(user.tenantId);
  if (tenant?.jwtConfiguration.refreshTokenRevocationPolicy.onLoginPrevented === true) stores.refreshTokens.deleteOfUser(user.id);
}

/** A boolean query parameter (`active`, `preventingLogin`) as FusionAuth's client sends it; undefined when absent or neither. */
export function readBooleanParameter(value: unknown): boolean | undefined {
  if (value === 'true' || value === true) return true;
  if (value === 'false' || value === false) return false;
  return undefined;
}
