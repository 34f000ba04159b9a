import type { UserActionReason } from '../model/user-action-reason.js';
import type { Db } from './open-database.js';

export type UserActionReasonStore = ReturnType<typeof createUserActionReasonStore>;

/** User action reasons (https://fusionauth.io/docs/apis/user-action-reasons), global as in FusionAuth. */
export function createUserActionReasonStore(db: Db) {
  const insert = db.prepare<[string, string]>('INSERT INTO user_action_reasons (id, body) VALUES (?, ?)');
  const update = db.prepare<[string, string]>('UPDATE user_action_reasons SET body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM user_action_reasons WHERE id = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM user_action_reasons ORDER BY rowid');
  const remove = db.prepare<[string]>('DELETE FROM user_action_reasons WHERE id = ?');
  return {
    insert: (reason: UserActionReason): void => void insert.run(reason.id, JSON.stringify(reason)),
    update: (reason: UserActionReason): void => void update.run(JSON.stringify(reason), reason.id),
    get: (id: string): UserActionReason | undefined => parse(byId.get(id)),
    list: (): UserActionReason[] => all.all().map((row) => parse(row)!),
    delete: (id: string): boolean => remove.run(id).changes === 1,
  };
}

function parse(row: { body: string } | undefined): UserActionReason | undefined {
  return row ? (JSON.parse(row.body) as UserActionReason) : undefined;
}
