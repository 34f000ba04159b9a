import type { Application } from '../model/application.js';
import type { Db } from './open-database.js';
import type { TableCache } from './row-cache.js';

export type ApplicationStore = ReturnType<typeof createApplicationStore>;

/** `cached` keeps parsed applications between requests (store/row-cache.ts): what `get` returns is frozen. */
export function createApplicationStore(db: Db, cached: TableCache<Application>) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO applications (id, tenant_id, body) VALUES (?, ?, ?)');
  const update = db.prepare<[string, string]>('UPDATE applications SET body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM applications WHERE id = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM applications ORDER BY rowid');
  const ofTenant = db.prepare<[string], { body: string }>('SELECT body FROM applications WHERE tenant_id = ? ORDER BY rowid');
  const remove = db.prepare<[string]>('DELETE FROM applications WHERE id = ?');

  return {
    insert: (application: Application) => void insert.run(application.id, application.tenantId, JSON.stringify(application)),
    update: (application: Application) => void update.run(JSON.stringify(application), application.id),
    get: (id: string): Application | undefined => cached(id, () => parse(byId.get(id))),
    list: (tenantId?: string): Application[] => (tenantId === undefined ? all.all() : ofTenant.all(tenantId)).map((row) => parse(row)!),
    delete: (id: string): boolean => remove.run(id).changes === 1,
  };
}

function parse(row: { body: string } | undefined): Application | undefined {
  return row ? (JSON.parse(row.body) as Application) : undefined;
}
