import type { Db } from './open-database.js';
import { hashSecret } from './secrets.js';

/** A login sent to an identity provider, waiting for the browser to come back to /oauth2/callback. */
export interface IdentityProviderLogin {
  identityProviderId: string;
  browserHash: string;
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
  params: Record<string, string>;
  expiresAt: number;
}

interface Row {
  identity_provider_id: string;
  browser_hash: string;
  code_verifier: string;
  nonce: string;
  redirect_uri: string;
  params: string;
  expires_at: number;
}

export type IdentityProviderLoginStore = ReturnType<typeof createIdentityProviderLoginStore>;

/** Keyed by the SHA-256 of the state, as codes are: the database holds nothing a callback URL could be rebuilt from. */
export function createIdentityProviderLoginStore(db: Db) {
  const insert = db.prepare<[string, string, string, string, string, string, string, number]>(
    `INSERT INTO identity_provider_logins
       (state, identity_provider_id, browser_hash, code_verifier, nonce, redirect_uri, params, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const take = db.prepare<[string, number], Row>('DELETE FROM identity_provider_logins WHERE state = ? AND expires_at > ? RETURNING *');
  const sweep = db.prepare<[number]>('DELETE FROM identity_provider_logins WHERE expires_at <= ?');

  return {
    /** Stores a login under `state`, and drops the ones that expired unanswered. */
    insert: (state: string, login: IdentityProviderLogin, now: number): void => {
      db.transaction(() => {
        sweep.run(now);
        insert.run(
          hashSecret(state),
          login.identityProviderId,
          login.browserHash,
          login.codeVerifier,
          login.nonce,
          login.redirectUri,
          JSON.stringify(login.params),
          login.expiresAt,
        );
      })();
    },
    /** The login `state` names, removed as it is read: a state is good for one callback (single use), and only before it expires. */
    take: (state: string, now: number): IdentityProviderLogin | undefined => {
      const row = take.get(hashSecret(state), now);
      if (!row) return undefined;
      return {
        identityProviderId: row.identity_provider_id,
        browserHash: row.browser_hash,
        codeVerifier: row.code_verifier,
        nonce: row.nonce,
        redirectUri: row.redirect_uri,
        params: JSON.parse(row.params) as Record<string, string>,
        expiresAt: row.expires_at,
      };
    },
  };
}
