import type { Statement } from 'better-sqlite3';
import { isSsoSessionLive } from '../model/sso-session-liveness.js';
import type { Db } from './open-database.js';
import { toToken, type RefreshToken, type RefreshTokenRow } from './refresh-tokens.js';
import { hashSecret } from './secrets.js';
import { SSO_IDLE_LIMIT_MS_SQL, SSO_SESSION_LIVE_SQL } from './sso-sessions.js';

/**
 * What a revoke or expire acts on: one refresh token family (by id or by a value, current or rotated away),
 * one SSO session (with the refresh tokens started from it, as logout ends them), or everything of a user,
 * of an application, or of a user in an application.
 */
export interface TokenTarget {
  userId?: string;
  applicationId?: string;
  refreshTokenId?: string;
  refreshToken?: string;
  ssoSessionId?: string;
}

/** How many of each were revoked or expired. */
export interface TokenCounts {
  refreshTokens: number;
  ssoSessions: number;
  authorizationCodes: number;
}

/** A refresh token family as the control API lists it: never its value, which Standin does not keep. */
export interface RefreshTokenFamily extends Pick<
  RefreshToken,
  'id' | 'userId' | 'applicationId' | 'tenantId' | 'startInstant' | 'insertInstant' | 'lastUsed' | 'expiresAt' | 'scope'
> {
  /** The user's email, else username. */
  loginId: string | null;
  expired: boolean;
  /** How many values it has rotated away from (OneTimeUse). */
  rotations: number;
  ssoSessionId: string | null;
}

export interface SsoSessionInfo {
  id: string;
  userId: string;
  loginId: string | null;
  tenantId: string;
  authTime: number;
  lastUsed: number;
  /** lastUsed plus the tenant's httpSessionMaxInactiveInterval: when it ends unless used again. */
  expiresAt: number;
  expired: boolean;
  persistent: boolean;
  /** Refresh token families started from this session. */
  refreshTokens: number;
}

const LOGIN_ID = "coalesce(users.body ->> '$.email', users.body ->> '$.username')";

/**
 * Listing, revoking and expiring login state for the control API, across refresh_tokens, sso_sessions and
 * authorization_codes. A change is one immediate transaction. Expiring moves the stored expiry to now (a
 * session: its last use back by the idle limit), so the ordinary checks refuse it and listings still show it.
 */
export function createTokenAdmin(db: Db) {
  const statements = new Map<string, Statement>();
  const statement = (sql: string) => {
    let prepared = statements.get(sql);
    if (!prepared) statements.set(sql, (prepared = db.prepare(sql)));
    return prepared;
  };
  const familyOfValue = db.prepare<[string, string], { id: string }>(
    'SELECT id FROM refresh_tokens WHERE token_hash = ? UNION SELECT refresh_token_id FROM retired_refresh_tokens WHERE token_hash = ?',
  );

  /** The WHERE clauses and parameters a target selects in each table; undefined: it selects nothing there. */
  const where = (
    target: TokenTarget,
  ): { params: Record<string, string>; refreshTokens?: string; ssoSessions?: string; authorizationCodes?: string } => {
    const params: Record<string, string> = {};
    if (target.refreshTokenId !== undefined || target.refreshToken !== undefined) {
      params.family = target.refreshTokenId ?? familyOfValue.get(hashSecret(target.refreshToken!), hashSecret(target.refreshToken!))?.id ?? '';
      return { params, refreshTokens: 'id = @family' };
    }
    if (target.ssoSessionId !== undefined) {
      params.session = target.ssoSessionId;
      return { params, refreshTokens: "body ->> '$.ssoSessionId' = @session", ssoSessions: 'id = @session' };
    }
    const clauses: string[] = [];
    if (target.userId !== undefined) {
      clauses.push('user_id = @userId');
      params.userId = target.userId;
    }
    if (target.applicationId !== undefined) {
      clauses.push('application_id = @applicationId');
      params.applicationId = target.applicationId;
    }
    const both = clauses.join(' AND ');
    // SSO sessions belong to a user, not to an application.
    return {
      params,
      refreshTokens: both,
      authorizationCodes: `${both} AND consumed_at IS NULL`,
      ...(target.applicationId === undefined ? { ssoSessions: 'user_id = @userId' } : {}),
    };
  };

  const change = (target: TokenTarget, sql: { refreshTokens: string; ssoSessions: string; authorizationCodes: string }, now: number): TokenCounts =>
    db
      .transaction((): TokenCounts => {
        checkTarget(target);
        const selected = where(target);
        // `{where}` in a template is the target's clause; `@now` is bound only where a template uses it.
        const run = (template: string, clause: string | undefined) =>
          clause === undefined
            ? 0
            : statement(template.replace('{where}', `(${clause})`)).run({ ...selected.params, ...(template.includes('@now') ? { now } : {}) })
                .changes;
        return {
          refreshTokens: run(sql.refreshTokens, selected.refreshTokens),
          ssoSessions: run(sql.ssoSessions, selected.ssoSessions),
          authorizationCodes: run(sql.authorizationCodes, selected.authorizationCodes),
        };
      })
      .immediate();

  return {
    revoke: (target: TokenTarget, now: number) =>
      change(
        target,
        {
          refreshTokens: 'DELETE FROM refresh_tokens WHERE {where}',
          ssoSessions: 'DELETE FROM sso_sessions WHERE {where}',
          authorizationCodes: 'DELETE FROM authorization_codes WHERE {where}',
        },
        now,
      ),
    // Only what is still live: expiring twice changes nothing the second time.
    expire: (target: TokenTarget, now: number) =>
      change(
        target,
        {
          refreshTokens: 'UPDATE refresh_tokens SET expires_at = @now WHERE {where} AND expires_at > @now',
          ssoSessions: `UPDATE sso_sessions SET last_used = @now - ${SSO_IDLE_LIMIT_MS_SQL} WHERE {where} AND ${SSO_SESSION_LIVE_SQL}`,
          authorizationCodes: 'UPDATE authorization_codes SET expires_at = @now WHERE {where} AND expires_at > @now',
        },
        now,
      ),
    refreshTokenFamilies(filter: { userId?: string; applicationId?: string }, now: number): RefreshTokenFamily[] {
      const rows = statement(
        `SELECT refresh_tokens.*, ${LOGIN_ID} AS login_id,
           (SELECT count(*) FROM retired_refresh_tokens WHERE refresh_token_id = refresh_tokens.id) AS rotations
         FROM refresh_tokens LEFT JOIN users ON users.id = refresh_tokens.user_id
         WHERE (@userId IS NULL OR refresh_tokens.user_id = @userId) AND (@applicationId IS NULL OR refresh_tokens.application_id = @applicationId)
         ORDER BY refresh_tokens.start_instant, refresh_tokens.id`,
      ).all({ userId: filter.userId ?? null, applicationId: filter.applicationId ?? null }) as FamilyRow[];
      return rows.map((row) => {
        const token = toToken(row);
        return {
          id: token.id,
          userId: token.userId,
          loginId: row.login_id,
          applicationId: token.applicationId,
          tenantId: token.tenantId,
          startInstant: token.startInstant,
          insertInstant: token.insertInstant,
          lastUsed: token.lastUsed,
          expiresAt: token.expiresAt,
          expired: token.expiresAt <= now,
          rotations: row.rotations,
          scope: token.scope,
          ssoSessionId: token.ssoSessionId ?? null,
        };
      });
    },
    ssoSessions(filter: { userId?: string }, now: number): SsoSessionInfo[] {
      const rows = statement(
        `SELECT sso_sessions.*, ${LOGIN_ID} AS login_id, ${SSO_IDLE_LIMIT_MS_SQL} AS idle_ms,
           (SELECT count(*) FROM refresh_tokens WHERE refresh_tokens.body ->> '$.ssoSessionId' = sso_sessions.id) AS refresh_tokens
         FROM sso_sessions LEFT JOIN users ON users.id = sso_sessions.user_id
         WHERE (@userId IS NULL OR sso_sessions.user_id = @userId)
         ORDER BY sso_sessions.auth_time, sso_sessions.id`,
      ).all({ userId: filter.userId ?? null }) as SessionRow[];
      return rows.map((row) => ({
        id: row.id,
        userId: row.user_id,
        loginId: row.login_id,
        tenantId: row.tenant_id,
        authTime: row.auth_time,
        lastUsed: row.last_used,
        expiresAt: row.last_used + row.idle_ms,
        expired: !isSsoSessionLive(row.last_used, row.idle_ms, now),
        persistent: row.persistent === 1,
        refreshTokens: row.refresh_tokens,
      }));
    },
  };
}

type FamilyRow = RefreshTokenRow & { login_id: string | null; rotations: number };

interface SessionRow {
  id: string;
  user_id: string;
  login_id: string | null;
  tenant_id: string;
  auth_time: number;
  last_used: number;
  idle_ms: number;
  persistent: number;
  refresh_tokens: number;
}

const TARGET_KEYS = ['userId', 'applicationId', 'refreshTokenId', 'refreshToken', 'ssoSessionId'] as const;

/** One token or session alone, or a user and/or an application; never an empty target, which would select all. */
export function checkTarget(input: unknown): asserts input is TokenTarget {
  if (typeof input !== 'object' || input === null) throw new TypeError('a target is an object');
  const target = input as Record<string, unknown>;
  const given = TARGET_KEYS.filter((key) => target[key] !== undefined);
  for (const key of given) if (typeof target[key] !== 'string' || target[key] === '') throw new TypeError(`${key}: a non-empty string`);
  if (given.length === 0) throw new TypeError(`name what to act on: one of ${TARGET_KEYS.join(', ')}`);
  const alone = given.filter((key) => key === 'refreshTokenId' || key === 'refreshToken' || key === 'ssoSessionId');
  if (alone.length > 0 && given.length > 1) throw new TypeError(`${alone[0]} stands alone: give it without other fields`);
}
