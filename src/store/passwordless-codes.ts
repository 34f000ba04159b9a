import type { JsonObject } from '../model/json.js';
import type { Db } from './open-database.js';
import { hashSecret } from './secrets.js';

/** A live passwordless code: whose login it starts, for which application, and the start request's `state`. */
export interface PasswordlessGrant {
  userId: string;
  applicationId: string;
  state?: JsonObject;
}

export type PasswordlessCodeStore = ReturnType<typeof createPasswordlessCodeStore>;

/** Passwordless codes, stored hashed; taking one deletes it, so it logs in once at most. */
export function createPasswordlessCodeStore(db: Db) {
  const insert = db.prepare<[string, string, string, number, string]>(
    'INSERT INTO passwordless_codes (code_hash, user_id, application_id, expires_at, body) VALUES (?, ?, ?, ?, ?)',
  );
  const removeOlder = db.prepare<[string, string]>('DELETE FROM passwordless_codes WHERE user_id = ? AND application_id = ?');
  const find = db.prepare<[string, number], { user_id: string; application_id: string; body: string }>(
    'SELECT user_id, application_id, body FROM passwordless_codes WHERE code_hash = ? AND expires_at > ?',
  );
  const take = db.prepare<[string, number], { user_id: string; application_id: string; body: string }>(
    'DELETE FROM passwordless_codes WHERE code_hash = ? AND expires_at > ? RETURNING user_id, application_id, body',
  );
  const purge = db.prepare<[number]>('DELETE FROM passwordless_codes WHERE expires_at <= ?');
  const grantOf = (row: { user_id: string; application_id: string; body: string } | undefined): PasswordlessGrant | undefined => {
    if (!row) return undefined;
    const body = JSON.parse(row.body) as { state?: JsonObject };
    return { userId: row.user_id, applicationId: row.application_id, ...(body.state === undefined ? {} : { state: body.state }) };
  };

  return {
    /** Stores `code` as the only code of this user and application: a new start makes the older ones useless. */
    replace: (code: string, userId: string, applicationId: string, expiresAt: number, state: JsonObject | undefined) => {
      db.transaction(() => {
        removeOlder.run(userId, applicationId);
        insert.run(hashSecret(code), userId, applicationId, expiresAt, JSON.stringify(state === undefined ? {} : { state }));
      })();
    },
    /** The live code's grant, left in place (sending the email). */
    find: (code: string, now: number): PasswordlessGrant | undefined => grantOf(find.get(hashSecret(code), now)),
    /** The live code's grant, deleted in the same statement; undefined if unknown, used or expired. */
    take: (code: string, now: number): PasswordlessGrant | undefined => grantOf(take.get(hashSecret(code), now)),
    purgeExpired: (now: number): number => purge.run(now).changes,
  };
}
