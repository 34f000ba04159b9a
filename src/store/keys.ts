import type { Algorithm, KeyType } from '../keys/algorithms.js';
import type { Db } from './open-database.js';

/** A key as FusionAuth's Key API shows it: never the private part. */
export interface Key {
  id: string;
  name: string;
  algorithm: Algorithm;
  type: KeyType;
  kid: string;
  length: number;
  publicKey?: string;
  issuer?: string;
  insertInstant: number;
}

export interface StoredKey {
  key: Key;
  privateKey: string;
}

export type KeyStore = ReturnType<typeof createKeyStore>;

export function createKeyStore(db: Db) {
  const insert = db.prepare<[string, string, string, string, string | null, string, string]>(
    'INSERT INTO keys (id, kid, name, algorithm, public_key, private_key, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], { body: string; private_key: string }>('SELECT body, private_key FROM keys WHERE id = ?');
  const byKid = db.prepare<[string], { body: string; private_key: string }>('SELECT body, private_key FROM keys WHERE kid = ?');
  const idByName = db.prepare<[string], { id: string }>('SELECT id FROM keys WHERE name = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM keys ORDER BY rowid');
  const remove = db.prepare<[string]>('DELETE FROM keys WHERE id = ?');

  const stored = (row: { body: string; private_key: string } | undefined): StoredKey | undefined =>
    row ? { key: JSON.parse(row.body) as Key, privateKey: row.private_key } : undefined;

  return {
    insert: ({ key, privateKey }: StoredKey) => void insert.run(key.id, key.kid, key.name, key.algorithm, key.publicKey ?? null, privateKey, JSON.stringify(key)),
    get: (id: string): StoredKey | undefined => stored(byId.get(id)),
    byKid: (kid: string): StoredKey | undefined => stored(byKid.get(kid)),
    idByName: (name: string): string | undefined => idByName.get(name)?.id,
    exists: (id: string): boolean => byId.get(id) !== undefined,
    list: (): Key[] => all.all().map((row) => JSON.parse(row.body) as Key),
    delete: (id: string): boolean => remove.run(id).changes === 1,
  };
}
