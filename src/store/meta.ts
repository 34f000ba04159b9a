import type { Db } from './open-database.js';

export type SeedSource = 'default' | 'kickstart';

export type MetaStore = ReturnType<typeof createMetaStore>;

/** Facts about the database itself: which seed made it, so the banner can warn about demo credentials. */
export function createMetaStore(db: Db) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM standin_meta WHERE key = ?');
  const write = db.prepare<[string, string]>(
    'INSERT INTO standin_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    seedSource: (): SeedSource | undefined => read.get('seed')?.value as SeedSource | undefined,
    setSeedSource: (source: SeedSource) => void write.run('seed', source),
  };
}
