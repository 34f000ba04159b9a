import { DEFAULT_SSO_IDLE_SECONDS } from '../model/sso-session-liveness.js';
import type { Db } from './open-database.js';
import { hashSecret } from './secrets.js';

/**
 * The idle limit of an `sso_sessions` row in milliseconds, as ssoIdleLimitMs() computes it: its tenant's
 * `httpSessionMaxInactiveInterval`, else the default.
 */
export const SSO_IDLE_LIMIT_MS_SQL = `coalesce((SELECT tenants.body ->> '$.httpSessionMaxInactiveInterval' FROM tenants WHERE tenants.id = sso_sessions.tenant_id), ${DEFAULT_SSO_IDLE_SECONDS}) * 1000`;

/** isSsoSessionLive() over an `sso_sessions` row, with the current instant (ms) bound as `@now`. */
export const SSO_SESSION_LIVE_SQL = `@now - sso_sessions.last_used < ${SSO_IDLE_LIMIT_MS_SQL}`;

/** A login that other applications may reuse (FusionAuth's SSO session, behind the `fusionauth.sso` cookie). */
export interface SsoSession {
  id: string;
  userId: string;
  tenantId: string;
  authTime: number;
  lastUsed: number;
  persistent: boolean;
}

interface Row {
  id: string;
  user_id: string;
  tenant_id: string;
  auth_time: number;
  last_used: number;
  persistent: number;
}

export type SsoSessionStore = ReturnType<typeof createSsoSessionStore>;

export function createSsoSessionStore(db: Db) {
  const insert = db.prepare<[string, string, string, string, number, number, number]>(
    'INSERT INTO sso_sessions (id, cookie_hash, user_id, tenant_id, auth_time, last_used, persistent) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byCookie = db.prepare<[string], Row>('SELECT * FROM sso_sessions WHERE cookie_hash = ?');
  const byId = db.prepare<[string], Row>('SELECT * FROM sso_sessions WHERE id = ?');
  const touch = db.prepare<[number, string]>('UPDATE sso_sessions SET last_used = ? WHERE id = ?');
  const remove = db.prepare<[string]>('DELETE FROM sso_sessions WHERE id = ?');
  const removeOfUser = db.prepare<[string]>('DELETE FROM sso_sessions WHERE user_id = ?');
  const ofUser = db.prepare<[string], Row>('SELECT * FROM sso_sessions WHERE user_id = ? ORDER BY last_used DESC');

  return {
    insert: (session: SsoSession, cookie: string) =>
      void insert.run(
        session.id,
        hashSecret(cookie),
        session.userId,
        session.tenantId,
        session.authTime,
        session.lastUsed,
        session.persistent ? 1 : 0,
      ),
    byCookie: (cookie: string): SsoSession | undefined => toSession(byCookie.get(hashSecret(cookie))),
    get: (id: string): SsoSession | undefined => toSession(byId.get(id)),
    touch: (id: string, now: number) => void touch.run(now, id),
    delete: (id: string): boolean => remove.run(id).changes === 1,
    deleteOfUser: (userId: string): number => removeOfUser.run(userId).changes,
    ofUser: (userId: string): SsoSession[] => ofUser.all(userId).map((row) => toSession(row)!),
  };
}

function toSession(row: Row | undefined): SsoSession | undefined {
  if (!row) return undefined;
  return {
    id: row.id,
    userId: row.user_id,
    tenantId: row.tenant_id,
    authTime: row.auth_time,
    lastUsed: row.last_used,
    persistent: row.persistent === 1,
  };
}
