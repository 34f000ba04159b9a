import type { StoredEntity } from '../model/entity.js';
import type { Db } from './open-database.js';

export type EntityStore = ReturnType<typeof createEntityStore>;

/** FusionAuth's entities, each of one tenant and one type (https://fusionauth.io/docs/apis/entities/entities). */
export function createEntityStore(db: Db) {
  const insert = db.prepare<[string, string, string, string, string, string]>(
    'INSERT INTO entities (id, tenant_id, type_id, client_id, name, body) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<[string, string, string, string, string]>(
    'UPDATE entities SET type_id = ?, client_id = ?, name = ?, body = ? WHERE id = ?',
  );
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM entities WHERE id = ?');
  const byClientId = db.prepare<[string], { body: string }>('SELECT body FROM entities WHERE client_id = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM entities ORDER BY name COLLATE NOCASE, id');
  const ofTenant = db.prepare<[string], { body: string }>('SELECT body FROM entities WHERE tenant_id = ? ORDER BY name COLLATE NOCASE, id');
  const countOfType = db.prepare<[string], { count: number }>('SELECT count(*) AS count FROM entities WHERE type_id = ?');
  const remove = db.prepare<[string]>('DELETE FROM entities WHERE id = ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as StoredEntity;

  return {
    insert: (entity: StoredEntity) =>
      void insert.run(entity.id, entity.tenantId, entity.typeId, entity.clientId, entity.name, JSON.stringify(entity)),
    update: (entity: StoredEntity) => void update.run(entity.typeId, entity.clientId, entity.name, JSON.stringify(entity), entity.id),
    get: (id: string): StoredEntity | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** The entity an OAuth client id names (the client credentials grant), exactly as spelled. */
    byClientId: (clientId: string): StoredEntity | undefined => {
      const row = byClientId.get(clientId);
      return row ? parse(row) : undefined;
    },
    /** Every entity, or a tenant's, by name. */
    list: (tenantId?: string): StoredEntity[] => (tenantId === undefined ? all.all() : ofTenant.all(tenantId)).map(parse),
    countOfType: (typeId: string): number => countOfType.get(typeId)!.count,
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
  };
}
