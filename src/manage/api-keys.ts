import { addDuplicateId } from '../model/refuse-duplicate.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { ApiError, FieldErrors } from '../errors.js';
import { endpointPermissions, keyCovers, type ApiKey } from '../model/api-key.js';
import { isObject, isUuid, mergePatch, type JsonObject } from '../model/json.js';
import type { Stores } from '../store/index.js';

/** Who asks: the key in `Authorization`, and the tenant the request acts in (its key's, or its X-FusionAuth-TenantId). */
export interface KeyCaller {
  apiKey: ApiKey;
  tenantId: string | undefined;
}

/** What FusionAuth's API Key API answers for a key (https://fusionauth.io/docs/apis/api-keys, "Response Body"). */
export interface ApiKeyView {
  id: string;
  key?: string;
  expirationInstant?: number;
  insertInstant: number;
  ipAccessControlListId?: string;
  lastUpdateInstant: number;
  keyManager: boolean;
  metaData: { attributes: Record<string, string> };
  name?: string;
  permissions: { endpoints: Record<string, string[]> };
  retrievable: false;
  tenantId?: string;
}

// The longest key the control API and the inspect page look up (routes/control/guard.ts): a longer one could
// authenticate /api but never them.
const MAX_KEY_LENGTH = 1024;
// A key travels raw in the Authorization header: visible ASCII, spaces only inside, as a header value keeps it
// (RFC 9110 §5.5 trims the ends, and fetch refuses characters beyond Latin-1).
const KEY_PATTERN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/**
 * Creates a key (FusionAuth API Key API, "Create an API Key"). It is never a key manager (only a kickstart makes
 * one), it lies in the caller's tenant when the caller has one, and it holds no right the caller lacks
 * (model/api-key.ts keyCovers): either refusal is FusionAuth's empty 401. Without a `key`, one is generated.
 * Answers the key value, the only time it is ever answered (docs/differences.md).
 */
export function createApiKey(stores: Stores, now: number, caller: KeyCaller, id: string | undefined, input: JsonObject): ApiKeyView {
  const keyId = (id ?? randomUUID()).toLowerCase();
  const errors = new FieldErrors();
  const rawKey = checkRawKey(input.key, errors);
  if (input.retrievable !== undefined && input.retrievable !== null && typeof input.retrievable !== 'boolean')
    errors.add('apiKey.retrievable', 'invalid', 'The [apiKey.retrievable] property must be true or false.');
  // FusionAuth asks a name of a key that will not be retrievable; no Standin key is, but only the caller's ask counts.
  if (input.retrievable === false && (typeof input.name !== 'string' || input.name.trim() === ''))
    errors.add('apiKey.name', 'blank', 'You must specify the [apiKey.name] property when [apiKey.retrievable] is false.');
  const tenantId = checkTenant(stores, caller, input.tenantId, errors);
  const fields = readFields(input, errors);
  const apiKey: ApiKey = { id: keyId, ...fields, ...(tenantId === undefined ? {} : { tenantId }), insertInstant: now, lastUpdateInstant: now };
  return commit(stores, errors, () => {
    // Refused before the table is read: a caller learns nothing of keys it could not make.
    if (!keyCovers(caller.apiKey, apiKey)) throw ApiError.unauthorized();
    if (stores.apiKeys.get(keyId)) addDuplicateId(errors, 'apiKeyId', 'An API key', keyId);
    if (stores.apiKeys.find(rawKey)) errors.add('apiKey.key', 'duplicate', 'An API key with this [apiKey.key] already exists.');
    checkNameFree(stores, fields.name, keyId, errors);
    checkIpAcl(stores, fields.ipAccessControlListId, errors);
    errors.throwIfAny();
    stores.apiKeys.insert(apiKey, rawKey);
    return { ...apiKeyView(apiKey), key: rawKey };
  });
}

/**
 * PUT replaces what a key may do, its name, description and expiry (an absent `expirationInstant` clears it, as
 * FusionAuth's docs say); PATCH merges into them (RFC 7396). The key value, its tenant and `keyManager` stay as they
 * are: FusionAuth's are read-only after create.
 */
export function updateApiKey(
  stores: Stores,
  now: number,
  caller: KeyCaller,
  existing: ApiKey,
  patch: JsonObject,
  mode: 'replace' | 'merge',
): ApiKeyView {
  const input = mode === 'merge' ? mergePatch(wireFields(existing), patch) : patch;
  const errors = new FieldErrors();
  const fields = readFields(isObject(input) ? input : {}, errors);
  const { id, tenantId, keyManager, insertInstant } = existing;
  const apiKey: ApiKey = {
    id,
    ...fields,
    ...(tenantId === undefined ? {} : { tenantId }),
    ...(keyManager === true ? { keyManager } : {}),
    insertInstant,
    lastUpdateInstant: now,
  };
  return commit(stores, errors, () => {
    if (!keyCovers(caller.apiKey, apiKey)) throw ApiError.unauthorized();
    checkNameFree(stores, fields.name, existing.id, errors);
    checkIpAcl(stores, fields.ipAccessControlListId, errors);
    errors.throwIfAny();
    stores.apiKeys.update(apiKey);
    return apiKeyView(apiKey);
  });
}

/** A key without its value, which Standin keeps only as a hash (docs/differences.md). */
export function apiKeyView(apiKey: ApiKey): ApiKeyView {
  return {
    id: apiKey.id,
    ...(apiKey.expirationInstant === undefined ? {} : { expirationInstant: apiKey.expirationInstant }),
    insertInstant: apiKey.insertInstant,
    ...(apiKey.ipAccessControlListId === undefined ? {} : { ipAccessControlListId: apiKey.ipAccessControlListId }),
    lastUpdateInstant: apiKey.lastUpdateInstant ?? apiKey.insertInstant,
    keyManager: apiKey.keyManager === true,
    metaData: { attributes: apiKey.description === undefined ? {} : { description: apiKey.description } },
    ...(apiKey.name === undefined ? {} : { name: apiKey.name }),
    permissions: { endpoints: apiKey.permissions?.endpoints ?? {} },
    retrievable: false,
    ...(apiKey.tenantId === undefined ? {} : { tenantId: apiKey.tenantId }),
  };
}

type KeyFields = Pick<ApiKey, 'description' | 'name' | 'permissions' | 'expirationInstant' | 'ipAccessControlListId'>;

/** The fields a request may set, checked; unknown ones are left out. */
function readFields(input: JsonObject, errors: FieldErrors): KeyFields {
  const fields: KeyFields = {};
  const permissions = endpointPermissions(input.permissions);
  if (permissions === 'invalid')
    errors.add(
      'apiKey.permissions.endpoints',
      'invalid',
      'The [apiKey.permissions.endpoints] property must map each endpoint (such as /api/user) to a list of DELETE, GET, PATCH, POST, PUT.',
    );
  else if (permissions !== undefined) fields.permissions = permissions;
  const { expirationInstant, name, metaData, ipAccessControlListId } = input;
  if (typeof expirationInstant === 'number' && Number.isSafeInteger(expirationInstant) && expirationInstant >= 0)
    fields.expirationInstant = expirationInstant;
  else if (expirationInstant !== undefined && expirationInstant !== null)
    errors.add('apiKey.expirationInstant', 'invalid', 'The [apiKey.expirationInstant] property must be an instant: milliseconds since the epoch.');
  if (typeof name === 'string' && name.trim() !== '') fields.name = name;
  else if (name !== undefined && name !== null && name !== '') errors.add('apiKey.name', 'invalid', 'The [apiKey.name] property must be a string.');
  const attributes = isObject(metaData) ? metaData.attributes : undefined;
  const description = isObject(attributes) ? attributes.description : undefined;
  if (typeof description === 'string') fields.description = description;
  else if (description !== undefined && description !== null)
    errors.add('apiKey.metaData.attributes.description', 'invalid', 'The [apiKey.metaData.attributes.description] property must be a string.');
  // The IP ACL the key is limited to (docs/ip-acls.md); that it names a stored list is checked with the table read.
  if (isUuid(ipAccessControlListId)) fields.ipAccessControlListId = ipAccessControlListId.toLowerCase();
  else if (ipAccessControlListId !== undefined && ipAccessControlListId !== null && ipAccessControlListId !== '')
    errors.add('apiKey.ipAccessControlListId', 'invalid', 'The [apiKey.ipAccessControlListId] property must be the Id of an IP ACL.');
  return fields;
}

/** The key value asked for, or a new one: 48 random bytes as base64url, 64 characters (FusionAuth: "a secure random value"). */
function checkRawKey(key: unknown, errors: FieldErrors): string {
  if (key === undefined || key === null || key === '') return randomBytes(48).toString('base64url');
  // Messages never repeat the key: an error body may end up in a log.
  if (typeof key !== 'string' || !KEY_PATTERN.test(key))
    errors.add(
      'apiKey.key',
      'invalid',
      'The [apiKey.key] property must be printable ASCII, without spaces at either end, to travel in the Authorization header.',
    );
  else if (key.length > MAX_KEY_LENGTH)
    errors.add('apiKey.key', 'tooLong', `The [apiKey.key] property may be at most ${MAX_KEY_LENGTH} characters long.`);
  return typeof key === 'string' ? key : '';
}

/**
 * The new key's tenant: the one asked for, which must exist, or the caller's when it asks for none (a key bound to a
 * tenant makes keys of that tenant, FusionAuth API Key API). One outside the caller's tenant is FusionAuth's empty 401,
 * as any request naming a tenant its key is not bound to (routes/api/tenant-scope.ts).
 */
function checkTenant(stores: Stores, caller: KeyCaller, tenantId: unknown, errors: FieldErrors): string | undefined {
  if (tenantId === undefined || tenantId === null) return caller.tenantId;
  if (!isUuid(tenantId) || !stores.tenants.get(tenantId.toLowerCase())) {
    errors.add('apiKey.tenantId', 'invalid', `The [apiKey.tenantId] property does not name a tenant.`);
    return undefined;
  }
  const id = tenantId.toLowerCase();
  if (caller.tenantId !== undefined && caller.tenantId !== id) throw ApiError.unauthorized();
  return id;
}

function checkIpAcl(stores: Stores, listId: string | undefined, errors: FieldErrors): void {
  if (listId !== undefined && !stores.ipAcls.get(listId))
    errors.add(
      'apiKey.ipAccessControlListId',
      'invalid',
      `The [apiKey.ipAccessControlListId] property value [${listId}] does not identify an IP ACL.`,
    );
}

function checkNameFree(stores: Stores, name: string | undefined, keyId: string, errors: FieldErrors): void {
  const holder = name === undefined ? undefined : stores.apiKeys.idNamed(name);
  if (holder !== undefined && holder !== keyId) errors.add('apiKey.name', 'duplicate', `An API key named [${name}] already exists.`);
}

/** Every field error at once, then the checks that read the table and the write, in one immediate transaction. */
function commit<T>(stores: Stores, errors: FieldErrors, write: () => T): T {
  errors.throwIfAny();
  return stores.db.transaction(write).immediate();
}

/** A stored key as the request body spells it, for a merge patch. */
function wireFields(apiKey: ApiKey): JsonObject {
  const { expirationInstant, name, description, permissions, ipAccessControlListId } = apiKey;
  return {
    ...(expirationInstant === undefined ? {} : { expirationInstant }),
    ...(ipAccessControlListId === undefined ? {} : { ipAccessControlListId }),
    ...(name === undefined ? {} : { name }),
    ...(description === undefined ? {} : { metaData: { attributes: { description } } }),
    ...(permissions === undefined ? {} : { permissions }),
  };
}
