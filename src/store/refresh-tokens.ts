import type { JsonObject } from '../model/json.js';
import type { Db } from './open-database.js';
import { hashSecret } from './secrets.js';

/** A refresh token as stored: never its value, only the value's hash. */
export interface RefreshToken {
  /** FusionAuth's refreshTokenId; the same across OneTimeUse rotations (and the access token's `sid`). */
  id: string;
  userId: string;
  applicationId: string;
  tenantId: string;
  startInstant: number;
  insertInstant: number;
  lastUsed: number;
  expiresAt: number;
  scope: string;
  authTime: number;
  authenticationType: string;
  ssoSessionId?: string;
  /** The grants that started the family, oldest first (FusionAuth keeps them in the token's `data.grants`). */
  grants?: string[];
  metaData: JsonObject;
}

/** A `refresh_tokens` row as SQLite returns it. */
export interface RefreshTokenRow {
  id: string;
  user_id: string;
  application_id: string;
  tenant_id: string;
  start_instant: number;
  insert_instant: number;
  last_used: number;
  expires_at: number;
  body: string;
}

type Body = Pick<RefreshToken, 'scope' | 'authTime' | 'authenticationType' | 'ssoSessionId' | 'grants' | 'metaData'>;

/** What presenting a refresh token value finds: the live token, a value it rotated away from, or nothing. */
export type Lookup = { found: 'current'; token: RefreshToken } | { found: 'retired'; token: RefreshToken; retiredAt: number } | { found: 'none' };

export type RefreshTokenStore = ReturnType<typeof createRefreshTokenStore>;

export function createRefreshTokenStore(db: Db) {
  const insert = db.prepare<[string, string, string, string, string, number, number, number, number, string]>(
    `INSERT INTO refresh_tokens (id, token_hash, user_id, application_id, tenant_id, start_instant, insert_instant, last_used, expires_at, body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byHash = db.prepare<[string], RefreshTokenRow>('SELECT * FROM refresh_tokens WHERE token_hash = ?');
  const byRetiredHash = db.prepare<[string], RefreshTokenRow & { retired_at: number }>(
    `SELECT refresh_tokens.*, retired_refresh_tokens.retired_at FROM retired_refresh_tokens
     JOIN refresh_tokens ON refresh_tokens.id = retired_refresh_tokens.refresh_token_id WHERE retired_refresh_tokens.token_hash = ?`,
  );
  const byId = db.prepare<[string], RefreshTokenRow>('SELECT * FROM refresh_tokens WHERE id = ?');
  // Rotation is one conditional write on the current value: of two concurrent uses, one wins (docs/storage.md).
  const rotate = db.prepare<[string, number, number, number, string, string]>(
    'UPDATE refresh_tokens SET token_hash = ?, insert_instant = ?, last_used = ?, expires_at = ? WHERE id = ? AND token_hash = ?',
  );
  const retire = db.prepare<[string, string, number]>(
    'INSERT INTO retired_refresh_tokens (token_hash, refresh_token_id, retired_at) VALUES (?, ?, ?)',
  );
  const touch = db.prepare<[number, number, string]>('UPDATE refresh_tokens SET last_used = ?, expires_at = ? WHERE id = ?');
  const remove = db.prepare<[string]>('DELETE FROM refresh_tokens WHERE id = ?');
  const removeOfUser = db.prepare<[string]>('DELETE FROM refresh_tokens WHERE user_id = ?');
  const removeOfApplication = db.prepare<[string]>('DELETE FROM refresh_tokens WHERE application_id = ?');
  const removeOfUserAndApplication = db.prepare<[string, string]>('DELETE FROM refresh_tokens WHERE user_id = ? AND application_id = ?');
  const removeOfSession = db.prepare<[string]>("DELETE FROM refresh_tokens WHERE body ->> '$.ssoSessionId' = ?");
  const ofUser = db.prepare<[string], RefreshTokenRow>('SELECT * FROM refresh_tokens WHERE user_id = ? ORDER BY start_instant');
  const purge = db.prepare<[number]>('DELETE FROM refresh_tokens WHERE expires_at <= ?');

  return {
    /** Stores a new token family member; `value` is hashed here and never kept. */
    insert: (token: RefreshToken, value: string) => {
      const body: Body = { scope: token.scope, authTime: token.authTime, authenticationType: token.authenticationType, metaData: token.metaData };
      if (token.ssoSessionId !== undefined) body.ssoSessionId = token.ssoSessionId;
      if (token.grants !== undefined) body.grants = token.grants;
      insert.run(
        token.id,
        hashSecret(value),
        token.userId,
        token.applicationId,
        token.tenantId,
        token.startInstant,
        token.insertInstant,
        token.lastUsed,
        token.expiresAt,
        JSON.stringify(body),
      );
    },
    lookup: (value: string): Lookup => {
      const hash = hashSecret(value);
      const current = byHash.get(hash);
      if (current) return { found: 'current', token: toToken(current) };
      const retired = byRetiredHash.get(hash);
      return retired ? { found: 'retired', token: toToken(retired), retiredAt: retired.retired_at } : { found: 'none' };
    },
    get: (id: string): RefreshToken | undefined => {
      const row = byId.get(id);
      return row ? toToken(row) : undefined;
    },
    /**
     * Replaces the value `from` with `to` (OneTimeUse), keeping the id. False when `from` is no longer the
     * current value: another request rotated it first.
     */
    rotate: (id: string, from: string, to: string, now: number, expiresAt: number): boolean => {
      const fromHash = hashSecret(from);
      if (rotate.run(hashSecret(to), now, now, expiresAt, id, fromHash).changes !== 1) return false;
      retire.run(fromHash, id, now);
      return true;
    },
    /** Records a use of a Reusable token; a sliding window moves its expiry. */
    touch: (id: string, now: number, expiresAt: number) => void touch.run(now, expiresAt, id),
    delete: (id: string): boolean => remove.run(id).changes === 1,
    deleteOfUser: (userId: string): number => removeOfUser.run(userId).changes,
    deleteOfApplication: (applicationId: string): number => removeOfApplication.run(applicationId).changes,
    deleteOfUserAndApplication: (userId: string, applicationId: string): number => removeOfUserAndApplication.run(userId, applicationId).changes,
    deleteOfSsoSession: (sessionId: string): number => removeOfSession.run(sessionId).changes,
    ofUser: (userId: string): RefreshToken[] => ofUser.all(userId).map(toToken),
    purgeExpired: (now: number): number => purge.run(now).changes,
  };
}

/** A row as a RefreshToken: the columns, and the body's scope, grant facts and metadata. */
export function toToken(row: RefreshTokenRow): RefreshToken {
  const body = JSON.parse(row.body) as Body;
  return {
    id: row.id,
    userId: row.user_id,
    applicationId: row.application_id,
    tenantId: row.tenant_id,
    startInstant: row.start_instant,
    insertInstant: row.insert_instant,
    lastUsed: row.last_used,
    expiresAt: row.expires_at,
    ...body,
  };
}
