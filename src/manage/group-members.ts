import { refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { ApiError, FieldErrors } from '../errors.js';
import { withEvents, type EventInput } from '../events/emit.js';
import type { GroupMember } from '../model/group.js';
import { canonicalId } from '../model/ids.js';
import { isObject, isUuid, type JsonObject } from '../model/json.js';
import { MEMBER_ORDER_FIELDS } from '../store/group-members.js';
import type { Standin } from '../standin.js';
import type { Stores } from '../store/index.js';
import { groupEvent } from './groups.js';
import { requireBody } from './request-body.js';
import { searchPage } from './search-page.js';

/** Whether the request may see objects of this tenant (an `X-FusionAuth-TenantId` or tenant-bound key hides the others). */
export type TenantVisible = (tenantId: string) => boolean;

/** A member as the Member API answers it inside `members[groupId]`. */
type MemberEntry = Omit<GroupMember, 'groupId'>;

/**
 * Add (POST) or replace (PUT) the members of groups (https://fusionauth.io/docs/apis/groups): `members` maps a
 * group id to `[{userId, id?, data?}]`. A user must be of the group's tenant. Adding a user who is already a
 * member keeps the existing membership. PUT first removes every member of each group named. All of it is
 * checked before anything is written, and written in one transaction. Sends, per group, `group.member.add` with
 * the members added (none for a group where nobody was new) or, for PUT, `group.member.update` with the group's
 * new members (transactional; docs/webhooks.md).
 */
export async function writeMembers(
  standin: Standin,
  visible: TenantVisible,
  body: unknown,
  mode: 'add' | 'replace',
): Promise<{ members: Record<string, MemberEntry[]> }> {
  const { stores } = standin;
  const now = standin.config.now();
  const given = requireBody(body).members;
  // Checked once before the webhooks are asked, so the events name the members as they will be stored.
  const planned = requestedMembers(stores, visible, given, now);
  const events = [...planned].flatMap(([groupId, members]) => {
    const fresh = mode === 'replace' ? members : members.filter((member) => !stores.groupMembers.find(groupId, member.userId));
    if (fresh.length === 0) return [];
    return [memberEvent(stores, mode === 'replace' ? 'group.member.update' : 'group.member.add', groupId, fresh)];
  });
  const written = await withEvents(standin, events, () =>
    stores.db
      .transaction(() => {
        const answer: Record<string, MemberEntry[]> = {};
        for (const [groupId, members] of planned) {
          if (mode === 'replace') stores.groupMembers.deleteOf(groupId);
          answer[groupId] = members.map((member) => {
            const existing = stores.groupMembers.find(groupId, member.userId);
            if (existing) return entry(existing);
            refuseDuplicateId(stores.groupMembers.get(member.id) !== undefined, 'memberId', 'A Group Member', member.id);
            stores.groupMembers.insert(member);
            return entry(member);
          });
        }
        return answer;
      })
      .immediate(),
  );
  return { members: written };
}

/**
 * A group member event (https://fusionauth.io/docs/extend/events-and-webhooks/events/group-member-add): the group
 * as the Group API answers it and `members` as `{id, userId, insertInstant, data}`, in the group's tenant.
 */
function memberEvent(stores: Stores, type: string, groupId: string, members: readonly GroupMember[]): EventInput {
  const group = stores.groups.get(groupId)!;
  return { ...groupEvent(stores, type, group, stores.groups.rolesOf(groupId)), members: members.map(entry) };
}

function requestedMembers(stores: Stores, visible: TenantVisible, given: unknown, now: number): Map<string, GroupMember[]> {
  const errors = new FieldErrors();
  const requested = new Map<string, GroupMember[]>();
  if (!isObject(given) || Object.keys(given).length === 0) {
    errors.add('members', 'blank', 'You must specify the [members] property: a map of Group Id to a list of members.').throwIfAny();
  }
  for (const [key, list] of Object.entries(given as JsonObject)) {
    const groupId = canonicalId(key);
    const group = isUuid(groupId) ? stores.groups.get(groupId) : undefined;
    if (!group || !visible(group.tenantId)) {
      errors.add('groupId', 'invalid', `The Group with Id [${key}] does not exist.`);
      continue;
    }
    if (!Array.isArray(list)) {
      errors.add(`members[${key}]`, 'invalid', `The [members[${key}]] property must be a list of members.`);
      continue;
    }
    const members = new Map<string, GroupMember>();
    list.forEach((item, index) => {
      const field = `members[${key}][${index}]`;
      const userId = isObject(item) && typeof item.userId === 'string' ? canonicalId(item.userId) : undefined;
      const user = userId !== undefined && isUuid(userId) ? stores.users.get(userId) : undefined;
      if (!isObject(item) || userId === undefined) errors.add(`${field}.userId`, 'blank', `You must specify the [${field}.userId] property.`);
      else if (!user || user.tenantId !== group.tenantId)
        errors.add(`${field}.userId`, 'invalid', `The User with Id [${item.userId as string}] does not exist in the Group's tenant.`);
      else if (item.id !== undefined && item.id !== null && !isUuid(item.id))
        errors.add(`${field}.id`, 'invalid', `The [${field}.id] property must be a UUID.`);
      else if (item.data !== undefined && item.data !== null && !isObject(item.data))
        errors.add(`${field}.data`, 'invalid', `The [${field}.data] property must be an object.`);
      else if (!members.has(userId)) {
        const id = typeof item.id === 'string' ? item.id : randomUUID();
        members.set(userId, { id, groupId, userId, insertInstant: now, data: isObject(item.data) ? item.data : {} });
      }
    });
    requested.set(groupId, [...(requested.get(groupId) ?? []), ...members.values()]);
  }
  errors.throwIfAny();
  return requested;
}

function entry(member: GroupMember): MemberEntry {
  return { id: member.id, userId: member.userId, insertInstant: member.insertInstant, data: member.data };
}

/** What a DELETE on the Member API names, from its path, query or body. */
export type MemberRemoval =
  { memberId: string } | { groupId: string; userIds?: string[] } | { memberIds: string[] } | { members: Record<string, string[]> };

/**
 * Remove members by every form FusionAuth documents: one member id (path), a group and user (query), every member of
 * a group (query, deprecated by FusionAuth in favour of PUT), a list of member ids, or a map of group id to user ids
 * (body). A member, group or user that does not exist (or that the request may not see) is a 404 and removes nothing.
 * Sends `group.member.remove` per group with the members removed, or `group.member.update` with no members for
 * the form that empties a group (transactional).
 */
export async function removeMembers(standin: Standin, visible: TenantVisible, removal: MemberRemoval): Promise<void> {
  const { stores } = standin;
  const groupOf = (groupId: string) => {
    const group = isUuid(groupId) ? stores.groups.get(groupId) : undefined;
    if (!group || !visible(group.tenantId)) throw ApiError.notFound();
    return group;
  };
  const memberOf = (memberId: string) => {
    const member = isUuid(memberId) ? stores.groupMembers.get(memberId) : undefined;
    if (!member) throw ApiError.notFound();
    groupOf(member.groupId);
    return member;
  };
  const removed = (): GroupMember[] => {
    if ('memberId' in removal) return [memberOf(removal.memberId)];
    if ('memberIds' in removal) return removal.memberIds.map(memberOf);
    if ('groupId' in removal) return membersNamed(stores, groupOf(removal.groupId).id, removal.userIds);
    return Object.entries(removal.members).flatMap(([groupId, userIds]) => membersNamed(stores, groupOf(groupId).id, userIds));
  };
  const byGroup = new Map<string, GroupMember[]>();
  for (const member of removed()) byGroup.set(member.groupId, [...(byGroup.get(member.groupId) ?? []), member]);
  // Emptying a group is `group.member.update` with no members left, as FusionAuth documents
  // (https://fusionauth.io/docs/extend/events-and-webhooks/events/group-member-update).
  const events =
    'groupId' in removal && removal.userIds === undefined
      ? [memberEvent(stores, 'group.member.update', groupOf(removal.groupId).id, [])]
      : [...byGroup].map(([groupId, members]) => memberEvent(stores, 'group.member.remove', groupId, members));
  await withEvents(standin, events, () => {
    stores.db
      .transaction(() => {
        // Checked again in the transaction: a member another request removed meanwhile is a 404, as before.
        for (const member of removed()) stores.groupMembers.delete(member.id);
      })
      .immediate();
  });
}

/** The members of a group a removal names: every one, or those of `userIds` (a user who is not one is a 404). */
function membersNamed(stores: Stores, groupId: string, userIds: string[] | undefined): GroupMember[] {
  if (userIds === undefined) {
    return stores.groupMembers.search({
      groupId,
      orderBy: { field: 'insertInstant', descending: false },
      startRow: 0,
      numberOfResults: Number.MAX_SAFE_INTEGER,
    }).members;
  }
  return userIds.map((userId) => {
    const member = stores.groupMembers.find(groupId, userId);
    if (!member) throw ApiError.notFound();
    return member;
  });
}

/** The removal a DELETE body asks for: `{memberIds}` or `{members: {groupId: [userId]}}`; a 400 otherwise. */
export function removalFromBody(body: unknown): MemberRemoval {
  const given = requireBody(body);
  const ids = (value: unknown) => Array.isArray(value) && value.length > 0 && value.every(isUuid);
  if (given.memberIds !== undefined) {
    if (!ids(given.memberIds))
      new FieldErrors().add('memberIds', 'invalid', 'The [memberIds] property must be a list of Group Member Ids.').throwIfAny();
    return { memberIds: given.memberIds as string[] };
  }
  const members = given.members;
  if (!isObject(members) || Object.keys(members).length === 0 || !Object.values(members).every(ids)) {
    new FieldErrors().add('members', 'invalid', 'Send [memberIds], or [members] as a map of Group Id to a list of User Ids.').throwIfAny();
  }
  return {
    members: Object.fromEntries(
      Object.entries(members as Record<string, string[]>).map(([groupId, userIds]) => [canonicalId(groupId), userIds.map(canonicalId)]),
    ),
  };
}

const ORDER_FIELDS = Object.keys(MEMBER_ORDER_FIELDS) as (keyof typeof MEMBER_ORDER_FIELDS)[];

/** Search for Group Members: by `groupId` and/or `userId`, paged, `{members, total}` with each member's `groupId`. */
export function searchMembers(
  stores: Stores,
  criteria: unknown,
  scopedTenantId: string | undefined,
  prefix: string,
): { members: GroupMember[]; total: number } {
  const given = isObject(criteria) ? criteria : {};
  const page = searchPage(given, ORDER_FIELDS, 'insertInstant', prefix);
  const errors = new FieldErrors();
  for (const name of ['groupId', 'userId', 'tenantId'] as const) {
    const value = given[name];
    if (value !== undefined && value !== null && !isUuid(value))
      errors.add(`${prefix}${name}`, 'invalid', `The [${prefix}${name}] property must be a UUID.`);
  }
  errors.throwIfAny();
  const idOf = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : undefined);
  return stores.groupMembers.search({
    ...page,
    groupId: idOf(given.groupId),
    userId: idOf(given.userId),
    tenantId: scopedTenantId ?? idOf(given.tenantId),
  });
}

/**
 * `user.memberships` on a new user (FusionAuth's Create a User request: `[{groupId, id?, data?}]`), checked and
 * given their ids, one per group (a group listed twice is joined once, with its first entry); a group that is not
 * of the user's tenant refuses the whole user. Planned before `user.create` is sent, so that the event's
 * `user.memberships` are the ones written (docs/webhooks.md).
 */
export function plannedMemberships(stores: Stores, now: number, user: { id: string; tenantId: string }, input: unknown): GroupMember[] {
  const given = isObject(input) ? input.memberships : undefined;
  if (given === undefined || given === null) return [];
  const errors = new FieldErrors();
  if (!Array.isArray(given)) errors.add('user.memberships', 'invalid', 'The [user.memberships] property must be a list of memberships.').throwIfAny();
  const members = (given as unknown[]).flatMap((item, index): GroupMember[] => {
    const field = `user.memberships[${index}]`;
    const groupId = isObject(item) && typeof item.groupId === 'string' ? canonicalId(item.groupId) : undefined;
    const group = groupId !== undefined && isUuid(groupId) ? stores.groups.get(groupId) : undefined;
    if (!isObject(item) || groupId === undefined) errors.add(`${field}.groupId`, 'blank', `You must specify the [${field}.groupId] property.`);
    else if (!group || group.tenantId !== user.tenantId)
      errors.add(`${field}.groupId`, 'invalid', `The Group with Id [${item.groupId as string}] does not exist in the User's tenant.`);
    else if (item.id !== undefined && item.id !== null && (!isUuid(item.id) || stores.groupMembers.get(item.id)))
      errors.add(`${field}.id`, 'invalid', `The [${field}.id] property must be a new UUID.`);
    else if (item.data !== undefined && item.data !== null && !isObject(item.data))
      errors.add(`${field}.data`, 'invalid', `The [${field}.data] property must be an object.`);
    else
      return [
        {
          id: typeof item.id === 'string' ? item.id : randomUUID(),
          groupId,
          userId: user.id,
          insertInstant: now,
          data: isObject(item.data) ? item.data : {},
        },
      ];
    return [];
  });
  errors.throwIfAny();
  const byGroup = new Map<string, GroupMember>();
  for (const member of members) if (!byGroup.has(member.groupId)) byGroup.set(member.groupId, member);
  return [...byGroup.values()];
}

/**
 * Writes the memberships planned for a new user, in the user's own transaction, after checking them again: a group
 * deleted or a membership id taken while the webhooks were asked refuses the user as it would have before.
 */
export function joinGroupsOnCreate(stores: Stores, now: number, user: { id: string; tenantId: string }, planned: readonly GroupMember[]): void {
  for (const member of plannedMemberships(stores, now, user, { memberships: planned })) stores.groupMembers.insert(member);
}
