import type { JsonObject } from '../model/json.js';
import type { Db } from './open-database.js';

export type SystemConfigurationStore = ReturnType<typeof createSystemConfigurationStore>;

/** The one system configuration object (FusionAuth System API), stored as given; CORS settings live here. */
export function createSystemConfigurationStore(db: Db) {
  const read = db.prepare<[], { body: string }>('SELECT body FROM system_configuration WHERE id = 1');
  const write = db.prepare<[string]>('INSERT INTO system_configuration (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body');

  return {
    get: (): JsonObject => {
      const row = read.get();
      return row ? (JSON.parse(row.body) as JsonObject) : {};
    },
    set: (configuration: JsonObject) => void write.run(JSON.stringify(configuration)),
  };
}
