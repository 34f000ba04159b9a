import type { Integrations } from '../model/integrations.js';
import type { Db } from './open-database.js';

export type IntegrationStore = ReturnType<typeof createIntegrationStore>;

/** The one Integrations object (https://fusionauth.io/docs/apis/integrations); undefined until one is stored. */
export function createIntegrationStore(db: Db) {
  const read = db.prepare<[], { body: string }>('SELECT body FROM integrations WHERE id = 1');
  const write = db.prepare<[string]>('INSERT INTO integrations (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body');
  return {
    get: (): Integrations | undefined => {
      const row = read.get();
      return row ? (JSON.parse(row.body) as Integrations) : undefined;
    },
    set: (integrations: Integrations) => void write.run(JSON.stringify(integrations)),
  };
}
