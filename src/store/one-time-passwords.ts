import type { Db } from './open-database.js';
import { hashSecret } from './secrets.js';

/** A one-time password taken for a login: whose it is, and whether that login may get a refresh token. */
export interface OneTimePasswordGrant {
  userId: string;
  refreshAllowed: boolean;
}

export type OneTimePasswordStore = ReturnType<typeof createOneTimePasswordStore>;

/** One-time passwords, stored hashed; taking one deletes it, so it logs in once at most. */
export function createOneTimePasswordStore(db: Db) {
  const insert = db.prepare<[string, string, number, number]>(
    'INSERT INTO one_time_passwords (id_hash, user_id, expires_at, refresh_allowed) VALUES (?, ?, ?, ?)',
  );
  const take = db.prepare<[string, number], { user_id: string; refresh_allowed: number }>(
    'DELETE FROM one_time_passwords WHERE id_hash = ? AND expires_at > ? RETURNING user_id, refresh_allowed',
  );
  const holder = db.prepare<[string, number], { user_id: string }>('SELECT user_id FROM one_time_passwords WHERE id_hash = ? AND expires_at > ?');
  const purge = db.prepare<[number]>('DELETE FROM one_time_passwords WHERE expires_at <= ?');

  return {
    insert: (value: string, userId: string, expiresAt: number, refreshAllowed: boolean) =>
      void insert.run(hashSecret(value), userId, expiresAt, refreshAllowed ? 1 : 0),
    /** Whose live one-time password this is, leaving it in place. */
    holder: (value: string, now: number): string | undefined => holder.get(hashSecret(value), now)?.user_id,
    /** The live one-time password's grant, deleted in the same statement; undefined if unknown, used or expired. */
    take: (value: string, now: number): OneTimePasswordGrant | undefined => {
      const row = take.get(hashSecret(value), now);
      return row ? { userId: row.user_id, refreshAllowed: row.refresh_allowed === 1 } : undefined;
    },
    purgeExpired: (now: number): number => purge.run(now).changes,
  };
}
