import type { Tenant } from '../model/tenant.js';
import type { Db } from './open-database.js';
import type { TableCache } from './row-cache.js';

export type TenantStore = ReturnType<typeof createTenantStore>;

/** `cached` keeps parsed tenants between requests (store/row-cache.ts): what `get` returns is frozen. */
export function createTenantStore(db: Db, cached: TableCache<Tenant>) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO tenants (id, name, body) VALUES (?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE tenants SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM tenants WHERE id = ?');
  const byName = db.prepare<[string], { id: string }>('SELECT id FROM tenants WHERE name = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM tenants ORDER BY rowid');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tenants');
  const remove = db.prepare<[string]>('DELETE FROM tenants WHERE id = ?');

  return {
    insert: (tenant: Tenant) => void insert.run(tenant.id, tenant.name, JSON.stringify(tenant)),
    update: (tenant: Tenant) => void update.run(tenant.name, JSON.stringify(tenant), tenant.id),
    get: (id: string): Tenant | undefined => cached(id, () => parse(byId.get(id))),
    /** The id of the tenant with this name, to report a duplicate name. */
    idByName: (name: string): string | undefined => byName.get(name)?.id,
    list: (): Tenant[] => all.all().map((row) => JSON.parse(row.body) as Tenant),
    count: (): number => count.get()!.n,
    delete: (id: string): boolean => remove.run(id).changes === 1,
  };
}

function parse(row: { body: string } | undefined): Tenant | undefined {
  return row ? (JSON.parse(row.body) as Tenant) : undefined;
}
