import type { JsonObject } from '../model/json.js';
import type { WebAuthnCredential } from '../model/webauthn.js';
import type { Db } from './open-database.js';

export type WebAuthnStore = ReturnType<typeof createWebAuthnStore>;

export type Ceremony = 'registration' | 'authentication';

/** A ceremony started and not yet completed: what start was asked for, read again at completion. */
export interface PendingCeremony {
  challenge: string;
  ceremony: Ceremony;
  tenantId: string;
  userId?: string;
  expiresAt: number;
  request: JsonObject;
}

interface ChallengeRow {
  challenge: string;
  ceremony: Ceremony;
  tenant_id: string;
  user_id: string | null;
  expires_at: number;
  body: string;
}

/** FusionAuth's passkeys (https://fusionauth.io/docs/apis/webauthn), one row each, and the ceremonies under way. */
export function createWebAuthnStore(db: Db) {
  const insert = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO webauthn_credentials (id, tenant_id, user_id, credential_id, body) VALUES (?, ?, ?, ?, ?)',
  );
  // A use moves the stored counter forward only: of two completions verified at once, the higher count stays.
  const recordUse = db.prepare<[number, number, string], { body: string }>(
    `UPDATE webauthn_credentials
     SET body = json_set(body, '$.signCount', max(json_extract(body, '$.signCount'), ?), '$.lastUseInstant', ?)
     WHERE id = ? RETURNING body`,
  );
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM webauthn_credentials WHERE id = ?');
  const byCredentialId = db.prepare<[string, string], { body: string }>(
    'SELECT body FROM webauthn_credentials WHERE tenant_id = ? AND credential_id = ?',
  );
  const ofUser = db.prepare<[string], { body: string }>('SELECT body FROM webauthn_credentials WHERE user_id = ? ORDER BY rowid');
  const remove = db.prepare<[string]>('DELETE FROM webauthn_credentials WHERE id = ?');
  const removeOfUser = db.prepare<[string]>('DELETE FROM webauthn_credentials WHERE user_id = ?');
  const begin = db.prepare<[string, string, string, string | null, number, string]>(
    'INSERT INTO webauthn_challenges (challenge, ceremony, tenant_id, user_id, expires_at, body) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const take = db.prepare<[string, string], ChallengeRow>('DELETE FROM webauthn_challenges WHERE challenge = ? AND ceremony = ? RETURNING *');
  const sweep = db.prepare<[number]>('DELETE FROM webauthn_challenges WHERE expires_at <= ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as WebAuthnCredential;

  return {
    /** Inserts every credential in one transaction: all of them or none. */
    insert: (credentials: readonly WebAuthnCredential[]): void => {
      db.transaction(() => {
        for (const c of credentials) insert.run(c.id, c.tenantId, c.userId, c.credentialId, JSON.stringify(c));
      }).immediate();
    },
    /** Records a verified use: the signature counter (never lowered) and the instant; answers the passkey as stored. */
    recordUse: (id: string, signCount: number, now: number): WebAuthnCredential | undefined => {
      const row = recordUse.get(signCount, now, id);
      return row ? parse(row) : undefined;
    },
    get: (id: string): WebAuthnCredential | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    byCredentialId: (tenantId: string, credentialId: string): WebAuthnCredential | undefined => {
      const row = byCredentialId.get(tenantId, credentialId);
      return row ? parse(row) : undefined;
    },
    ofUser: (userId: string): WebAuthnCredential[] => ofUser.all(userId.toLowerCase()).map(parse),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
    deleteOfUser: (userId: string): number => removeOfUser.run(userId.toLowerCase()).changes,

    /** Records a ceremony's challenge; expired ones are swept on the way. */
    begin: (pending: PendingCeremony, now: number): void => {
      db.transaction(() => {
        sweep.run(now);
        begin.run(pending.challenge, pending.ceremony, pending.tenantId, pending.userId ?? null, pending.expiresAt, JSON.stringify(pending.request));
      }).immediate();
    },
    /** Takes the ceremony of this challenge, once: a second completion, or one after expiry, finds nothing. */
    take: (challenge: string, ceremony: Ceremony, now: number): PendingCeremony | undefined => {
      const row = take.get(challenge, ceremony);
      if (!row || row.expires_at <= now) return undefined;
      return {
        challenge: row.challenge,
        ceremony: row.ceremony,
        tenantId: row.tenant_id,
        ...(row.user_id === null ? {} : { userId: row.user_id }),
        expiresAt: row.expires_at,
        request: JSON.parse(row.body) as JsonObject,
      };
    },
  };
}
