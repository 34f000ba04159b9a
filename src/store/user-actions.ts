import type { UserAction } from '../model/user-action.js';
import type { Db } from './open-database.js';

export type UserActionStore = ReturnType<typeof createUserActionStore>;

/** User action definitions (https://fusionauth.io/docs/apis/user-actions), global as in FusionAuth. */
export function createUserActionStore(db: Db) {
  const insert = db.prepare<[string, string]>('INSERT INTO user_actions (id, body) VALUES (?, ?)');
  const update = db.prepare<[string, string]>('UPDATE user_actions SET body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM user_actions WHERE id = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM user_actions ORDER BY rowid');
  const remove = db.prepare<[string]>('DELETE FROM user_actions WHERE id = ?');
  return {
    insert: (action: UserAction): void => void insert.run(action.id, JSON.stringify(action)),
    update: (action: UserAction): void => void update.run(JSON.stringify(action), action.id),
    get: (id: string): UserAction | undefined => parse(byId.get(id)),
    list: (): UserAction[] => all.all().map((row) => parse(row)!),
    /** Deletes the user action and every action taken with it (ON DELETE CASCADE). */
    delete: (id: string): boolean => remove.run(id).changes === 1,
  };
}

function parse(row: { body: string } | undefined): UserAction | undefined {
  return row ? (JSON.parse(row.body) as UserAction) : undefined;
}
