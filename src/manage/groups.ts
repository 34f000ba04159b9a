import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import type { ApplicationRole } from '../model/application.js';
import { buildGroup, roleIdsOf, type Group } from '../model/group.js';
import { isObject, isUuid, mergePatch, type JsonObject } from '../model/json.js';
import { GROUP_ORDER_FIELDS, type GroupRole } from '../store/groups.js';
import type { Stores } from '../store/index.js';
import { requireMember } from './request-body.js';
import { searchPage } from './search-page.js';

/**
 * FusionAuth's Group API (https://fusionauth.io/docs/apis/groups): `{group, roleIds}` in, `{group}` out, where
 * `group.roles` maps each application id to the roles the group grants in it. Roles are given by id only, and
 * must belong to an application of the group's tenant.
 */
export function createGroup(stores: Stores, now: number, tenantId: string, id: string | undefined, body: JsonObject): Group {
  const groupId = id ?? randomUUID();
  const input = requireMember(body, 'group');
  const roleIds = roleIdsOf(body) ?? [];
  // Checked and written in one transaction, so two processes on one file cannot both take a name.
  return stores.db
    .transaction(() => {
      if (stores.groups.get(groupId)) {
        new FieldErrors().add('groupId', 'duplicate', `A Group with Id [${groupId}] already exists.`).throwIfAny();
      }
      const roles = rolesNamed(stores, tenantId, roleIds);
      const group = buildGroup(input, { id: groupId, tenantId, now, isTaken: (name) => stores.groups.idNamed(tenantId, name) !== undefined });
      stores.groups.insert(group, roles);
      return group;
    })
    .immediate();
}

/**
 * PUT replaces the group and its roles (no `roleIds`, no roles); PATCH merges `group` into it (RFC 7396) and
 * replaces the roles only when `roleIds` is given.
 */
export function updateGroup(stores: Stores, now: number, existing: Group, body: JsonObject, mode: 'replace' | 'merge'): Group {
  const input = requireMember(body, 'group');
  const given = roleIdsOf(body);
  return stores.db
    .transaction(() => {
      const roles = given === undefined && mode === 'merge' ? undefined : rolesNamed(stores, existing.tenantId, given ?? []);
      const group = buildGroup(mode === 'merge' ? mergePatch(existing, input) : input, {
        id: existing.id,
        tenantId: existing.tenantId,
        now,
        existing,
        isTaken: (name) => ![undefined, existing.id].includes(stores.groups.idNamed(existing.tenantId, name)),
      });
      stores.groups.update(group, roles);
      return group;
    })
    .immediate();
}

/** The group as the API answers it: with `roles`, the roles it grants that their applications still have. */
export function groupResponse(stores: Stores, group: Group): JsonObject {
  const roles: Record<string, ApplicationRole[]> = {};
  for (const { applicationId, roleId } of stores.groups.rolesOf(group.id)) {
    const role = stores.applications.get(applicationId)?.roles.find((candidate) => candidate.id === roleId);
    if (role) (roles[applicationId] ??= []).push(role);
  }
  return { ...group, roles };
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
  const { groups, total } = stores.groups.search({ ...page, tenantId, nameLike: name === undefined ? undefined : likePattern(name) });
  return { groups: groups.map((group) => groupResponse(stores, group)), total };
}

function likePattern(name: string): string {
  const escaped = name.replace(/[\\%_]/g, (character) => `\\${character}`);
  return name.includes('*') ? escaped.replace(/\*/g, '%') : `%${escaped}%`;
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
