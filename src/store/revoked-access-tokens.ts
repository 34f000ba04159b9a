import type { Db } from './open-database.js';

export type RevokedAccessTokenStore = ReturnType<typeof createRevokedAccessTokenStore>;

/**
 * Access tokens are JWTs and verify offline until `exp`; this denylist lets userinfo and introspection refuse
 * one revoked early, e.g. issued from a code that was then replayed (RFC 6749 §4.1.2; docs/hardening-tokens.md).
 */
export function createRevokedAccessTokenStore(db: Db) {
  const insert = db.prepare<[string, number]>('INSERT OR IGNORE INTO revoked_access_tokens (jti, expires_at) VALUES (?, ?)');
  const has = db.prepare<[string], { jti: string }>('SELECT jti FROM revoked_access_tokens WHERE jti = ?');
  const purge = db.prepare<[number]>('DELETE FROM revoked_access_tokens WHERE expires_at <= ?');
  return {
    revoke: (jti: string, expiresAt: number) => void insert.run(jti, expiresAt),
    isRevoked: (jti: string): boolean => has.get(jti) !== undefined,
    purgeExpired: (now: number): number => purge.run(now).changes,
  };
}
