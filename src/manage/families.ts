import { addDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { sendTemplatedEmail } from '../email/send-templated-email.js';
import { ApiError, FieldErrors } from '../errors.js';
import { isObject, isUuid, shownValue, type JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import type { FamilyMember, FamilyRole } from '../store/family-members.js';
import type { Stores } from '../store/index.js';
import type { TenantVisible } from './action-user.js';

/** A family as FusionAuth's Family API answers it (https://fusionauth.io/docs/apis/families): its id and members. */
export interface Family {
  id: string;
  members: JsonObject[];
}

const ROLES: readonly unknown[] = ['Adult', 'Teen', 'Child'];

// FusionAuth's default `tenant.familyConfiguration.minimumOwnerAge` (Tenant API).
const DEFAULT_MINIMUM_OWNER_AGE = 21;

/** The family with this id as the API answers it, or undefined when it has no member the request may see. */
export function visibleFamily(stores: Stores, familyId: string, visible: TenantVisible): Family | undefined {
  const members = stores.familyMembers.ofFamily(familyId);
  // A family's members are of one tenant: its first member's decides whether the request may see it.
  const first = members[0] === undefined ? undefined : stores.users.get(members[0].userId);
  if (!first || !visible(first.tenantId)) return undefined;
  return { id: familyId, members: members.map(memberView) };
}

/** The families a user is in, by family id. */
export function familiesOf(stores: Stores, userId: string): Family[] {
  return stores.familyMembers.familyIdsOf(userId).map((id) => ({ id, members: stores.familyMembers.ofFamily(id).map(memberView) }));
}

/**
 * Creates a family with one adult, its owner (Family API, "Add a User to a Family": "When creating a family the first
 * user must be an adult"). FusionAuth's errors: `[missing]familyMember`, `[missing]`/`[invalid]familyMember.role` (not
 * `Adult`), `[missing]`/`[invalid]familyMember.userId`, `[duplicate]familyId`, `[alreadyInFamily]familyMember.userId`
 * (an adult belongs to one family) and `[tooYoung]familyMember.userId` (younger than the tenant's
 * `familyConfiguration.minimumOwnerAge`; a user without a `birthDate` has no age, and is too young).
 */
export function createFamily(standin: Standin, familyId: string | undefined, body: unknown, visible: TenantVisible): Family {
  const { stores, config } = standin;
  const input = familyMemberOf(body);
  const id = (familyId ?? randomUUID()).toLowerCase();
  const errors = new FieldErrors();
  const role = roleOf(input.role, errors);
  if (role !== undefined && role !== 'Adult') errors.add('familyMember.role', 'invalid', 'The first member of a family must be an [Adult].');
  const user = userNamed(stores, input.userId, errors, visible);
  if (stores.familyMembers.ofFamily(id).length > 0) addDuplicateId(errors, 'familyId', 'A family', id);
  if (user) {
    if (stores.familyMembers.familyIdsOf(user.id).length > 0) {
      errors.add('familyMember.userId', 'alreadyInFamily', `The user [${user.id}] is already in a family.`);
    }
    const minimum = minimumOwnerAge(stores.tenants.get(user.tenantId));
    const age = ageOf(user, config.now());
    if (age < minimum) {
      errors.add(
        'familyMember.userId',
        'tooYoung',
        `The user [${user.id}] must be at least [${minimum}] years old to own a family, and is [${age}].`,
      );
    }
  }
  errors.throwIfAny();
  const now = config.now();
  stores.familyMembers.upsert({
    familyId: id,
    userId: user!.id,
    role: 'Adult',
    owner: true,
    data: dataOf(input),
    insertInstant: now,
    lastUpdateInstant: now,
  });
  return visibleFamily(stores, id, () => true)!;
}

/**
 * Adds a user to a family, or changes the role and owner flag of one already in it (Family API, "Update a Family":
 * `PUT /api/user/family/{familyId}`). An adult belongs to one family (`[alreadyInFamily]familyMember.userId` when in
 * another); a teen or child may be in several, is never an owner ("This value will be ignored if the user role is
 * Teen or Child"), and is no longer pending for a parent once in a family: their `parentEmail` is cleared. An unknown
 * family is FusionAuth's empty 404, after the request is checked.
 */
export function addFamilyMember(standin: Standin, familyId: string, body: unknown, visible: TenantVisible): Family {
  const { stores, config } = standin;
  const input = familyMemberOf(body);
  const errors = new FieldErrors();
  const role = roleOf(input.role, errors);
  const user = userNamed(stores, input.userId, errors, visible);
  if (user && role === 'Adult' && stores.familyMembers.familyIdsOf(user.id).some((id) => id !== familyId)) {
    errors.add('familyMember.userId', 'alreadyInFamily', `The user [${user.id}] is already in another family.`);
  }
  if (input.owner !== undefined && input.owner !== null && typeof input.owner !== 'boolean')
    errors.add('familyMember.owner', 'invalid', 'The [familyMember.owner] property must be true or false.');
  errors.throwIfAny();
  const family = visibleFamily(stores, familyId, visible);
  if (!family) throw ApiError.notFound();
  const tenantOfFamily = stores.users.get(family.members[0]!.userId as string)?.tenantId;
  if (tenantOfFamily !== user!.tenantId) {
    new FieldErrors()
      .add('familyMember.userId', 'invalid', 'The [familyMember.userId] property must name a user of the family’s tenant.')
      .throwIfAny();
  }
  const now = config.now();
  const adult = role === 'Adult';
  stores.db
    .transaction(() => {
      stores.familyMembers.upsert({
        familyId,
        userId: user!.id,
        role: role!,
        owner: adult && input.owner === true,
        data: dataOf(input),
        insertInstant: now,
        lastUpdateInstant: now,
      });
      if (!adult && typeof user!.parentEmail === 'string') {
        const { parentEmail: _cleared, ...rest } = user!;
        stores.users.update({ ...rest, lastUpdateInstant: now });
      }
    })
    .immediate();
  return visibleFamily(stores, familyId, () => true)!;
}

/** The users of `tenantId` (or of every tenant) whose `parentEmail` is this address: children pending a parent. */
export function pendingChildren(stores: Stores, parentEmail: string, tenantId: string | undefined): User[] {
  return stores.familyMembers.pendingChildren(parentEmail).filter((user) => tenantId === undefined || user.tenantId === tenantId);
}

/**
 * Request Parental Approval (Family API): emails `parentEmail` with the tenant's
 * `familyConfiguration.familyRequestEmailTemplateId`; the parent, when a user of the tenant has that email, is the
 * template's `parent` (and `user`). A tenant whose family configuration is off or names no template sends nothing, and
 * the request still succeeds: FusionAuth documents no error for it (docs/consents-and-families.md).
 */
export function sendFamilyRequest(standin: Standin, tenant: Tenant, body: unknown): void {
  const parentEmail = isObject(body) ? body.parentEmail : undefined;
  if (typeof parentEmail !== 'string' || parentEmail.trim() === '') {
    new FieldErrors().add('parentEmail', 'blank', 'You must specify the [parentEmail] property.').throwIfAny();
  }
  const address = (parentEmail as string).trim();
  const family = isObject(tenant.familyConfiguration) ? tenant.familyConfiguration : {};
  const templateId = family.familyRequestEmailTemplateId;
  if (family.enabled !== true || typeof templateId !== 'string') return;
  const parent = standin.stores.users.byEmail(tenant.id, address);
  sendTemplatedEmail(standin, {
    tenant,
    ...(parent ? { user: parent, variables: { parent } } : {}),
    to: { address },
    templateId: templateId.toLowerCase(),
    outboxType: 'familyRequest',
  });
}

function memberView(member: FamilyMember): JsonObject {
  return {
    ...(Object.keys(member.data).length > 0 ? { data: member.data } : {}),
    insertInstant: member.insertInstant,
    lastUpdateInstant: member.lastUpdateInstant,
    owner: member.owner,
    role: member.role,
    userId: member.userId,
  };
}

/** `{familyMember: {...}}`, else FusionAuth's `[missing]familyMember`. */
function familyMemberOf(body: unknown): JsonObject {
  const input = isObject(body) ? body.familyMember : undefined;
  if (!isObject(input)) new FieldErrors().add('familyMember', 'missing', 'You must specify the [familyMember] property.').throwIfAny();
  return input as JsonObject;
}

/** `Adult`, `Teen` or `Child`; another value is JSON FusionAuth cannot read into its FamilyRole. */
function roleOf(value: unknown, errors: FieldErrors): FamilyRole | undefined {
  if (value === undefined || value === null) {
    errors.add('familyMember.role', 'missing', 'You must specify the [familyMember.role] property.');
    return undefined;
  }
  if (!ROLES.includes(value)) {
    throw ApiError.general(
      '[invalidJSON]',
      `Unable to parse JSON. The [familyMember.role] property must be one of [Adult, Teen, Child], not [${shownValue(value).slice(0, 64)}].`,
    );
  }
  return value as FamilyRole;
}

function userNamed(stores: Stores, value: unknown, errors: FieldErrors, visible: TenantVisible): User | undefined {
  if (value === undefined || value === null) {
    errors.add('familyMember.userId', 'missing', 'You must specify the [familyMember.userId] property.');
    return undefined;
  }
  const user = isUuid(value) ? stores.users.get(value.toLowerCase()) : undefined;
  if (!user || !visible(user.tenantId)) {
    errors.add('familyMember.userId', 'invalid', 'The [familyMember.userId] property does not identify a user.');
    return undefined;
  }
  return user;
}

function dataOf(input: JsonObject): JsonObject {
  return isObject(input.data) ? input.data : {};
}

function minimumOwnerAge(tenant: Tenant | undefined): number {
  const family = isObject(tenant?.familyConfiguration) ? tenant.familyConfiguration : {};
  return typeof family.minimumOwnerAge === 'number' ? family.minimumOwnerAge : DEFAULT_MINIMUM_OWNER_AGE;
}

/** Whole years from the user's `birthDate` to today on Standin's clock (UTC); -1 without a birth date, as FusionAuth counts it. */
export function ageOf(user: User, now: number): number {
  const birthDate = user.birthDate;
  if (typeof birthDate !== 'string') return -1;
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const today = new Date(now);
  const [y, m, d] = [today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()];
  return y - year - (m < month || (m === month && d < day) ? 1 : 0);
}
