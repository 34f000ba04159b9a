import type { EntityType } from '../model/entity.js';
import type { Db } from './open-database.js';

export type EntityTypeStore = ReturnType<typeof createEntityTypeStore>;

/** FusionAuth's entity types, each with its permissions (https://fusionauth.io/docs/apis/entities/entity-types). */
export function createEntityTypeStore(db: Db) {
  const insert = db.prepare<[string, string, string]>('INSERT INTO entity_types (id, name, body) VALUES (?, ?, ?)');
  const update = db.prepare<[string, string, string]>('UPDATE entity_types SET name = ?, body = ? WHERE id = ?');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM entity_types WHERE id = ?');
  const byName = db.prepare<[string], { id: string }>('SELECT id FROM entity_types WHERE name = ?');
  const all = db.prepare<[], { body: string }>('SELECT body FROM entity_types ORDER BY name COLLATE NOCASE, id');
  const remove = db.prepare<[string]>('DELETE FROM entity_types WHERE id = ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as EntityType;

  return {
    insert: (type: EntityType) => void insert.run(type.id, type.name, JSON.stringify(type)),
    update: (type: EntityType) => void update.run(type.name, JSON.stringify(type), type.id),
    get: (id: string): EntityType | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** The id of the entity type with this name, to report a duplicate name. */
    idByName: (name: string): string | undefined => byName.get(name)?.id,
    list: (): EntityType[] => all.all().map(parse),
    delete: (id: string): boolean => remove.run(id.toLowerCase()).changes === 1,
  };
}
