import type { ApiKey } from '../model/api-key.js';
import type { Db } from './open-database.js';
import { hashSecret } from './secrets.js';

export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;

/** API keys, kept as SHA-256 hashes (see secrets.ts). */
export function createApiKeyStore(db: Db) {
  const insert = db.prepare<[string, string, string | null, string]>('INSERT INTO api_keys (id, key_hash, tenant_id, body) VALUES (?, ?, ?, ?)');
  // The key and the tenant never change once a key is made (FusionAuth API Key API: tenantId is read-only).
  const update = db.prepare<[string, string]>('UPDATE api_keys SET body = ? WHERE id = ?');
  const remove = db.prepare<[string]>('DELETE FROM api_keys WHERE id = ?');
  const byHash = db.prepare<[string], { body: string }>('SELECT body FROM api_keys WHERE key_hash = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM api_keys WHERE id = ?');
  const byName = db.prepare<[string], { id: string }>("SELECT id FROM api_keys WHERE json_extract(body, '$.name') = ?");
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM api_keys');
  const byIpAcl = db.prepare<[string], { body: string }>("SELECT body FROM api_keys WHERE json_extract(body, '$.ipAccessControlListId') = ?");
  const parse = (row: { body: string } | undefined) => (row ? (JSON.parse(row.body) as ApiKey) : undefined);

  return {
    insert: (apiKey: ApiKey, rawKey: string) => void insert.run(apiKey.id, hashSecret(rawKey), apiKey.tenantId ?? null, JSON.stringify(apiKey)),
    update: (apiKey: ApiKey) => void update.run(JSON.stringify(apiKey), apiKey.id),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
    find: (rawKey: string): ApiKey | undefined => parse(byHash.get(hashSecret(rawKey))),
    get: (id: string): ApiKey | undefined => parse(byId.get(id.toLowerCase())),
    /** The id of the key named `name`, if any. */
    idNamed: (name: string): string | undefined => byName.get(name)?.id,
    count: (): number => count.get()!.n,
    /** The keys limited to the IP ACL `listId` (docs/ip-acls.md). */
    limitedBy: (listId: string): ApiKey[] => byIpAcl.all(listId.toLowerCase()).map((row) => parse(row)!),
  };
}
