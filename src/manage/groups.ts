import { refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { withEvents, type EventInput } from '../events/emit.js';
import type { ApplicationRole } from '../model/application.js';
import { buildGroup, roleIdsOf, type Group } from '../model/group.js';
import { isObject, isUuid, mergePatch, type JsonObject } from '../model/json.js';
import { GROUP_ORDER_FIELDS, type GroupRole } from '../store/groups.js';
import type { Standin } from '../standin.js';
import type { Stores } from '../store/index.js';
import { requireMember } from './request-body.js';
import { likePattern } from './like-pattern.js';
import { searchPage } from './search-page.js';

/**
 * FusionAuth's Group API (https://fusionauth.io/docs/apis/groups): `{group, roleIds}` in, `{group}` out, where
 * `group.roles` maps each application id to the roles the group grants in it. Roles are given by id only, and
 * must belong to an application of the group's tenant. Sends `group.create` (transactional, then
 * `group.create.complete`; docs/webhooks.md).
 */
export async function createGroup(standin: Standin, tenantId: string, id: string | undefined, body: JsonObject): Promise<Group> {
  const { stores } = standin;
  const now = standin.config.now();
  const groupId = id ?? randomUUID();
  const input = requireMember(body, 'group');
  const roleIds = roleIdsOf(body) ?? [];
  const draft = () => {
    refuseDuplicateId(stores.groups.get(groupId) !== undefined, 'groupId', 'A Group', groupId);
    const roles = rolesNamed(stores, tenantId, roleIds);
    const group = buildGroup(input, { id: groupId, tenantId, now, isTaken: (name) => stores.groups.idNamed(tenantId, name) !== undefined });
    return { group, roles };
  };
  // Checked first so the event shows the group as it will be stored, then checked again and written in one
  // transaction, so two processes on one file cannot both take a name.
  const planned = draft();
  return withEvents(standin, [groupEvent(stores, 'group.create', planned.group, planned.roles)], () =>
    stores.db
      .transaction(() => {
        const { group, roles } = draft();
        stores.groups.insert(group, roles);
        return group;
      })
      .immediate(),
  );
}

/**
 * PUT replaces the group and its roles (no `roleIds`, no roles); PATCH merges `group` into it (RFC 7396) and
 * replaces the roles only when `roleIds` is given. Sends `group.update` with `original` (transactional).
 */
export async function updateGroup(standin: Standin, existing: Group, body: JsonObject, mode: 'replace' | 'merge'): Promise<Group> {
  const { stores } = standin;
  const now = standin.config.now();
  const input = requireMember(body, 'group');
  const given = roleIdsOf(body);
  const draft = () => {
    const roles = given === undefined && mode === 'merge' ? undefined : rolesNamed(stores, existing.tenantId, given ?? []);
    const group = buildGroup(mode === 'merge' ? mergePatch(existing, input) : input, {
      id: existing.id,
      tenantId: existing.tenantId,
      now,
      existing,
      isTaken: (name) => ![undefined, existing.id].includes(stores.groups.idNamed(existing.tenantId, name)),
    });
    return { group, roles };
  };
  const planned = draft();
  const event = groupEvent(stores, 'group.update', planned.group, planned.roles ?? stores.groups.rolesOf(existing.id), {
    original: groupResponse(stores, existing),
  });
  return withEvents(standin, [event], () =>
    stores.db
      .transaction(() => {
        const { group, roles } = draft();
        stores.groups.update(group, roles);
        return group;
      })
      .immediate(),
  );
}

/** Deletes a group, its memberships and the roles they granted (ON DELETE CASCADE); sends `group.delete` (transactional). */
export async function deleteGroup(standin: Standin, group: Group): Promise<void> {
  const { stores } = standin;
  await withEvents(standin, [groupEvent(stores, 'group.delete', group, stores.groups.rolesOf(group.id))], () => {
    stores.groups.delete(group.id);
  });
}

/**
 * A group event (https://fusionauth.io/docs/extend/events-and-webhooks/events/group-create): the group as the
 * Group API answers it, `roles` included, in its tenant; `roles` gives them when they are not stored yet.
 */
export function groupEvent(stores: Stores, type: string, group: Group, roles: readonly GroupRole[], extra: JsonObject = {}): EventInput {
  return { type, tenantId: group.tenantId, linkedObjectId: group.id, group: { ...group, roles: rolesByApplication(stores, roles) }, ...extra };
}

/** The group as the API answers it: with `roles`, the roles it grants that their applications still have. */
export function groupResponse(stores: Stores, group: Group): JsonObject {
  return { ...group, roles: rolesByApplication(stores, stores.groups.rolesOf(group.id)) };
}

function rolesByApplication(stores: Stores, given: readonly GroupRole[]): Record<string, ApplicationRole[]> {
  const roles: Record<string, ApplicationRole[]> = {};
  for (const { applicationId, roleId } of given) {
    const role = stores.applications.get(applicationId)?.roles.find((candidate) => candidate.id === roleId);
    if (role) (roles[applicationId] ??= []).push(role);
  }
  return roles;
}

const ORDER_FIELDS = Object.keys(GROUP_ORDER_FIELDS) as (keyof typeof GROUP_ORDER_FIELDS)[];

/**
 * Search for Groups: `name` matched without regard to case, `*` standing for anything and `*name*` meant when it
 * has none; `tenantId` narrows to one tenant unless the request already acts in one (`scopedTenantId`).
 */
export function searchGroups(
  stores: Stores,
  criteria: unknown,
  scopedTenantId: string | undefined,
  prefix: string,
): { groups: JsonObject[]; total: number } {
  const given = isObject(criteria) ? criteria : {};
  const page = searchPage(given, ORDER_FIELDS, 'name', prefix);
  const errors = new FieldErrors();
  if (given.name !== undefined && given.name !== null && typeof given.name !== 'string')
    errors.add(`${prefix}name`, 'invalid', `The [${prefix}name] property must be a string.`);
  if (given.tenantId !== undefined && given.tenantId !== null && !isUuid(given.tenantId))
    errors.add(`${prefix}tenantId`, 'invalid', `The [${prefix}tenantId] property must be a tenant Id.`);
  errors.throwIfAny();
  const name = typeof given.name === 'string' && given.name.trim() !== '' ? given.name.trim() : undefined;
  const tenantId = scopedTenantId ?? (typeof given.tenantId === 'string' ? given.tenantId : undefined);
  const { groups, total } = stores.groups.search({ ...page, tenantId, nameLike: likePattern(name) });
  return { groups: groups.map((group) => groupResponse(stores, group)), total };
}

/** The application and role each of `roleIds` names, among the applications of the tenant; `[invalid]roleIds` otherwise. */
function rolesNamed(stores: Stores, tenantId: string, roleIds: readonly string[]): GroupRole[] {
  const applicationOf = new Map<string, string>();
  for (const application of stores.applications.list(tenantId)) {
    for (const role of application.roles) applicationOf.set(role.id, application.id);
  }
  const unknown = roleIds.filter((roleId) => !applicationOf.has(roleId));
  if (unknown.length > 0) {
    new FieldErrors()
      .add('roleIds', 'invalid', `The [roleIds] property names roles that no application of this tenant has: [${unknown.join(', ')}].`)
      .throwIfAny();
  }
  return roleIds.map((roleId) => ({ applicationId: applicationOf.get(roleId)!, roleId }));
}
