import type { JsonObject } from '../model/json.js';
import type { Db } from './open-database.js';
import { hashSecret } from './secrets.js';

/** A user's two-factor method as stored: an authenticator's secret is base32, as `secretBase32Encoded` ('' for email). */
export interface StoredMethod {
  id: string;
  method: string;
  secret: string;
  /** The address an email method sends its codes to. */
  email?: string;
  /** The phone an SMS method texts its codes to. */
  mobilePhone?: string;
  lastStep: number;
  insertInstant: number;
  /** The display name the user or an administrator gave it, if any. */
  name?: string;
}

/** A login waiting for its second factor. */
export interface PendingTwoFactorLogin {
  userId: string;
  expiresAt: number;
  body: JsonObject;
}

export type TwoFactorStore = ReturnType<typeof createTwoFactorStore>;

/** Two-factor methods, recovery codes, pending logins, emailed and texted codes, trusted devices and trust tokens (migrations/011, 014, 029, 033). */
export function createTwoFactorStore(db: Db) {
  const methodsOf = db.prepare<
    [string],
    {
      id: string;
      method: string;
      secret: string;
      last_step: number;
      insert_instant: number;
      name: string | null;
      email: string | null;
      mobile_phone: string | null;
    }
  >(
    'SELECT id, method, secret, last_step, insert_instant, name, email, mobile_phone FROM two_factor_methods WHERE user_id = ? ORDER BY insert_instant, rowid',
  );
  const insertMethod = db.prepare<[string, string, string, string, number, string | null, string | null, string | null]>(
    'INSERT INTO two_factor_methods (user_id, id, method, secret, insert_instant, name, email, mobile_phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const putCode = db.prepare<[string, string, string, string | null, number]>(
    'INSERT OR REPLACE INTO two_factor_one_time_codes (scope, user_id, code_hash, method_id, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const takeCode = db.prepare<[string, string, number], { user_id: string; method_id: string | null }>(
    'DELETE FROM two_factor_one_time_codes WHERE scope = ? AND code_hash = ? AND expires_at > ? RETURNING user_id, method_id',
  );
  const dropCode = db.prepare<[string]>('DELETE FROM two_factor_one_time_codes WHERE scope = ?');
  const removeCodesOf = db.prepare<[string]>('DELETE FROM two_factor_one_time_codes WHERE user_id = ?');
  const purgeCodes = db.prepare<[number]>('DELETE FROM two_factor_one_time_codes WHERE expires_at <= ?');
  const renameMethod = db.prepare<[string | null, string, string]>('UPDATE two_factor_methods SET name = ? WHERE user_id = ? AND id = ?');
  const removeMethod = db.prepare<[string, string]>('DELETE FROM two_factor_methods WHERE user_id = ? AND id = ?');
  const removeMethods = db.prepare<[string]>('DELETE FROM two_factor_methods WHERE user_id = ?');
  const useStep = db.prepare<[number, string, string, number]>(
    'UPDATE two_factor_methods SET last_step = ? WHERE user_id = ? AND id = ? AND last_step < ?',
  );
  const insertRecovery = db.prepare<[string, string]>('INSERT OR IGNORE INTO two_factor_recovery_codes (user_id, code_hash) VALUES (?, ?)');
  const removeRecovery = db.prepare<[string]>('DELETE FROM two_factor_recovery_codes WHERE user_id = ?');
  const takeRecovery = db.prepare<[string, string]>('DELETE FROM two_factor_recovery_codes WHERE user_id = ? AND code_hash = ?');
  const countRecovery = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM two_factor_recovery_codes WHERE user_id = ?');
  const insertLogin = db.prepare<[string, string, number, string]>(
    'INSERT INTO two_factor_logins (id_hash, user_id, expires_at, body) VALUES (?, ?, ?, ?)',
  );
  const findLogin = db.prepare<[string, number], { user_id: string; expires_at: number; body: string }>(
    'SELECT user_id, expires_at, body FROM two_factor_logins WHERE id_hash = ? AND expires_at > ?',
  );
  const takeLogin = db.prepare<[string, number]>('DELETE FROM two_factor_logins WHERE id_hash = ? AND expires_at > ?');
  const setLoginCode = db.prepare<[string, string, number]>(
    "UPDATE two_factor_logins SET body = json_set(body, '$.enrolmentCodeHash', ?) WHERE id_hash = ? AND expires_at > ?",
  );
  const purgeLogins = db.prepare<[number]>('DELETE FROM two_factor_logins WHERE expires_at <= ?');
  const insertTrust = db.prepare<[string, string, string | null, number, number]>(
    'INSERT INTO two_factor_trusts (id_hash, user_id, application_id, start_instant, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const findTrust = db.prepare<[string, string, number], { application_id: string | null }>(
    'SELECT application_id FROM two_factor_trusts WHERE id_hash = ? AND user_id = ? AND expires_at > ?',
  );
  const trustDetail = db.prepare<[string, string, number], { application_id: string | null; start_instant: number; expires_at: number }>(
    'SELECT application_id, start_instant, expires_at FROM two_factor_trusts WHERE id_hash = ? AND user_id = ? AND expires_at > ?',
  );
  const removeTrusts = db.prepare<[string]>('DELETE FROM two_factor_trusts WHERE user_id = ?');
  const purgeTrusts = db.prepare<[number]>('DELETE FROM two_factor_trusts WHERE expires_at <= ?');
  const insertTrustToken = db.prepare<[string, string, string | null, number]>(
    'INSERT INTO two_factor_trust_tokens (token_hash, user_id, challenge_hash, expires_at) VALUES (?, ?, ?, ?)',
  );
  const findTrustToken = db.prepare<[string, string, number], { challenge_hash: string | null }>(
    'SELECT challenge_hash FROM two_factor_trust_tokens WHERE token_hash = ? AND user_id = ? AND expires_at > ?',
  );
  const takeTrustToken = db.prepare<[string, string, number]>(
    'DELETE FROM two_factor_trust_tokens WHERE token_hash = ? AND user_id = ? AND expires_at > ?',
  );
  const purgeTrustTokens = db.prepare<[number]>('DELETE FROM two_factor_trust_tokens WHERE expires_at <= ?');

  return {
    methods: (userId: string): StoredMethod[] =>
      methodsOf.all(userId).map((row) => ({
        id: row.id,
        method: row.method,
        secret: row.secret,
        lastStep: row.last_step,
        insertInstant: row.insert_instant,
        ...(row.name === null ? {} : { name: row.name }),
        ...(row.email === null ? {} : { email: row.email }),
        ...(row.mobile_phone === null ? {} : { mobilePhone: row.mobile_phone }),
      })),
    addMethod: (
      userId: string,
      method: { id: string; method: string; secret: string; name?: string; email?: string; mobilePhone?: string },
      now: number,
    ) =>
      void insertMethod.run(
        userId,
        method.id,
        method.method,
        method.secret,
        now,
        method.name ?? null,
        method.email ?? null,
        method.mobilePhone ?? null,
      ),
    /** Forgets the live code of `scope` (a send that failed leaves no code behind). */
    dropOneTimeCode: (scope: string) => void dropCode.run(scope),
    /** Keeps an emailed one-time code (hashed) for `scope`, replacing the scope's earlier code. */
    putOneTimeCode: (scope: string, userId: string, code: string, methodId: string | undefined, expiresAt: number) =>
      void putCode.run(scope, userId, hashSecret(code), methodId ?? null, expiresAt),
    /** Uses the live code of `scope` up if it is `code`: its user and method once, else undefined. */
    takeOneTimeCode: (scope: string, code: string, now: number): { userId: string; methodId?: string } | undefined => {
      const row = takeCode.get(scope, hashSecret(code), now);
      return row ? { userId: row.user_id, ...(row.method_id === null ? {} : { methodId: row.method_id }) } : undefined;
    },
    /** Gives a method a display name, or clears it (undefined): false when the user has no such method. */
    renameMethod: (userId: string, id: string, name: string | undefined): boolean => renameMethod.run(name ?? null, userId, id).changes === 1,
    removeMethod: (userId: string, id: string): boolean => removeMethod.run(userId, id).changes === 1,
    /** Removes every method, recovery code and trusted device of the user. */
    removeAll: (userId: string) => {
      removeMethods.run(userId);
      removeRecovery.run(userId);
      removeCodesOf.run(userId);
      removeTrusts.run(userId);
    },
    /** Records that the code of `step` was used: false if that step, or a later one, already was (one conditional write). */
    useStep: (userId: string, methodId: string, step: number): boolean => useStep.run(step, userId, methodId, step).changes === 1,
    /** Replaces the user's recovery codes. */
    setRecoveryCodes: (userId: string, codes: readonly string[]) => {
      removeRecovery.run(userId);
      for (const code of codes) insertRecovery.run(userId, hashSecret(code));
    },
    recoveryCodeCount: (userId: string): number => countRecovery.get(userId)!.n,
    /** Uses a recovery code up: true once per code. */
    takeRecoveryCode: (userId: string, code: string): boolean => takeRecovery.run(userId, hashSecret(code)).changes === 1,
    startLogin: (id: string, userId: string, expiresAt: number, body: JsonObject) =>
      void insertLogin.run(hashSecret(id), userId, expiresAt, JSON.stringify(body)),
    /** The live pending login, left in place (a wrong code does not end it). */
    findLogin: (id: string, now: number): PendingTwoFactorLogin | undefined => {
      const row = findLogin.get(hashSecret(id), now);
      return row ? { userId: row.user_id, expiresAt: row.expires_at, body: JSON.parse(row.body) as JsonObject } : undefined;
    },
    /** Gives the pending login the one-time code that finishes it after the user enrolled a first method. */
    setEnrolmentCode: (id: string, code: string, now: number): boolean => setLoginCode.run(hashSecret(code), hashSecret(id), now).changes === 1,
    /** Ends the pending login: true once. */
    takeLogin: (id: string, now: number): boolean => takeLogin.run(hashSecret(id), now).changes === 1,
    addTrust: (id: string, userId: string, applicationId: string | undefined, now: number, expiresAt: number) =>
      void insertTrust.run(hashSecret(id), userId, applicationId ?? null, now, expiresAt),
    /** The live trust `id` of the user: the application it was obtained in (null: none named), or undefined. */
    trust: (id: string, userId: string, now: number): { applicationId: string | null } | undefined => {
      const row = findTrust.get(hashSecret(id), userId, now);
      return row ? { applicationId: row.application_id } : undefined;
    },
    /** The live trust `id` of the user, as the Two Factor Status API lists it; undefined when there is none. */
    trustDetail: (id: string, userId: string, now: number): { applicationId: string | null; startInstant: number; expiresAt: number } | undefined => {
      const row = trustDetail.get(hashSecret(id), userId, now);
      return row ? { applicationId: row.application_id, startInstant: row.start_instant, expiresAt: row.expires_at } : undefined;
    },
    /** A trust token of the user, bound to the hash of a trustChallenge when the step-up named one. */
    addTrustToken: (token: string, userId: string, challengeHash: string | undefined, expiresAt: number) =>
      void insertTrustToken.run(hashSecret(token), userId, challengeHash ?? null, expiresAt),
    /** The live trust token of the user: its challenge's hash (null: none), or undefined. */
    trustToken: (token: string, userId: string, now: number): { challengeHash: string | null } | undefined => {
      const row = findTrustToken.get(hashSecret(token), userId, now);
      return row ? { challengeHash: row.challenge_hash } : undefined;
    },
    /** Uses a trust token up: true once. */
    takeTrustToken: (token: string, userId: string, now: number): boolean => takeTrustToken.run(hashSecret(token), userId, now).changes === 1,
    purgeExpired: (now: number): number =>
      purgeLogins.run(now).changes + purgeTrusts.run(now).changes + purgeTrustTokens.run(now).changes + purgeCodes.run(now).changes,
  };
}
