import type { UserActionLog } from '../model/user-action-log.js';
import type { Db } from './open-database.js';

export type UserActionLogStore = ReturnType<typeof createUserActionLogStore>;

/** Actions taken on users (https://fusionauth.io/docs/apis/actioning-users), deleted with their user. */
export function createUserActionLogStore(db: Db) {
  const insert = db.prepare<[string, string, string, number | null, string]>(
    'INSERT INTO user_action_logs (id, actionee_user_id, user_action_id, expiry, body) VALUES (?, ?, ?, ?, ?)',
  );
  const update = db.prepare<[number | null, string, string]>('UPDATE user_action_logs SET expiry = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM user_action_logs WHERE id = ?');
  const ofUser = db.prepare<[string], { body: string }>('SELECT body FROM user_action_logs WHERE actionee_user_id = ? ORDER BY rowid');
  // The user's actions in force whose user action prevents login, whatever the user action's `active` (a soft
  // delete stops new actions, not the ones already taken).
  const preventingLogin = db.prepare<[string, number], { body: string }>(
    `SELECT l.body FROM user_action_logs l JOIN user_actions a ON a.id = l.user_action_id
     WHERE l.actionee_user_id = ? AND l.expiry > ? AND json_extract(a.body, '$.preventLogin') = 1 ORDER BY l.rowid`,
  );
  // FusionAuth's "indefinitely", 2^63 once parsed, is past SQLite's largest integer: the column holds the largest
  // integer a double keeps exactly instead, which compares with any clock the same way.
  const column = (expiry: number | undefined) => (expiry === undefined ? null : Math.min(expiry, Number.MAX_SAFE_INTEGER));
  return {
    insert: (log: UserActionLog): void => void insert.run(log.id, log.actioneeUserId, log.userActionId, column(log.expiry), JSON.stringify(log)),
    update: (log: UserActionLog): void => void update.run(column(log.expiry), JSON.stringify(log), log.id),
    get: (id: string): UserActionLog | undefined => parse(byId.get(id)),
    ofUser: (userId: string): UserActionLog[] => ofUser.all(userId).map((row) => parse(row)!),
    /** The actions that stop the user's logins at `now` (docs/user-actions.md). */
    preventingLogin: (userId: string, now: number): UserActionLog[] => preventingLogin.all(userId, now).map((row) => parse(row)!),
  };
}

function parse(row: { body: string } | undefined): UserActionLog | undefined {
  return row ? (JSON.parse(row.body) as UserActionLog) : undefined;
}
