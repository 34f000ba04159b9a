import type { Consent } from '../model/consent.js';
import type { Db } from './open-database.js';

export type ConsentStore = ReturnType<typeof createConsentStore>;

/** Consent definitions (Consent API); deleting one deletes the user consents granted with it (migration 022). */
export function createConsentStore(db: Db) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO consents (id, name, body) VALUES (?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE consents SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM consents WHERE id = ?');
  const byName = db.prepare<[string], { id: string }>('SELECT id FROM consents WHERE name = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM consents ORDER BY name COLLATE NOCASE, id');
  const remove = db.prepare<[string]>('DELETE FROM consents WHERE id = ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as Consent;

  return {
    insert: (consent: Consent) => void insert.run(consent.id, consent.name, JSON.stringify(consent)),
    update: (consent: Consent) => void update.run(consent.name, JSON.stringify(consent), consent.id),
    get: (id: string): Consent | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** The id of the consent with this name, to report a duplicate name. */
    idByName: (name: string): string | undefined => byName.get(name)?.id,
    /** Every consent, by name. */
    list: (): Consent[] => all.all().map(parse),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
  };
}
