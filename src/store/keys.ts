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
  /**
   * False on an imported key that holds only a public part (a public key or a certificate): it verifies and never
   * signs. Absent on every other key, which holds its private part (FusionAuth's `hasPrivateKey`).
   */
  hasPrivateKey?: false;
  insertInstant: number;
  /** Set when the Key API changed the key (its name); absent until then. */
  lastUpdateInstant?: number;
}

export interface StoredKey {
  key: Key;
  /**
   * PKCS #8 PEM or the base64 HMAC secret. Absent on the built-in OpenID Connect keys, which sign with the
   * application's client secret instead (model/built-in-keys.ts), and on an imported public key or certificate.
   */
  privateKey?: string;
}

export type KeyStore = ReturnType<typeof createKeyStore>;

interface Row {
  body: string;
  private_key: string | null;
}

/**
 * Signing keys. The built-in client-secret keys are not rows: they are answered beside the stored ones, so
 * every database has them, and nothing can change or delete them. `cached` keeps the stored keys `get` reads between
 * requests (store/row-cache.ts): what it returns is frozen.
 */
export function createKeyStore(db: Db, cached: TableCache<StoredKey>) {
  const insert = db.prepare<[string, string, string, string, string | null, string | null, string]>(
    'INSERT INTO keys (id, kid, name, algorithm, public_key, private_key, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const setCertificate = db.prepare<[string, string]>("UPDATE keys SET body = ? WHERE id = ? AND json_extract(body, '$.certificate') IS NULL");
  const rename = db.prepare<[string, string, string]>('UPDATE keys SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], Row>('SELECT body, private_key FROM keys WHERE id = ?');
  const byKid = db.prepare<[string], Row>('SELECT body, private_key FROM keys WHERE kid = ?');
  const idByName = db.prepare<[string], { id: string }>('SELECT id FROM keys WHERE name = ?');
  const idByKid = db.prepare<[string], { id: string }>('SELECT id FROM keys WHERE kid = ?');
  const found = db.prepare<[string], { found: number }>('SELECT 1 AS found FROM keys WHERE id = ?');
  const held = db.prepare<[string], { held: number }>('SELECT private_key IS NOT NULL AS held FROM keys WHERE id = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM keys ORDER BY rowid');
  const first = db.prepare<[], { body: string }>('SELECT body FROM keys ORDER BY rowid LIMIT 1');
  const remove = db.prepare<[string]>('DELETE FROM keys WHERE id = ?');

  const stored = (row: Row | undefined): StoredKey | undefined =>
    row ? { key: JSON.parse(row.body) as Key, ...(row.private_key === null ? {} : { privateKey: row.private_key }) } : undefined;
  // FusionAuth creates the built-in keys just after its Default signing key, a second apart; here a
  // millisecond after the first stored key (the default seed's signing key), so listings keep that order.
  const builtIn = (key: BuiltInKey, firstInstant: number): Key => ({ ...key, insertInstant: firstInstant + BUILT_IN_KEYS.indexOf(key) + 1 });
  const firstInstant = () => {
    const row = first.get();
    return row ? (JSON.parse(row.body) as Key).insertInstant : 0;
  };

  return {
    /** Stores a key; one with no `privateKey` (an imported public key or certificate) only verifies. */
    insert: ({ key, privateKey }: StoredKey) =>
      void insert.run(key.id, key.kid, key.name, key.algorithm, key.publicKey ?? null, privateKey ?? null, JSON.stringify(key)),
    /** Writes a stored key's new name (the one thing FusionAuth's Key API changes); the key material never changes. */
    rename: (key: Key): boolean => rename.run(key.name, JSON.stringify(key), key.id).changes === 1,
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
    idByKid: (kid: string): string | undefined => BUILT_IN_KEYS.find((key) => key.kid === kid)?.id ?? idByKid.get(kid)?.id,
    exists: (id: string): boolean => builtInKey(id) !== undefined || found.get(id) !== undefined,
    /**
     * Whether the key `id` holds a private part, without reading its body: a generated key does, a built-in one (it
     * signs with a client secret) and an imported public key or certificate do not; undefined when there is no such
     * key. Asked on every token's path.
     */
    holdsPrivateKey: (id: string): boolean | undefined => {
      if (builtInKey(id) !== undefined) return false;
      const row = held.get(id);
      return row === undefined ? undefined : row.held === 1;
    },
    /** The stored keys in the order they were made, the built-in ones after the first (as on a fresh FusionAuth). */
    list: (): Key[] => {
      const keys = all.all().map((row) => JSON.parse(row.body) as Key);
      const builtIns = BUILT_IN_KEYS.map((key) => builtIn(key, keys[0]?.insertInstant ?? 0));
      return [...keys.slice(0, 1), ...builtIns, ...keys.slice(1)];
    },
    delete: (id: string): boolean => builtInKey(id) === undefined && remove.run(id).changes === 1,
  };
}
