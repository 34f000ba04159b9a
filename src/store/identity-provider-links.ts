import type { Db } from './open-database.js';

/** A link between a user of an identity provider and a Standin user (https://fusionauth.io/docs/apis/identity-providers/links). */
export interface IdentityProviderLinkRow {
  identityProviderId: string;
  identityProviderUserId: string;
  tenantId: string;
  userId: string;
  displayName?: string;
  token?: string;
  insertInstant: number;
  lastLoginInstant: number;
}

interface Row {
  identity_provider_id: string;
  identity_provider_user_id: string;
  tenant_id: string;
  user_id: string;
  display_name: string | null;
  token: string | null;
  insert_instant: number;
  last_login_instant: number;
}

export type IdentityProviderLinkStore = ReturnType<typeof createIdentityProviderLinkStore>;

export function createIdentityProviderLinkStore(db: Db) {
  const insert = db.prepare<[string, string, string, string, string | null, string | null, number, number]>(
    `INSERT INTO identity_provider_links
       (identity_provider_id, identity_provider_user_id, tenant_id, user_id, display_name, token, insert_instant, last_login_instant)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const find = db.prepare<[string, string, string], Row>(
    'SELECT * FROM identity_provider_links WHERE identity_provider_id = ? AND tenant_id = ? AND identity_provider_user_id = ?',
  );
  const ofProviderUser = db.prepare<[string, string], Row>(
    'SELECT * FROM identity_provider_links WHERE identity_provider_id = ? AND identity_provider_user_id = ? ORDER BY rowid',
  );
  const ofUser = db.prepare<[string], Row>('SELECT * FROM identity_provider_links WHERE user_id = ? ORDER BY insert_instant, rowid');
  const loggedIn = db.prepare<[number, string, string, string]>(
    'UPDATE identity_provider_links SET last_login_instant = ? WHERE identity_provider_id = ? AND tenant_id = ? AND identity_provider_user_id = ?',
  );
  const remove = db.prepare<[string, string, string]>(
    'DELETE FROM identity_provider_links WHERE identity_provider_id = ? AND identity_provider_user_id = ? AND user_id = ?',
  );
  const toLink = (row: Row): IdentityProviderLinkRow => ({
    identityProviderId: row.identity_provider_id,
    identityProviderUserId: row.identity_provider_user_id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    ...(row.display_name === null ? {} : { displayName: row.display_name }),
    ...(row.token === null ? {} : { token: row.token }),
    insertInstant: row.insert_instant,
    lastLoginInstant: row.last_login_instant,
  });

  return {
    insert: (link: IdentityProviderLinkRow) =>
      void insert.run(
        link.identityProviderId,
        link.identityProviderUserId,
        link.tenantId,
        link.userId,
        link.displayName ?? null,
        link.token ?? null,
        link.insertInstant,
        link.lastLoginInstant,
      ),
    /** The link of the provider's user `identityProviderUserId` in `tenantId`, if any. */
    find: (identityProviderId: string, tenantId: string, identityProviderUserId: string): IdentityProviderLinkRow | undefined => {
      const row = find.get(identityProviderId, tenantId, identityProviderUserId);
      return row ? toLink(row) : undefined;
    },
    /** The links of the provider's user `identityProviderUserId`, one per tenant at most. */
    ofProviderUser: (identityProviderId: string, identityProviderUserId: string): IdentityProviderLinkRow[] =>
      ofProviderUser.all(identityProviderId, identityProviderUserId).map(toLink),
    ofUser: (userId: string): IdentityProviderLinkRow[] => ofUser.all(userId).map(toLink),
    recordLogin: (link: IdentityProviderLinkRow, now: number) =>
      void loggedIn.run(now, link.identityProviderId, link.tenantId, link.identityProviderUserId),
    delete: (identityProviderId: string, identityProviderUserId: string, userId: string): boolean =>
      remove.run(identityProviderId, identityProviderUserId, userId).changes === 1,
  };
}
