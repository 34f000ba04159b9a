import { refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { ApiError, FieldErrors } from '../errors.js';
import { withEvents, type EventInput } from '../events/emit.js';
import { buildEntity, type EntityType, type StoredEntity } from '../model/entity.js';
import { isObject, isUuid, mergePatch, type JsonObject } from '../model/json.js';
import type { Standin } from '../standin.js';
import type { Stores } from '../store/index.js';
import { textMatcher } from './search.js';

/** An entity as FusionAuth answers it: its whole type under `type`, not its type's id. */
export interface Entity extends JsonObject {
  id: string;
  tenantId: string;
  name: string;
  clientId: string;
  clientSecret: string;
  data: JsonObject;
  parentId?: string;
  insertInstant: number;
  lastUpdateInstant: number;
  type: EntityType;
}

export function entityView(stores: Stores, entity: StoredEntity): Entity {
  const { typeId, ...rest } = entity;
  return { ...rest, type: stores.entityTypes.get(typeId)! };
}

/**
 * Creates an entity in `tenantId` (Entity API, "Create an Entity"). Sends `entity.create` (transactional, then
 * `entity.create.complete`; https://fusionauth.io/docs/extend/events-and-webhooks/events/entity/entity-create).
 */
export async function createEntity(standin: Standin, tenantId: string, id: string | undefined, input: JsonObject): Promise<Entity> {
  const { stores } = standin;
  const now = standin.config.now();
  const entityId = (id ?? randomUUID()).toLowerCase();
  // Checked before the webhooks are asked and again with the write, as for users and groups (docs/webhooks.md).
  const build = () => {
    refuseDuplicateId(stores.entities.get(entityId) !== undefined, 'entityId', 'An Entity', entityId);
    return checked(stores, input, { id: entityId, now, tenantId });
  };
  return withEvents(standin, [entityEvent('entity.create', entityView(stores, build()))], () => {
    const entity = build();
    stores.entities.insert(entity);
    return entityView(stores, entity);
  });
}

/**
 * PUT replaces the entity with `input`, PATCH merges `input` into it (RFC 7396); a secret left out is kept. Sends
 * `entity.update` with `original` (transactional, then `entity.update.complete`).
 */
export async function updateEntity(standin: Standin, existing: StoredEntity, input: JsonObject, mode: 'replace' | 'merge'): Promise<Entity> {
  const { stores } = standin;
  const now = standin.config.now();
  const original = entityView(stores, existing);
  const next = mode === 'merge' ? mergePatch({ ...original }, input) : input;
  const build = () => checked(stores, isObject(next) ? next : {}, { id: existing.id, now, tenantId: existing.tenantId, existing });
  const view = entityView(stores, build());
  return withEvents(standin, [entityEvent('entity.update', view, { original })], () => {
    const entity = build();
    stores.entities.update(entity);
    return entityView(stores, entity);
  });
}

/** Deletes an entity, and the grants on it and to it (store: ON DELETE CASCADE). Sends `entity.delete`. */
export async function deleteEntity(standin: Standin, entity: StoredEntity): Promise<void> {
  await withEvents(standin, [entityEvent('entity.delete', entityView(standin.stores, entity))], () => {
    standin.stores.entities.delete(entity.id);
  });
}

/** An entity event: the entity as the Entity API answers it, in its tenant, linked to it. */
function entityEvent(type: string, entity: Entity, extra: JsonObject = {}): EventInput {
  return { type, tenantId: entity.tenantId, linkedObjectId: entity.id, entity, ...extra };
}

function checked(stores: Stores, input: JsonObject, context: { id: string; now: number; tenantId: string; existing?: StoredEntity }): StoredEntity {
  const errors = new FieldErrors();
  const built = buildEntity(input, context, errors);
  const typeId = isObject(input.type) ? input.type.id : undefined;
  let type: EntityType | undefined;
  if (typeId === undefined || typeId === null || typeId === '')
    errors.add('entity.type.id', 'blank', 'You must specify the [entity.type.id] property.');
  else if (!isUuid(typeId) || !(type = stores.entityTypes.get(typeId))) {
    errors.add('entity.type.id', 'invalid', 'The [entity.type.id] property does not identify an Entity Type.');
  }
  const holder = stores.entities.byClientId(built.clientId);
  if (holder !== undefined && holder.id !== context.id) {
    errors.add('entity.clientId', 'duplicate', `An Entity with client Id [${built.clientId}] already exists.`);
  }
  // An application's client id names a client as well: the token endpoint would not know which one was meant.
  if (stores.applications.get(built.clientId)) {
    errors.add('entity.clientId', 'duplicate', `The client Id [${built.clientId}] is the client Id of an application.`);
  }
  if (built.parentId !== undefined) {
    const parent = stores.entities.get(built.parentId);
    if (!parent || parent.tenantId !== context.tenantId || parent.id === context.id) {
      errors.add('entity.parentId', 'invalid', 'The [entity.parentId] property does not identify another Entity of this tenant.');
    }
  }
  errors.throwIfAny();
  return { ...built, typeId: type!.id };
}

/** The fields `sortFields` may name (Entity API, Search for Entities, database search engine). */
const SORT_FIELDS: Record<string, (entity: Entity) => string | number> = {
  clientId: (entity) => entity.clientId,
  insertInstant: (entity) => entity.insertInstant,
  lastUpdateInstant: (entity) => entity.lastUpdateInstant,
  name: (entity) => entity.name,
  tenantId: (entity) => entity.tenantId,
  typeId: (entity) => entity.type.id,
};
const MAX_IDS = 500;
const MAX_RESULTS = 10_000;
const MAX_TEXT = 1024;

/**
 * FusionAuth's Search for Entities with its database search engine (https://fusionauth.io/docs/apis/entities/entities):
 * `ids` (unpaged, in the order asked), else `queryString`, one term matched without regard to case within the
 * entity's `clientId`, `name` and its type's name, `*` standing for anything; paged by `startRow` and
 * `numberOfResults`, sorted by `sortFields`. `tenantId` limits it to the tenant the request acts in. The
 * Elasticsearch-only `query` and `nextResults` are the caller's to refuse (routes/api/entity.ts).
 */
export function searchEntities(
  stores: Stores,
  given: JsonObject,
  tenantId: string | undefined,
  prefix: string,
): { entities: Entity[]; total: number } {
  const visible = (entity: StoredEntity) => tenantId === undefined || entity.tenantId === tenantId;
  const errors = new FieldErrors();
  if (given.ids !== undefined) {
    const ids = ([] as unknown[]).concat(given.ids);
    if (ids.length > MAX_IDS || !ids.every(isUuid))
      errors.add(`${prefix}ids`, 'invalid', `The [${prefix}ids] property must be a list of at most ${MAX_IDS} Entity Ids.`);
    errors.throwIfAny();
    const found = [...new Set((ids as string[]).map((id) => id.toLowerCase()))]
      .map((id) => stores.entities.get(id))
      .filter((entity): entity is StoredEntity => entity !== undefined && visible(entity))
      .map((entity) => entityView(stores, entity));
    return { entities: found, total: found.length };
  }
  const queryString = given.queryString;
  if (typeof queryString !== 'string' || queryString.trim() === '') {
    errors.add(`${prefix}queryString`, 'blank', `You must specify either the [${prefix}ids] or the [${prefix}queryString] property.`);
  } else if (queryString.length > MAX_TEXT) {
    errors.add(`${prefix}queryString`, 'invalid', `The [${prefix}queryString] property must be at most ${MAX_TEXT} characters.`);
  }
  const limit = wholeNumber(given.numberOfResults, 25);
  if (limit === undefined || limit < 0 || limit > MAX_RESULTS) {
    errors.add(`${prefix}numberOfResults`, 'invalid', `The [${prefix}numberOfResults] property must be between 0 and ${MAX_RESULTS}.`);
  }
  const offset = wholeNumber(given.startRow, 0);
  if (offset === undefined || offset < 0) errors.add(`${prefix}startRow`, 'invalid', `The [${prefix}startRow] property must be 0 or greater.`);
  const sort = sortOf(given.sortFields, prefix, errors);
  errors.throwIfAny();
  const term = (queryString as string).trim();
  const matches = /^\*+$/.test(term) ? () => true : textMatcher(term);
  const matching = stores.entities
    .list()
    .filter(visible)
    .map((entity) => entityView(stores, entity))
    .filter((entity) => matches(entity.clientId) || matches(entity.name) || matches(entity.type.name));
  const collator = new Intl.Collator('en', { sensitivity: 'base' });
  const order = sort.length > 0 ? sort : [{ of: SORT_FIELDS.name!, descending: false }];
  matching.sort((a, b) => {
    for (const { of, descending } of order) {
      const [left, right] = [of(a), of(b)];
      const difference = typeof left === 'number' && typeof right === 'number' ? left - right : collator.compare(String(left), String(right));
      if (difference !== 0) return descending ? -difference : difference;
    }
    return a.id.localeCompare(b.id);
  });
  const total = given.accurateTotal === true || given.accurateTotal === 'true' ? matching.length : Math.min(matching.length, MAX_RESULTS);
  return { entities: matching.slice(offset, offset! + limit!), total };
}

function sortOf(input: unknown, prefix: string, errors: FieldErrors): { of: (entity: Entity) => string | number; descending: boolean }[] {
  if (input === undefined || input === null) return [];
  const names = Object.keys(SORT_FIELDS);
  if (!Array.isArray(input) || input.length > names.length) {
    errors.add(`${prefix}sortFields`, 'invalid', `The [${prefix}sortFields] property must be a list of sort fields.`);
    return [];
  }
  return input.flatMap((field, index) => {
    const { name, order = 'asc' } = isObject(field) ? field : {};
    const of = typeof name === 'string' ? SORT_FIELDS[name] : undefined;
    if (of === undefined) {
      errors.add(
        `${prefix}sortFields[${index}].name`,
        'invalid',
        `The [${prefix}sortFields[${index}].name] property must be one of ${names.join(', ')}.`,
      );
      return [];
    }
    if (order !== 'asc' && order !== 'desc') {
      errors.add(`${prefix}sortFields[${index}].order`, 'invalid', `The [${prefix}sortFields[${index}].order] property must be asc or desc.`);
      return [];
    }
    return [{ of, descending: order === 'desc' }];
  });
}

function wholeNumber(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

/** The entity `id` names, if the request may see it (its tenant, or every one), else FusionAuth's empty 404. */
export function visibleEntity(stores: Stores, id: string | undefined, tenantId: string | undefined): StoredEntity {
  const entity = id === undefined ? undefined : stores.entities.get(id);
  if (!entity || (tenantId !== undefined && entity.tenantId !== tenantId)) throw ApiError.notFound();
  return entity;
}
