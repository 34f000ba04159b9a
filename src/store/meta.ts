import type { Db } from './open-database.js';

export type SeedSource = 'default' | 'kickstart';

export type MetaStore = ReturnType<typeof createMetaStore>;

/**
 * Facts about the database itself: which seed made it, so the banner can warn about demo credentials, and the
 * default seed's users with the instant their password was set, so that it shows "password" only while it is.
 */
export function createMetaStore(db: Db) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM standin_meta WHERE key = ?');
  const write = db.prepare<[string, string]>(
    'INSERT INTO standin_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    seedSource: (): SeedSource | undefined => read.get('seed')?.value as SeedSource | undefined,
    setSeedSource: (source: SeedSource) => void write.run('seed', source),
    /** User id → `passwordLastUpdateInstant`, as the default seed left them. */
    demoPasswords: (): Record<string, number> => JSON.parse(read.get('demo-passwords')?.value ?? '{}') as Record<string, number>,
    setDemoPasswords: (users: Record<string, number>) => void write.run('demo-passwords', JSON.stringify(users)),
  };
}
