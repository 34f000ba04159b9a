import type { JsonObject } from '../model/json.js';
import type { Db } from './open-database.js';
import { hashSecret } from './secrets.js';

/**
 * A live changePasswordId: whose it is, the `state` its forgot-password request carried, and whether a login made it
 * because the user must change their password, after the login's every factor (manage/required-password-change.ts).
 */
export interface ChangePasswordGrant {
  userId: string;
  state?: JsonObject;
  requiredAtLogin?: true;
}

export type ChangePasswordIdStore = ReturnType<typeof createChangePasswordIdStore>;

/** changePasswordIds, stored hashed; an expired one is as good as unknown (Change Password API: 404). */
export function createChangePasswordIdStore(db: Db) {
  const insert = db.prepare<[string, string, number, string]>(
    'INSERT INTO change_password_ids (id_hash, user_id, expires_at, body) VALUES (?, ?, ?, ?)',
  );
  const find = db.prepare<[string, number], { user_id: string; body: string }>(
    'SELECT user_id, body FROM change_password_ids WHERE id_hash = ? AND expires_at > ?',
  );
  const consume = db.prepare<[string, string, number]>('DELETE FROM change_password_ids WHERE id_hash = ? AND user_id = ? AND expires_at > ?');
  const removeOfUser = db.prepare<[string]>('DELETE FROM change_password_ids WHERE user_id = ?');
  const purge = db.prepare<[number]>('DELETE FROM change_password_ids WHERE expires_at <= ?');

  return {
    insert: (id: string, userId: string, expiresAt: number, details: Omit<ChangePasswordGrant, 'userId'>) =>
      void insert.run(hashSecret(id), userId, expiresAt, JSON.stringify(details)),
    find: (id: string, now: number): ChangePasswordGrant | undefined => {
      const row = find.get(hashSecret(id), now);
      if (!row) return undefined;
      const body = JSON.parse(row.body) as Omit<ChangePasswordGrant, 'userId'>;
      return {
        userId: row.user_id,
        ...(body.state === undefined ? {} : { state: body.state }),
        ...(body.requiredAtLogin === undefined ? {} : { requiredAtLogin: body.requiredAtLogin }),
      };
    },
    /** Uses a live changePasswordId of this user up: true only for the one caller whose delete removed it. */
    consume: (id: string, userId: string, now: number): boolean => consume.run(hashSecret(id), userId, now).changes === 1,
    /** FusionAuth: a password change expires every outstanding changePasswordId of the user. */
    deleteOfUser: (userId: string): number => removeOfUser.run(userId).changes,
    purgeExpired: (now: number): number => purge.run(now).changes,
  };
}
