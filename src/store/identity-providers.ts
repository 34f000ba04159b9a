import type { IdentityProvider } from '../model/identity-provider.js';
import type { Db } from './open-database.js';

export type IdentityProviderStore = ReturnType<typeof createIdentityProviderStore>;

export function createIdentityProviderStore(db: Db) {
  const insert = db.prepare<[string, string, string, string]>('INSERT INTO identity_providers (id, type, name, body) VALUES (?, ?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE identity_providers SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM identity_providers WHERE id = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM identity_providers ORDER BY name COLLATE NOCASE, id');
  const remove = db.prepare<[string]>('DELETE FROM identity_providers WHERE id = ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as IdentityProvider;

  return {
    insert: (provider: IdentityProvider) => void insert.run(provider.id, provider.type, provider.name, JSON.stringify(provider)),
    /** The type never changes after create. */
    update: (provider: IdentityProvider) => void update.run(provider.name, JSON.stringify(provider), provider.id),
    get: (id: string): IdentityProvider | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** Every identity provider, by name. */
    list: (): IdentityProvider[] => all.all().map(parse),
    /** Deletes the provider, its links with it (ON DELETE CASCADE). */
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
  };
}
