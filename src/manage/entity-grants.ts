import { randomUUID } from 'node:crypto';
import { ApiError, FieldErrors } from '../errors.js';
import type { EntityType, StoredEntity, StoredEntityGrant } from '../model/entity.js';
import { isObject, isUuid, type JsonObject } from '../model/json.js';
import type { Stores } from '../store/index.js';
import { entityView, type Entity } from './entities.js';
import { searchObjects, type Found } from './search.js';

/** A grant as FusionAuth answers it: the entity it is on under `entity`, not its id. */
export interface EntityGrant extends JsonObject {
  id: string;
  userId?: string;
  recipientEntityId?: string;
  permissions: string[];
  data: JsonObject;
  insertInstant: number;
  lastUpdateInstant: number;
  entity: Entity;
}

/** Who a grant is to: a user or a recipient entity. */
export interface Recipient {
  userId?: string;
  recipientEntityId?: string;
}

/**
 * The grant with its entity, and only the permissions the entity's type still has: a permission deleted from the
 * type is granted no longer.
 */
export function grantView(stores: Stores, grant: StoredEntityGrant, entity = stores.entities.get(grant.entityId)!): EntityGrant {
  const { entityId: _entityId, ...rest } = grant;
  const view = entityView(stores, entity);
  const names = new Set(view.type.permissions.map((permission) => permission.name));
  return { ...rest, permissions: grant.permissions.filter((name) => names.has(name)), entity: view };
}

/**
 * Grants `entity`'s permissions to a user or a recipient entity of its tenant, or replaces the grant it already made
 * them (Grant APIs, "Grant a User or Entity Permissions to an Entity": an upsert). No `permissions` gives the type's
 * default ones (Entity Type API, "permission.isDefault").
 */
export function upsertGrant(stores: Stores, now: number, entity: StoredEntity, input: JsonObject): void {
  const errors = new FieldErrors();
  const recipient = recipientOf(stores, entity, input, 'grant.', errors);
  const type = stores.entityTypes.get(entity.typeId)!;
  const permissions = permissionsOf(type, input.permissions, errors);
  const data = input.data ?? {};
  if (!isObject(data)) errors.add('grant.data', 'invalid', 'The [grant.data] property must be an object.');
  errors.throwIfAny();
  const existing = stores.entityGrants.find(entity.id, recipient);
  stores.entityGrants.upsert({
    id: existing?.id ?? randomUUID(),
    entityId: entity.id,
    ...recipient,
    permissions,
    data: data as JsonObject,
    insertInstant: existing?.insertInstant ?? now,
    lastUpdateInstant: now,
  });
}

function permissionsOf(type: EntityType, given: unknown, errors: FieldErrors): string[] {
  if (given === undefined || given === null)
    return type.permissions.filter((permission) => permission.isDefault).map((permission) => permission.name);
  const names = new Set(type.permissions.map((permission) => permission.name));
  if (!Array.isArray(given) || !given.every((name) => typeof name === 'string')) {
    errors.add('grant.permissions', 'invalid', 'The [grant.permissions] property must be a list of permission names.');
    return [];
  }
  const unknown = given.filter((name) => !names.has(name));
  if (unknown.length > 0) {
    errors.add(
      'grant.permissions',
      'invalid',
      `The permissions [${unknown.join(', ').slice(0, 256)}] are not permissions of the Entity Type [${type.name}].`,
    );
  }
  return [...new Set(given)];
}

/**
 * The user or recipient entity a grant request names (`grant.userId` or `grant.recipientEntityId` in a body, `userId`
 * or `recipientEntityId` in a query): exactly one, of the entity's tenant.
 */
export function recipientOf(stores: Stores, entity: StoredEntity, given: JsonObject, prefix: 'grant.' | '', errors: FieldErrors): Recipient {
  const { userId, recipientEntityId } = given;
  const hasUser = userId !== undefined && userId !== null && userId !== '';
  const hasRecipient = recipientEntityId !== undefined && recipientEntityId !== null && recipientEntityId !== '';
  if (hasUser === hasRecipient) {
    const message = hasUser
      ? `Specify only one of the [${prefix}userId] and [${prefix}recipientEntityId] properties.`
      : `You must specify either the [${prefix}userId] or the [${prefix}recipientEntityId] property.`;
    errors.add(`${prefix}userId`, hasUser ? 'invalid' : 'blank', message);
    return {};
  }
  if (hasUser) {
    const user = isUuid(userId) ? stores.users.get(userId) : undefined;
    if (!user || user.tenantId !== entity.tenantId)
      errors.add(`${prefix}userId`, 'invalid', `The [${prefix}userId] property does not identify a user of the Entity's tenant.`);
    return { userId: (userId as string).toLowerCase() };
  }
  const recipient = isUuid(recipientEntityId) ? stores.entities.get(recipientEntityId) : undefined;
  if (!recipient || recipient.tenantId !== entity.tenantId) {
    errors.add(
      `${prefix}recipientEntityId`,
      'invalid',
      `The [${prefix}recipientEntityId] property does not identify an Entity of the Entity's tenant.`,
    );
  }
  return { recipientEntityId: (recipientEntityId as string).toLowerCase() };
}

/** The grant `entity` made to the recipient `query` names (Grant APIs, "Retrieve Grants"), else the empty 404. */
export function findGrant(stores: Stores, entity: StoredEntity, query: JsonObject): StoredEntityGrant {
  const errors = new FieldErrors();
  const recipient = recipientOf(stores, entity, query, '', errors);
  const grant = errors.empty ? stores.entityGrants.find(entity.id, recipient) : undefined;
  if (!grant) throw ApiError.notFound();
  return grant;
}

/**
 * FusionAuth's Search for Grants (https://fusionauth.io/docs/apis/entities/grants): by `entityId`, `userId` and the
 * entity's `name` (text, `*` matching all), ordered by `insertInstant` or the entity's `name` (the default); within
 * the tenant the request acts in. Its example answer shows each entity without its client secret, and so does Standin.
 */
export function searchGrants(stores: Stores, criteria: unknown, tenantId: string | undefined, prefix: string): Found<EntityGrant> {
  const grants = stores.entityGrants
    .list()
    .map((grant) => ({ grant, entity: stores.entities.get(grant.entityId)! }))
    .filter(({ entity }) => tenantId === undefined || entity.tenantId === tenantId)
    .map(({ grant, entity }) => grantView(stores, grant, entity));
  const found = searchObjects(
    grants,
    criteria,
    {
      orderBy: { insertInstant: (grant) => grant.insertInstant, name: (grant) => grant.entity.name },
      defaultOrder: 'name',
      text: { name: (grant) => grant.entity.name },
      ids: { entityId: (grant, id) => grant.entity.id === id, userId: (grant, id) => grant.userId === id },
    },
    prefix,
  );
  return { ...found, results: found.results.map(withoutSecret) };
}

function withoutSecret(grant: EntityGrant): EntityGrant {
  const { clientSecret: _secret, ...entity } = grant.entity;
  return { ...grant, entity: entity as Entity };
}
