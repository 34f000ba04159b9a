import { createHash } from 'node:crypto';
import type { Db } from './open-database.js';

export interface ApiKey {
  id: string;
  description?: string;
  /** A key bound to a tenant acts only within it (FusionAuth API Key API). */
  tenantId?: string;
  insertInstant: number;
}

export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;

/**
 * API keys, kept as SHA-256 hashes: a lookup by hash compares no secret byte by byte, so it leaks no
 * timing about the key (security checklist K4), and the database file holds nothing to replay.
 */
export function createApiKeyStore(db: Db) {
  const insert = db.prepare<[string, string, string | null, string]>('INSERT INTO api_keys (id, key_hash, tenant_id, body) VALUES (?, ?, ?, ?)');
  const byHash = db.prepare<[string], { body: string }>('SELECT body FROM api_keys WHERE key_hash = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM api_keys');

  return {
    insert: (apiKey: ApiKey, rawKey: string) => void insert.run(apiKey.id, hashApiKey(rawKey), apiKey.tenantId ?? null, JSON.stringify(apiKey)),
    find: (rawKey: string): ApiKey | undefined => {
      const row = byHash.get(hashApiKey(rawKey));
      return row ? (JSON.parse(row.body) as ApiKey) : undefined;
    },
    count: (): number => count.get()!.n,
  };
}

function hashApiKey(rawKey: string): string {
  return createHash('sha256').update(rawKey, 'utf8').digest('base64url');
}
