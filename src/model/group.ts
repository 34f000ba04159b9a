import { FieldErrors } from '../errors.js';
import { isObject, isUuid, type JsonObject } from './json.js';
import { addDuplicateName } from './refuse-duplicate.js';

/** A FusionAuth group as stored (https://fusionauth.io/docs/apis/groups); `roles` is added when it is answered. */
export interface Group extends JsonObject {
  id: string;
  tenantId: string;
  name: string;
  data: JsonObject;
  insertInstant: number;
  lastUpdateInstant: number;
}

/** A user's membership of a group: FusionAuth's GroupMember, as `user.memberships` and the member search show it. */
export interface GroupMember {
  id: string;
  groupId: string;
  userId: string;
  insertInstant: number;
  data: JsonObject;
}

export interface GroupContext {
  id: string;
  tenantId: string;
  now: number;
  existing?: Group;
  /** Another group of the tenant already has this name. */
  isTaken: (name: string) => boolean;
}

/** Builds a group from the `group` member of a request body, or throws FusionAuth's field errors. */
export function buildGroup(input: unknown, context: GroupContext): Group {
  const errors = new FieldErrors();
  const given: JsonObject = isObject(input) ? { ...input } : {};
  // Read-only members: the id and tenant come from the request, the instants from Standin, `roles` from `roleIds`.
  for (const field of ['id', 'tenantId', 'insertInstant', 'lastUpdateInstant', 'roles'] as const) delete given[field];
  const name = given.name;
  if (typeof name !== 'string' || name.trim() === '') errors.add('group.name', 'blank', 'You must specify the [group.name] property.');
  else if (context.isTaken(name)) addDuplicateName(errors, 'group.name', 'A Group', name);
  if (given.data !== undefined && given.data !== null && !isObject(given.data))
    errors.add('group.data', 'invalid', 'The [group.data] property must be an object.');
  errors.throwIfAny();
  return {
    ...given,
    id: context.id,
    tenantId: context.tenantId,
    name: name as string,
    data: isObject(given.data) ? given.data : {},
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}

/** `roleIds` beside `group` in a group request: a list of application role ids, or absent. */
export function roleIdsOf(body: JsonObject): string[] | undefined {
  const given = body.roleIds;
  if (given === undefined || given === null) return undefined;
  if (!Array.isArray(given) || !given.every(isUuid)) {
    new FieldErrors().add('roleIds', 'invalid', 'The [roleIds] property must be a list of application role Ids.').throwIfAny();
  }
  return [...new Set(given as string[])];
}
