import { addDuplicateName, refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { ApiError, FieldErrors } from '../errors.js';
import type { Application, ApplicationRole } from '../model/application.js';
import { isObject, mergePatch } from '../model/json.js';
import type { Stores } from '../store/index.js';

/**
 * FusionAuth's Application Role API (`/api/application/{id}/role[/{roleId}]`, body `{role}`). Registrations
 * name roles, so renaming or deleting a role renames it in, or removes it from, the application's
 * registrations in the same write, as FusionAuth's relational roles behave.
 */
export function createRole(stores: Stores, now: number, application: Application, roleId: string | undefined, input: unknown): ApplicationRole {
  const id = roleId ?? randomUUID();
  refuseDuplicateId(
    application.roles.some((role) => role.id === id),
    'roleId',
    'A role',
    id,
  );
  const role = buildRole(input, id, application.roles);
  save(stores, now, application, [...application.roles, role]);
  return role;
}

/** PUT replaces the role with `input`; PATCH merges `input` into it (RFC 7396). */
export function updateRole(
  stores: Stores,
  now: number,
  application: Application,
  roleId: string,
  input: unknown,
  mode: 'replace' | 'merge',
): ApplicationRole {
  const existing = findRole(application, roleId);
  const others = application.roles.filter((role) => role.id !== existing.id);
  const role = buildRole(mode === 'merge' ? mergePatch(existing, input) : input, existing.id, others);
  stores.db.transaction(() => {
    save(
      stores,
      now,
      application,
      application.roles.map((current) => (current.id === role.id ? role : current)),
    );
    if (role.name !== existing.name) renameInRegistrations(stores, now, application.id, existing.name, role.name);
  })();
  return role;
}

export function deleteRole(stores: Stores, now: number, application: Application, roleId: string): void {
  const existing = findRole(application, roleId);
  stores.db.transaction(() => {
    save(
      stores,
      now,
      application,
      application.roles.filter((role) => role.id !== existing.id),
    );
    renameInRegistrations(stores, now, application.id, existing.name, undefined);
  })();
}

function findRole(application: Application, roleId: string): ApplicationRole {
  const role = application.roles.find((candidate) => candidate.id.toLowerCase() === roleId);
  if (!role) throw ApiError.notFound();
  return role;
}

function buildRole(input: unknown, id: string, others: ApplicationRole[]): ApplicationRole {
  const errors = new FieldErrors();
  const given = isObject(input) ? { ...input } : {};
  const name = given.name;
  if (!isObject(input)) errors.add('role', 'blank', 'You must specify the [role] property.');
  else if (typeof name !== 'string' || name.trim() === '') errors.add('role.name', 'blank', 'You must specify the [role.name] property.');
  else if (others.some((role) => role.name === name)) addDuplicateName(errors, 'role.name', 'A role', name);
  if (given.description !== undefined && given.description !== null && typeof given.description !== 'string') {
    errors.add('role.description', 'invalid', 'The [role.description] property must be a string.');
  }
  errors.throwIfAny();
  return { ...given, id, name: name as string, isDefault: given.isDefault === true, isSuperRole: given.isSuperRole === true };
}

function save(stores: Stores, now: number, application: Application, roles: ApplicationRole[]): void {
  stores.applications.update({ ...application, roles, lastUpdateInstant: now });
}

/** Renames role `from` to `to` in the application's registrations, or takes it out of them when `to` is undefined. */
export function renameInRegistrations(stores: Stores, now: number, applicationId: string, from: string, to: string | undefined): void {
  for (const userId of stores.registrations.userIdsOf(applicationId)) {
    const registration = stores.registrations.get(userId, applicationId);
    if (!registration?.roles.includes(from)) continue;
    const roles = registration.roles.flatMap((role) => (role !== from ? [role] : to === undefined ? [] : [to]));
    stores.registrations.update({ ...registration, roles: [...new Set(roles)], lastUpdateInstant: now });
  }
}
