import type { JsonObject } from './json.js';

/** A previous `expiry` and `comment` of an action, kept when the action is modified or canceled. */
export interface HistoryItem {
  actionerUserId: string;
  comment?: string;
  createInstant: number;
  expiry?: number;
}

/**
 * An action taken on a user (https://fusionauth.io/docs/apis/actioning-users): FusionAuth's "user action log",
 * as the Actioning Users API answers it.
 */
export interface UserActionLog extends JsonObject {
  id: string;
  actioneeUserId: string;
  actionerUserId: string;
  userActionId: string;
  /** The user action's name when the action was taken. */
  name: string;
  insertInstant: number;
  /** Milliseconds since the epoch; absent for an action that is not time-based. A cancel sets it to its own instant. */
  expiry?: number;
  comment?: string;
  option?: string;
  /** The text and code of the user action reason the action was taken for, as they were then. */
  reason?: string;
  reasonCode?: string;
  applicationIds?: string[];
  emailUserOnEnd: boolean;
  notifyUserOnEnd: boolean;
  history: { historyItems: HistoryItem[] };
}

/** Whether the action is in force at `now`: time-based, not yet expired and not canceled (a cancel ends it). */
export function isActiveAt(log: UserActionLog, now: number): boolean {
  return typeof log.expiry === 'number' && log.expiry > now;
}

/**
 * The Login API's summary of an action that prevents a login (its 409 body's `actions[]`, FusionAuth's
 * LoginPreventedResponse): `actionId` is the id the Actioning Users API knows the action by.
 */
export function loginPreventedSummary(log: UserActionLog): JsonObject {
  return {
    actionId: log.id,
    actionerUserId: log.actionerUserId,
    expiry: log.expiry,
    localizedName: log.name,
    name: log.name,
    ...(log.option === undefined ? {} : { localizedOption: log.option, option: log.option }),
  };
}
