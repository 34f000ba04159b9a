import type { Algorithm, KeyType } from '../keys/algorithms.js';
import { BUILT_IN_KEYS, builtInKey, type BuiltInKey } from '../model/built-in-keys.js';
import type { Db } from './open-database.js';
import type { TableCache } from './row-cache.js';

/** A key as FusionAuth's Key API shows it: never the private part. */
export interface Key {
  id: string;
  name: string;
  algorithm: Algorithm;
  type: KeyType;
  kid: string;
  /** Absent on the built-in client-secret keys, which hold no key material. */
  length?: number;
  publicKey?: string;
  /** The self-signed X.509 certificate (PEM) of an RSA or EC key, and when it expires (milliseconds). */
  certificate?: string;
  expirationInstant?: number;
  issuer?: string;
  insertInstant: number;
}

export interface StoredKey {
  key: Key;
  /**
   * PKCS #8 PEM or the base64 HMAC secret. Absent on the built-in OpenID Connect keys, which sign with the
   * application's client secret instead (model/built-in-keys.ts).
   */
  privateKey?: string;
}

export type KeyStore = ReturnType<typeof createKeyStore>;

/**
 * Signing keys. The built-in client-secret keys are not rows: they are answered beside the stored ones, so
 * every database has them, and nothing can change or delete them. `cached` keeps the stored keys `get` reads between
 * requests (store/row-cache.ts): what it returns is frozen.
 */
export function createKeyStore(db: Db, cached: TableCache<StoredKey>) {
  const insert = db.prepare<[string, string, string, string, string | null, string, string]>(
    'INSERT INTO keys (id, kid, name, algorithm, public_key, private_key, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const setCertificate = db.prepare<[string, string]>("UPDATE keys SET body = ? WHERE id = ? AND json_extract(body, '$.certificate') IS NULL");
  const byId = db.prepare<[string], { body: string; private_key: string }>('SELECT body, private_key FROM keys WHERE id = ?');
  const byKid = db.prepare<[string], { body: string; private_key: string }>('SELECT body, private_key FROM keys WHERE kid = ?');
  const idByName = db.prepare<[string], { id: string }>('SELECT id FROM keys WHERE name = ?');
  const found = db.prepare<[string], { found: number }>('SELECT 1 AS found FROM keys WHERE id = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM keys ORDER BY rowid');
  const first = db.prepare<[], { body: string }>('SELECT body FROM keys ORDER BY rowid LIMIT 1');
  const remove = db.prepare<[string]>('DELETE FROM keys WHERE id = ?');

  const stored = (row: { body: string; private_key: string } | undefined): StoredKey | undefined =>
    row ? { key: JSON.parse(row.body) as Key, privateKey: row.private_key } : undefined;
  // FusionAuth creates the built-in keys just after its Default signing key, a second apart; here a
  // millisecond after the first stored key (the default seed's signing key), so listings keep that order.
  const builtIn = (key: BuiltInKey, firstInstant: number): Key => ({ ...key, insertInstant: firstInstant + BUILT_IN_KEYS.indexOf(key) + 1 });
  const firstInstant = () => {
    const row = first.get();
    return row ? (JSON.parse(row.body) as Key).insertInstant : 0;
  };

  return {
    insert: ({ key, privateKey }: StoredKey & { privateKey: string }) =>
      void insert.run(key.id, key.kid, key.name, key.algorithm, key.publicKey ?? null, privateKey, JSON.stringify(key)),
    /** Gives a stored key its certificate, unless it has one already; the key material never changes. */
    setCertificate: (id: string, key: Key): boolean => setCertificate.run(JSON.stringify(key), id).changes === 1,
    get: (id: string): StoredKey | undefined => {
      const shadow = builtInKey(id);
      return shadow ? { key: builtIn(shadow, firstInstant()) } : cached(id, () => stored(byId.get(id)));
    },
    byKid: (kid: string): StoredKey | undefined => {
      const shadow = BUILT_IN_KEYS.find((key) => key.kid === kid);
      return shadow ? { key: builtIn(shadow, firstInstant()) } : stored(byKid.get(kid));
    },
    idByName: (name: string): string | undefined => BUILT_IN_KEYS.find((key) => key.name === name)?.id ?? idByName.get(name)?.id,
    exists: (id: string): boolean => builtInKey(id) !== undefined || found.get(id) !== undefined,
    /**
     * Whether the key `id` holds a private part, without reading its body: every stored key does, a built-in one
     * (it signs with a client secret) does not; undefined when there is no such key. Asked on every token's path.
     */
    holdsPrivateKey: (id: string): boolean | undefined => (builtInKey(id) !== undefined ? false : found.get(id) !== undefined ? true : undefined),
    /** The stored keys in the order they were made, the built-in ones after the first (as on a fresh FusionAuth). */
    list: (): Key[] => {
      const keys = all.all().map((row) => JSON.parse(row.body) as Key);
      const builtIns = BUILT_IN_KEYS.map((key) => builtIn(key, keys[0]?.insertInstant ?? 0));
      return [...keys.slice(0, 1), ...builtIns, ...keys.slice(1)];
    },
    delete: (id: string): boolean => builtInKey(id) === undefined && remove.run(id).changes === 1,
  };
}
