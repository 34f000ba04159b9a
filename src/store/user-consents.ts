import type { Db } from './open-database.js';

export type UserConsentStore = ReturnType<typeof createUserConsentStore>;

export type ConsentStatus = 'Active' | 'Revoked';

/**
 * A consent granted to a user (FusionAuth's UserConsent, https://fusionauth.io/docs/apis/consents), as stored: the
 * API answers it with the consent it names beside it (manage/user-consents.ts).
 */
export interface StoredUserConsent {
  id: string;
  consentId: string;
  userId: string;
  giverUserId: string;
  status: ConsentStatus;
  values: string[];
  data: Record<string, unknown>;
  insertInstant: number;
  lastUpdateInstant: number;
}

/** User consents, deleted with their consent, their user or the user who gave them (migration 022). */
export function createUserConsentStore(db: Db) {
  const insert = db.prepare<[string, string, string, string, number, string]>(
    'INSERT INTO user_consents (id, consent_id, user_id, giver_user_id, insert_instant, body) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<[string, string]>('UPDATE user_consents SET body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM user_consents WHERE id = ?');
  const ofUser = db.prepare<[string], { body: string }>('SELECT body FROM user_consents WHERE user_id = ? ORDER BY insert_instant, rowid');
  const parse = (row: { body: string }) => JSON.parse(row.body) as StoredUserConsent;

  return {
    insert: (consent: StoredUserConsent) =>
      void insert.run(consent.id, consent.consentId, consent.userId, consent.giverUserId, consent.insertInstant, JSON.stringify(consent)),
    update: (consent: StoredUserConsent) => void update.run(JSON.stringify(consent), consent.id),
    get: (id: string): StoredUserConsent | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** A user's consents, in the order they were granted. */
    ofUser: (userId: string): StoredUserConsent[] => ofUser.all(userId).map(parse),
  };
}
