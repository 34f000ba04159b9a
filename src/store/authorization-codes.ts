import type { Db } from './open-database.js';
import { hashSecret } from './secrets.js';

/** Everything an authorization code is bound to (RFC 6749 §4.1.2, OIDC Core §3.1.3.2). */
export interface CodeGrant {
  applicationId: string;
  userId: string;
  redirectUri: string;
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  ssoSessionId?: string;
  /** Milliseconds: when the user authenticated (OIDC auth_time). */
  authTime: number;
  authenticationType: string;
}

/** The outcome of redeeming a code: used now, used before (a replay), or no such live code. */
export type Redemption =
  | { outcome: 'redeemed'; grant: CodeGrant; codeHash: string }
  | { outcome: 'replayed'; grant: CodeGrant; codeHash: string; issuedRefreshTokenId?: string; issuedAccessTokenJti?: string }
  | { outcome: 'invalid' };

export type AuthorizationCodeStore = ReturnType<typeof createAuthorizationCodeStore>;

export function createAuthorizationCodeStore(db: Db) {
  const insert = db.prepare<[string, string, string, number, string]>(
    'INSERT INTO authorization_codes (code_hash, application_id, user_id, expires_at, body) VALUES (?, ?, ?, ?, ?)',
  );
  // One conditional write: of two concurrent redemptions exactly one changes the row (RFC 6749 §4.1.2;
  // docs/storage.md).
  const consume = db.prepare<[number, string, number], { body: string }>(
    'UPDATE authorization_codes SET consumed_at = ? WHERE code_hash = ? AND consumed_at IS NULL AND expires_at > ? RETURNING body',
  );
  const consumed = db.prepare<[string], { body: string; issued_refresh_token_id: string | null; issued_access_token_jti: string | null }>(
    'SELECT body, issued_refresh_token_id, issued_access_token_jti FROM authorization_codes WHERE code_hash = ? AND consumed_at IS NOT NULL',
  );
  const recordIssued = db.prepare<[string | null, string, string]>(
    'UPDATE authorization_codes SET issued_refresh_token_id = ?, issued_access_token_jti = ? WHERE code_hash = ?',
  );
  const purge = db.prepare<[number]>('DELETE FROM authorization_codes WHERE expires_at <= ?');

  return {
    insert: (code: string, grant: CodeGrant, expiresAt: number) =>
      void insert.run(hashSecret(code), grant.applicationId, grant.userId, expiresAt, JSON.stringify(grant)),
    redeem: (code: string, now: number): Redemption => {
      const codeHash = hashSecret(code);
      const row = consume.get(now, codeHash, now);
      if (row) return { outcome: 'redeemed', grant: JSON.parse(row.body) as CodeGrant, codeHash };
      const used = consumed.get(codeHash);
      if (!used) return { outcome: 'invalid' };
      return {
        outcome: 'replayed',
        grant: JSON.parse(used.body) as CodeGrant,
        codeHash,
        ...(used.issued_refresh_token_id ? { issuedRefreshTokenId: used.issued_refresh_token_id } : {}),
        ...(used.issued_access_token_jti ? { issuedAccessTokenJti: used.issued_access_token_jti } : {}),
      };
    },
    /** Remembers what a redeemed code issued, for revoking it if the code is replayed. */
    recordIssued: (codeHash: string, refreshTokenId: string | undefined, accessTokenJti: string) =>
      void recordIssued.run(refreshTokenId ?? null, accessTokenJti, codeHash),
    /** Codes past their expiry, consumed or not, are kept no longer than that. */
    purgeExpired: (now: number): number => purge.run(now).changes,
  };
}
