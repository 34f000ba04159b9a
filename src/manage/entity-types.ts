import { refuseDuplicateId, refuseDuplicateName } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { keyUnusable } from '../keys/key-usability.js';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import { buildEntityType, buildPermission, type EntityType, type EntityTypePermission } from '../model/entity.js';
import type { Stores } from '../store/index.js';
import { refuseInUse } from './refuse-in-use.js';
import { searchObjects, type Found } from './search.js';

/** Whether `keyId` names a key that can sign an entity's access tokens. */
const signs = (stores: Stores) => (keyId: string) => keyUnusable(stores.keys, keyId, 'access') === undefined;

/** Creates an entity type (Entity Type API, "Create an Entity Type"); FusionAuth's errors for a taken id or name. */
export function createEntityType(stores: Stores, now: number, id: string | undefined, input: JsonObject): EntityType {
  const typeId = (id ?? randomUUID()).toLowerCase();
  refuseDuplicateId(stores.entityTypes.get(typeId) !== undefined, 'entityTypeId', 'An Entity Type', typeId);
  const type = buildEntityType(input, { id: typeId, now }, signs(stores));
  refuseDuplicateName(stores.entityTypes.idByName(type.name), type, 'entityType.name', 'An Entity Type');
  stores.entityTypes.insert(type);
  return type;
}

/** PUT replaces the entity type's fields with `input`, PATCH merges `input` into them (RFC 7396); its permissions stay. */
export function updateEntityType(stores: Stores, now: number, existing: EntityType, input: JsonObject, mode: 'replace' | 'merge'): EntityType {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const type = buildEntityType(isObject(next) ? next : {}, { id: existing.id, now, existing }, signs(stores));
  refuseDuplicateName(stores.entityTypes.idByName(type.name), type, 'entityType.name', 'An Entity Type');
  stores.entityTypes.update(type);
  return type;
}

/**
 * Deletes an entity type. One that entities are of cannot be: they would be left of no type (Standin's
 * `[inUse]entityTypeId`; FusionAuth's docs do not say what it answers).
 */
export function deleteEntityType(stores: Stores, type: EntityType): void {
  const count = stores.entities.countOfType(type.id);
  refuseInUse('entityTypeId', 'Entity Type', count === 0 ? [] : [`${count} ${count === 1 ? 'entity' : 'entities'}`], 'is the type of');
  stores.entityTypes.delete(type.id);
}

/** Adds a permission to `type` (Entity Type API, "Create an Entity Type Permission"): its name unique in the type. */
export function createPermission(stores: Stores, now: number, type: EntityType, id: string | undefined, input: JsonObject) {
  const permissionId = (id ?? randomUUID()).toLowerCase();
  refuseDuplicateId(
    type.permissions.some((permission) => permission.id === permissionId),
    'permissionId',
    'A permission',
    permissionId,
  );
  const permission = buildPermission(input, { id: permissionId, now });
  if (type.permissions.some((other) => other.name === permission.name)) {
    new FieldErrors()
      .add('permission.name', 'duplicate', `A permission with name [${permission.name}] already exists for this Entity Type.`)
      .throwIfAny();
  }
  stores.entityTypes.update({ ...type, permissions: [...type.permissions, permission], lastUpdateInstant: now });
  return permission;
}

/** PUT replaces a permission's description, default flag and data; PATCH merges into them. Its name stays. */
export function updatePermission(
  stores: Stores,
  now: number,
  type: EntityType,
  existing: EntityTypePermission,
  input: JsonObject,
  mode: 'replace' | 'merge',
): EntityTypePermission {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const permission = buildPermission(isObject(next) ? next : {}, { id: existing.id, now, existing });
  const permissions = type.permissions.map((each) => (each.id === existing.id ? permission : each));
  stores.entityTypes.update({ ...type, permissions, lastUpdateInstant: now });
  return permission;
}

/** Removes a permission from its type; grants that gave it no longer do (manage/entity-grants.ts reads them through the type). */
export function deletePermission(stores: Stores, now: number, type: EntityType, permission: EntityTypePermission): void {
  stores.entityTypes.update({ ...type, permissions: type.permissions.filter((each) => each.id !== permission.id), lastUpdateInstant: now });
}

/**
 * FusionAuth's Search for Entity Types (https://fusionauth.io/docs/apis/entities/entity-types): `name` as text (`*`
 * matches all), ordered by `insertInstant`, `lastUpdateInstant` or `name` (the default).
 */
export function searchEntityTypes(stores: Stores, criteria: unknown, prefix: string): Found<EntityType> {
  return searchObjects(
    stores.entityTypes.list(),
    criteria,
    {
      orderBy: { insertInstant: (type) => type.insertInstant, lastUpdateInstant: (type) => type.lastUpdateInstant, name: (type) => type.name },
      defaultOrder: 'name',
      text: { name: (type) => type.name },
    },
    prefix,
  );
}
