import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { buildIpAcl, type IpAccessControlList } from '../model/ip-acl.js';
import { isObject, isUuid, mergePatch, shownValue, type JsonObject } from '../model/json.js';
import { refuseDuplicateId, refuseDuplicateName } from '../model/refuse-duplicate.js';
import type { Stores } from '../store/index.js';
import { refuseInUse } from './refuse-in-use.js';
import { searchObjects, type Found } from './search.js';

/** Creates a list (IP ACL API, "Create an IP ACL"): FusionAuth's errors for a taken id or name. */
export function createIpAcl(stores: Stores, now: number, id: string | undefined, input: JsonObject): IpAccessControlList {
  const listId = (id ?? randomUUID()).toLowerCase();
  refuseDuplicateId(stores.ipAcls.get(listId) !== undefined, 'ipAccessControlListId', 'An IP ACL', listId);
  const list = buildIpAcl(input, { id: listId, now });
  checkUniqueName(stores, list);
  stores.ipAcls.insert(list);
  return list;
}

/** PUT replaces the list with `input`, PATCH merges `input` into it (RFC 7396; a list member such as `entries` is replaced whole). */
export function updateIpAcl(
  stores: Stores,
  now: number,
  existing: IpAccessControlList,
  input: JsonObject,
  mode: 'replace' | 'merge',
): IpAccessControlList {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const list = buildIpAcl(isObject(next) ? next : {}, { id: existing.id, now, existing });
  checkUniqueName(stores, list);
  stores.ipAcls.update(list);
  return list;
}

/**
 * Deletes a list. FusionAuth's Delete an IP ACL: "Deleting an IP ACL will remove it from any tenants and/or
 * applications it was assigned. Delete will fail with a validation error if the IP ACL is still in use": tenants and
 * applications let go of it; an API key that names it keeps the delete from happening (a key limited to a list that
 * is gone would be limited by nothing).
 */
export function deleteIpAcl(stores: Stores, now: number, list: IpAccessControlList): void {
  const keys = stores.apiKeys.limitedBy(list.id);
  refuseInUse(
    'ipAccessControlListId',
    'IP ACL',
    keys.map((apiKey) => (apiKey.name === undefined ? `API key [${apiKey.id}]` : `API key [${apiKey.name}]`)),
  );
  stores.db.transaction(() => {
    for (const tenant of stores.tenants.list()) {
      if (namedList(tenant) === list.id) stores.tenants.update({ ...withoutList(tenant), lastUpdateInstant: now });
    }
    for (const application of stores.applications.list()) {
      if (namedList(application) === list.id) stores.applications.update({ ...withoutList(application), lastUpdateInstant: now });
    }
    stores.ipAcls.delete(list.id);
  })();
}

/** The list a tenant or an application names for its hosted pages (`accessControlConfiguration.uiIPAccessControlListId`). */
export function namedList(object: JsonObject): string | undefined {
  const configuration = object.accessControlConfiguration;
  const id = isObject(configuration) ? configuration.uiIPAccessControlListId : undefined;
  return typeof id === 'string' ? id.toLowerCase() : undefined;
}

function withoutList<T extends JsonObject>(object: T): T {
  const { uiIPAccessControlListId: _dropped, ...rest } = object.accessControlConfiguration as JsonObject;
  return { ...object, accessControlConfiguration: rest };
}

/**
 * `object` (a tenant or an application about to be written) with its `accessControlConfiguration.uiIPAccessControlListId`
 * in lower case, or `[invalid]tenant.accessControlConfiguration.uiIPAccessControlListId` when it names no list.
 */
export function withIpAclReference<T extends JsonObject>(stores: Stores, object: T, owner: 'tenant' | 'application'): T {
  const configuration = object.accessControlConfiguration;
  if (!isObject(configuration)) return object;
  const id = configuration.uiIPAccessControlListId;
  if (id === undefined || id === null) return object;
  const field = `${owner}.accessControlConfiguration.uiIPAccessControlListId`;
  if (!isUuid(id) || !stores.ipAcls.get(id)) {
    const message = `The [${field}] property value [${shownValue(id).slice(0, 128)}] does not identify an IP ACL.`;
    new FieldErrors().add(field, 'invalid', message).throwIfAny();
  }
  return { ...object, accessControlConfiguration: { ...configuration, uiIPAccessControlListId: (id as string).toLowerCase() } };
}

function checkUniqueName(stores: Stores, list: IpAccessControlList): void {
  refuseDuplicateName(stores.ipAcls.idByName(list.name), list, 'ipAccessControlList.name', 'An IP ACL');
}

/**
 * FusionAuth's Search for IP ACLs (https://fusionauth.io/docs/apis/ip-acl/search-for-ip-acls): `name` as text (`*`
 * matches all), ordered by `id`, `insertInstant`, `lastUpdateInstant` or `name` (the default, "name ASC").
 */
export function searchIpAcls(stores: Stores, criteria: unknown, prefix: string): Found<IpAccessControlList> {
  return searchObjects(
    stores.ipAcls.list(),
    criteria,
    {
      orderBy: {
        id: (list) => list.id,
        insertInstant: (list) => list.insertInstant,
        lastUpdateInstant: (list) => list.lastUpdateInstant,
        name: (list) => list.name,
      },
      defaultOrder: 'name',
      text: { name: (list) => list.name },
    },
    prefix,
  );
}
