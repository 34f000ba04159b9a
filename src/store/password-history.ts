import type { Db } from './open-database.js';

export type PasswordHistoryStore = ReturnType<typeof createPasswordHistoryStore>;

// More than any tenant may remember (FusionAuth's rememberPreviousPasswords.count stays small); older ones are dropped.
export const PASSWORD_HISTORY_KEPT = 25;

/** The hashes of the passwords a user replaced, for the tenant's `rememberPreviousPasswords` rule. */
export function createPasswordHistoryStore(db: Db) {
  const insert = db.prepare<[string, string, number]>('INSERT INTO password_history (user_id, hash, replaced_at) VALUES (?, ?, ?)');
  const recent = db.prepare<[string, number], { hash: string }>(
    'SELECT hash FROM password_history WHERE user_id = ? ORDER BY replaced_at DESC, rowid DESC LIMIT ?',
  );
  const trim = db.prepare<[string, string, number]>(
    'DELETE FROM password_history WHERE user_id = ? AND rowid NOT IN (SELECT rowid FROM password_history WHERE user_id = ? ORDER BY replaced_at DESC, rowid DESC LIMIT ?)',
  );
  return {
    /** Keeps a replaced password's hash, dropping the oldest beyond PASSWORD_HISTORY_KEPT. */
    add: (userId: string, hash: string, replacedAt: number): void => {
      insert.run(userId, hash, replacedAt);
      trim.run(userId, userId, PASSWORD_HISTORY_KEPT);
    },
    /** The newest `count` replaced hashes, newest first. */
    recent: (userId: string, count: number): string[] => (count > 0 ? recent.all(userId, count).map((row) => row.hash) : []),
  };
}
