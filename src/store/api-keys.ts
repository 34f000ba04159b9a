import type { ApiKey } from '../model/api-key.js';
import type { Db } from './open-database.js';
import { hashSecret } from './secrets.js';

export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;

/** API keys, kept as SHA-256 hashes (see secrets.ts). */
export function createApiKeyStore(db: Db) {
  const insert = db.prepare<[string, string, string | null, string]>('INSERT INTO api_keys (id, key_hash, tenant_id, body) VALUES (?, ?, ?, ?)');
  const byHash = db.prepare<[string], { body: string }>('SELECT body FROM api_keys WHERE key_hash = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM api_keys');

  return {
    insert: (apiKey: ApiKey, rawKey: string) => void insert.run(apiKey.id, hashSecret(rawKey), apiKey.tenantId ?? null, JSON.stringify(apiKey)),
    find: (rawKey: string): ApiKey | undefined => {
      const row = byHash.get(hashSecret(rawKey));
      return row ? (JSON.parse(row.body) as ApiKey) : undefined;
    },
    count: (): number => count.get()!.n,
  };
}
