import type { StoredEntityGrant } from '../model/entity.js';
import type { Db } from './open-database.js';

export type EntityGrantStore = ReturnType<typeof createEntityGrantStore>;

/**
 * Grants of an entity's permissions to a user or to another entity (https://fusionauth.io/docs/apis/entities/grants):
 * at most one per entity and recipient, which an upsert replaces.
 */
export function createEntityGrantStore(db: Db) {
  const upsertUser = db.prepare<[string, string, string, string]>(
    `INSERT INTO entity_grants (id, entity_id, user_id, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (entity_id, user_id) WHERE user_id IS NOT NULL DO UPDATE SET body = excluded.body`,
  );
  const upsertRecipient = db.prepare<[string, string, string, string]>(
    `INSERT INTO entity_grants (id, entity_id, recipient_entity_id, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (entity_id, recipient_entity_id) WHERE recipient_entity_id IS NOT NULL DO UPDATE SET body = excluded.body`,
  );
  const ofEntity = db.prepare<[string], { body: string }>('SELECT body FROM entity_grants WHERE entity_id = ? ORDER BY id');
  const toUser = db.prepare<[string, string], { body: string }>('SELECT body FROM entity_grants WHERE entity_id = ? AND user_id = ?');
  const toRecipient = db.prepare<[string, string], { body: string }>(
    'SELECT body FROM entity_grants WHERE entity_id = ? AND recipient_entity_id = ?',
  );
  const all = db.prepare<[], { body: string }>('SELECT body FROM entity_grants ORDER BY id');
  const removeUser = db.prepare<[string, string]>('DELETE FROM entity_grants WHERE entity_id = ? AND user_id = ?');
  const removeRecipient = db.prepare<[string, string]>('DELETE FROM entity_grants WHERE entity_id = ? AND recipient_entity_id = ?');
  const parse = (row: { body: string }) => JSON.parse(row.body) as StoredEntityGrant;
  const one = (row: { body: string } | undefined) => (row ? parse(row) : undefined);

  return {
    /** Creates the grant, or replaces the body of the one to the same recipient (whose id and insertInstant the caller kept). */
    upsert: (grant: StoredEntityGrant) => {
      const body = JSON.stringify(grant);
      if (grant.userId !== undefined) upsertUser.run(grant.id, grant.entityId, grant.userId, body);
      else upsertRecipient.run(grant.id, grant.entityId, grant.recipientEntityId!, body);
    },
    ofEntity: (entityId: string): StoredEntityGrant[] => ofEntity.all(entityId).map(parse),
    find: (entityId: string, to: { userId?: string; recipientEntityId?: string }): StoredEntityGrant | undefined =>
      to.userId !== undefined ? one(toUser.get(entityId, to.userId)) : one(toRecipient.get(entityId, to.recipientEntityId ?? '')),
    list: (): StoredEntityGrant[] => all.all().map(parse),
    delete: (entityId: string, to: { userId?: string; recipientEntityId?: string }): boolean =>
      (to.userId !== undefined ? removeUser.run(entityId, to.userId) : removeRecipient.run(entityId, to.recipientEntityId ?? '')).changes === 1,
  };
}
