import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { generateClientSecret } from './application.js';
import { canonicalId } from './ids.js';
import { isObject, isUuid, type JsonObject } from './json.js';

/**
 * FusionAuth's Entity Management objects (https://fusionauth.io/docs/apis/entities/entity-types, /entities, /grants):
 * an entity type with its permissions, an entity of a tenant (an OAuth client of the client credentials grant), and
 * a grant of an entity's permissions to a user or to another entity. Built here from a request's member, checked
 * with FusionAuth's field errors; stored by store/entity-*.ts.
 */

export interface EntityTypePermission extends JsonObject {
  id: string;
  name: string;
  description?: string;
  isDefault: boolean;
  data: JsonObject;
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface EntityJwtConfiguration extends JsonObject {
  enabled: boolean;
  accessTokenKeyId?: string;
  timeToLiveInSeconds: number;
}

export interface EntityType extends JsonObject {
  id: string;
  name: string;
  data: JsonObject;
  jwtConfiguration: EntityJwtConfiguration;
  permissions: EntityTypePermission[];
  insertInstant: number;
  lastUpdateInstant: number;
}

/** An entity as stored: its type by id. Answered with the whole type under `type` (manage/entities.ts). */
export interface StoredEntity extends JsonObject {
  id: string;
  tenantId: string;
  typeId: string;
  name: string;
  clientId: string;
  clientSecret: string;
  data: JsonObject;
  parentId?: string;
  insertInstant: number;
  lastUpdateInstant: number;
}

/** An entity's own fields, its type aside. */
export type EntityFields = Pick<
  StoredEntity,
  'id' | 'tenantId' | 'name' | 'clientId' | 'clientSecret' | 'data' | 'parentId' | 'insertInstant' | 'lastUpdateInstant'
>;

/** A grant as stored: on `entityId`, to exactly one of `userId` and `recipientEntityId`. */
export interface StoredEntityGrant extends JsonObject {
  id: string;
  entityId: string;
  userId?: string;
  recipientEntityId?: string;
  permissions: string[];
  data: JsonObject;
  insertInstant: number;
  lastUpdateInstant: number;
}

// FusionAuth's default for the lifetime of an application's tokens; its docs print none for an entity type's.
const DEFAULT_TTL_SECONDS = 3600;
const MAX_NAME = 191;

interface Built<T> {
  id: string;
  now: number;
  existing?: T | undefined;
}

/**
 * An entity type from the `entityType` member of a request. Its permissions are kept from `existing` on an update:
 * they are changed through the permission API (Entity Type API, "Create an Entity Type Permission"); a create may
 * list some.
 */
export function buildEntityType(input: JsonObject, context: Built<EntityType>, keyExists: (id: string) => boolean): EntityType {
  const errors = new FieldErrors();
  const name = requiredName(input.name, 'entityType.name', errors);
  const data = dataOf(input.data, 'entityType.data', errors);
  const jwtConfiguration = jwtConfigurationOf(input.jwtConfiguration, errors, keyExists);
  let permissions: EntityTypePermission[] = context.existing?.permissions ?? [];
  if (!context.existing && input.permissions !== undefined && input.permissions !== null) {
    if (!Array.isArray(input.permissions)) errors.add('entityType.permissions', 'invalid', 'The [entityType.permissions] property must be a list.');
    else {
      permissions = input.permissions.map((permission, index) =>
        buildPermission(
          isObject(permission) ? permission : {},
          { id: permissionIdOf(permission), now: context.now },
          `entityType.permissions[${index}]`,
          errors,
        ),
      );
      duplicateNames(permissions, 'entityType.permissions', errors);
    }
  }
  errors.throwIfAny();
  return {
    id: context.id,
    name: name!,
    data,
    jwtConfiguration,
    permissions,
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}

function permissionIdOf(permission: unknown): string {
  return isObject(permission) && isUuid(permission.id) ? permission.id.toLowerCase() : randomUUID();
}

/**
 * A permission from the `permission` member of a request (`field` names it in errors). Its name cannot change once
 * made (Entity Type API, "permission.name": "Once created, this field cannot be changed"): an update keeps it.
 */
export function buildPermission(
  input: JsonObject,
  context: Built<EntityTypePermission>,
  field = 'permission',
  errors = new FieldErrors(),
): EntityTypePermission {
  const name = context.existing ? context.existing.name : requiredName(input.name, `${field}.name`, errors);
  const description = input.description;
  if (description !== undefined && description !== null && typeof description !== 'string') {
    errors.add(`${field}.description`, 'invalid', `The [${field}.description] property must be a string.`);
  }
  const isDefault = input.isDefault ?? false;
  if (typeof isDefault !== 'boolean') errors.add(`${field}.isDefault`, 'invalid', `The [${field}.isDefault] property must be true or false.`);
  const data = dataOf(input.data, `${field}.data`, errors);
  if (field === 'permission') errors.throwIfAny();
  return {
    id: context.id,
    name: name ?? '',
    ...(typeof description === 'string' ? { description } : {}),
    isDefault: isDefault === true,
    data,
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}

/** `[duplicate]` for a permission name given twice in one list. */
export function duplicateNames(permissions: readonly EntityTypePermission[], field: string, errors: FieldErrors): void {
  const seen = new Set<string>();
  permissions.forEach((permission, index) => {
    if (seen.has(permission.name)) errors.add(`${field}[${index}].name`, 'duplicate', `The permission [${permission.name}] is given twice.`);
    seen.add(permission.name);
  });
}

function jwtConfigurationOf(input: unknown, errors: FieldErrors, keyExists: (id: string) => boolean): EntityJwtConfiguration {
  if (input === undefined || input === null) return { enabled: false, timeToLiveInSeconds: DEFAULT_TTL_SECONDS };
  if (!isObject(input)) {
    errors.add('entityType.jwtConfiguration', 'invalid', 'The [entityType.jwtConfiguration] property must be an object.');
    return { enabled: false, timeToLiveInSeconds: DEFAULT_TTL_SECONDS };
  }
  const { enabled = false, accessTokenKeyId, timeToLiveInSeconds } = input;
  if (typeof enabled !== 'boolean')
    errors.add('entityType.jwtConfiguration.enabled', 'invalid', 'The [entityType.jwtConfiguration.enabled] property must be true or false.');
  const field = 'entityType.jwtConfiguration';
  // Entity Type API: accessTokenKeyId and timeToLiveInSeconds are "Required when enabled is set to true".
  if (accessTokenKeyId === undefined || accessTokenKeyId === null) {
    if (enabled === true) errors.add(`${field}.accessTokenKeyId`, 'blank', `You must specify the [${field}.accessTokenKeyId] property.`);
  } else if (!isUuid(accessTokenKeyId) || !keyExists(accessTokenKeyId.toLowerCase())) {
    errors.add(
      `${field}.accessTokenKeyId`,
      'invalid',
      `The [${field}.accessTokenKeyId] property does not identify a key that can sign access tokens.`,
    );
  }
  const ttl = timeToLiveInSeconds ?? (enabled === true ? undefined : DEFAULT_TTL_SECONDS);
  if (ttl === undefined) errors.add(`${field}.timeToLiveInSeconds`, 'blank', `You must specify the [${field}.timeToLiveInSeconds] property.`);
  else if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl <= 0) {
    errors.add(`${field}.timeToLiveInSeconds`, 'invalid', `The [${field}.timeToLiveInSeconds] property must be a whole number greater than 0.`);
  }
  return {
    enabled: enabled === true,
    ...(isUuid(accessTokenKeyId) ? { accessTokenKeyId: accessTokenKeyId.toLowerCase() } : {}),
    timeToLiveInSeconds: typeof ttl === 'number' ? ttl : DEFAULT_TTL_SECONDS,
  };
}

/**
 * An entity from the `entity` member of a request. `clientId` defaults to the entity's id and `clientSecret` to a
 * generated secret on a create; an update that leaves the secret out keeps the old one (Entity API, "entity.clientSecret").
 * The type, tenant, parent and uniqueness are checked by manage/entities.ts, which knows the stores.
 */
export function buildEntity(input: JsonObject, context: Built<StoredEntity> & { tenantId: string }, errors: FieldErrors): EntityFields {
  const name = requiredName(input.name, 'entity.name', errors);
  const data = dataOf(input.data, 'entity.data', errors);
  // A UUID-shaped client id is kept in lower case, as the token endpoint reads every UUID-shaped client_id (model/ids.ts).
  const clientId = canonicalId(optionalString(input.clientId, 'entity.clientId', errors) ?? context.existing?.clientId ?? context.id);
  const clientSecret = optionalString(input.clientSecret, 'entity.clientSecret', errors) ?? context.existing?.clientSecret ?? generateClientSecret();
  const parentId = input.parentId;
  if (parentId !== undefined && parentId !== null && !isUuid(parentId))
    errors.add('entity.parentId', 'invalid', 'The [entity.parentId] property must be an entity Id.');
  return {
    id: context.id,
    tenantId: context.tenantId,
    name: name ?? '',
    clientId,
    clientSecret,
    data,
    ...(isUuid(parentId) ? { parentId: parentId.toLowerCase() } : {}),
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}

function requiredName(value: unknown, field: string, errors: FieldErrors): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    errors.add(field, 'blank', `You must specify the [${field}] property.`);
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.add(field, 'invalid', `The [${field}] property must be a string.`);
    return undefined;
  }
  if (value.length > MAX_NAME) errors.add(field, 'invalid', `The [${field}] property must be at most ${MAX_NAME} characters.`);
  return value;
}

function optionalString(value: unknown, field: string, errors: FieldErrors): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  errors.add(field, 'invalid', `The [${field}] property must be a string.`);
  return undefined;
}

function dataOf(value: unknown, field: string, errors: FieldErrors): JsonObject {
  if (value === undefined || value === null) return {};
  if (isObject(value)) return value;
  errors.add(field, 'invalid', `The [${field}] property must be an object.`);
  return {};
}
