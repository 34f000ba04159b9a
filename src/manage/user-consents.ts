import { addDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { sendTemplatedEmail } from '../email/send-templated-email.js';
import { ApiError, FieldErrors } from '../errors.js';
import type { Consent } from '../model/consent.js';
import { isObject, isUuid, mergePatch, shownValue, type JsonObject } from '../model/json.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import type { Stores } from '../store/index.js';
import type { ConsentStatus, StoredUserConsent } from '../store/user-consents.js';
import type { TenantVisible } from './action-user.js';

/** A user consent as the API answers it: with the consent it names (User Consent API, response body). */
export type UserConsent = StoredUserConsent & { consent?: Consent };

const STATUSES: readonly unknown[] = ['Active', 'Revoked'];

/** The stored user consent with its consent beside it. */
export function userConsentView(stores: Stores, stored: StoredUserConsent): UserConsent {
  const consent = stores.consents.get(stored.consentId);
  return consent ? { ...stored, consent } : stored;
}

/** A user consent the request may see (its user is in the tenant the request acts in), else undefined. */
export function visibleUserConsent(stores: Stores, id: string, visible: TenantVisible): StoredUserConsent | undefined {
  const stored = stores.userConsents.get(id);
  if (!stored) return undefined;
  const user = stores.users.get(stored.userId);
  return user && visible(user.tenantId) ? stored : undefined;
}

/**
 * Grants a consent to a user (https://fusionauth.io/docs/apis/consents, "Grant a User Consent"): `{userConsent:
 * {consentId, userId, giverUserId, status?, values?, data?}}`. When someone else gives it and the consent names a
 * `consentEmailTemplateId`, the giver is emailed with that template ("an email will be sent to notify the giver that
 * consent was granted"); a self-consent sends nothing.
 */
export function grantUserConsent(standin: Standin, id: string | undefined, body: unknown, visible: TenantVisible): UserConsent {
  const { stores, config } = standin;
  const input = userConsentOf(body);
  const userConsentId = (id ?? randomUUID()).toLowerCase();
  const errors = new FieldErrors();
  if (stores.userConsents.get(userConsentId)) addDuplicateId(errors, 'userConsentId', 'A user consent', userConsentId);
  const consent = consentNamed(stores, input.consentId, errors);
  const user = userNamed(stores, input, 'userId', errors, visible);
  const giver = userNamed(stores, input, 'giverUserId', errors, visible);
  // Standin's choice where FusionAuth's docs are silent: a consent is given within one tenant, as families are.
  if (user && giver && user.tenantId !== giver.tenantId) {
    errors.add(
      'userConsent.giverUserId',
      'invalid',
      'The [userConsent.giverUserId] property must name a user of the same tenant as [userConsent.userId].',
    );
  }
  const status = statusOf(input.status) ?? 'Active';
  const values = valuesOf(input.values, consent, errors);
  const data = dataOf(input.data, errors);
  errors.throwIfAny();
  const now = config.now();
  const stored: StoredUserConsent = {
    id: userConsentId,
    consentId: consent!.id,
    userId: user!.id,
    giverUserId: giver!.id,
    status,
    values,
    data,
    insertInstant: now,
    lastUpdateInstant: now,
  };
  stores.userConsents.insert(stored);
  if (giver!.id !== user!.id && consent!.consentEmailTemplateId !== undefined) notifyGiver(standin, giver!, consent!.consentEmailTemplateId);
  return userConsentView(stores, stored);
}

/**
 * PUT (`replace`) or PATCH (`merge`, RFC 7396) of a user consent: "once consent has been granted to a User, only the
 * values and status may be modified". `status` is required (`[missing]userConsent.status`); the rest of the request
 * is ignored.
 */
export function updateUserConsent(stores: Stores, now: number, existing: StoredUserConsent, body: unknown, mode: 'replace' | 'merge'): UserConsent {
  const given = userConsentOf(body);
  const input = mode === 'merge' ? (mergePatch({ status: existing.status, values: existing.values }, given) as JsonObject) : given;
  const errors = new FieldErrors();
  const status = statusOf(input.status);
  if (status === undefined) errors.add('userConsent.status', 'missing', 'You must specify the [userConsent.status] property.');
  const values = valuesOf(input.values, stores.consents.get(existing.consentId), errors);
  errors.throwIfAny();
  const updated: StoredUserConsent = { ...existing, status: status!, values, lastUpdateInstant: now };
  stores.userConsents.update(updated);
  return userConsentView(stores, updated);
}

/** Revoke a User Consent: "equivalent to using the Update User Consent API and modifying the status to Revoked". */
export function revokeUserConsent(stores: Stores, now: number, existing: StoredUserConsent): void {
  stores.userConsents.update({ ...existing, status: 'Revoked', lastUpdateInstant: now });
}

/** `{userConsent: {...}}`, else FusionAuth's `[missing]userConsent`. */
function userConsentOf(body: unknown): JsonObject {
  const input = isObject(body) ? body.userConsent : undefined;
  if (!isObject(input)) new FieldErrors().add('userConsent', 'missing', 'You must specify the [userConsent] property.').throwIfAny();
  return input as JsonObject;
}

function consentNamed(stores: Stores, value: unknown, errors: FieldErrors): Consent | undefined {
  if (value === undefined || value === null) {
    errors.add('userConsent.consentId', 'missing', 'You must specify the [userConsent.consentId] property.');
    return undefined;
  }
  const consent = isUuid(value) ? stores.consents.get(value) : undefined;
  if (!consent)
    errors.add(
      'userConsent.consentId',
      'invalid',
      `The [userConsent.consentId] property value [${shownValue(value).slice(0, 64)}] does not identify a consent.`,
    );
  return consent;
}

function userNamed(
  stores: Stores,
  input: JsonObject,
  field: 'userId' | 'giverUserId',
  errors: FieldErrors,
  visible: TenantVisible,
): User | undefined {
  const value = input[field];
  if (value === undefined || value === null) {
    errors.add(`userConsent.${field}`, 'missing', `You must specify the [userConsent.${field}] property.`);
    return undefined;
  }
  const user = isUuid(value) ? stores.users.get(value.toLowerCase()) : undefined;
  if (!user || !visible(user.tenantId)) {
    errors.add(`userConsent.${field}`, 'invalid', `The [userConsent.${field}] property does not identify a user.`);
    return undefined;
  }
  return user;
}

/** `Active` or `Revoked`; anything else is JSON FusionAuth cannot read into its ConsentStatus. */
function statusOf(value: unknown): ConsentStatus | undefined {
  if (value === undefined || value === null) return undefined;
  if (!STATUSES.includes(value)) {
    throw ApiError.general(
      '[invalidJSON]',
      `Unable to parse JSON. The [userConsent.status] property must be one of [Active, Revoked], not [${shownValue(value).slice(0, 64)}].`,
    );
  }
  return value as ConsentStatus;
}

/**
 * The values granted: strings the consent lists, at most one unless it allows several
 * (`consent.multipleValuesAllowed`); `[invalid]userConsent.values` otherwise.
 */
function valuesOf(value: unknown, consent: Consent | undefined, errors: FieldErrors): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    errors.add('userConsent.values', 'invalid', 'The [userConsent.values] property must be a list of strings.');
    return [];
  }
  const values = value as string[];
  if (!consent) return values;
  if (values.length > 1 && !consent.multipleValuesAllowed) {
    errors.add(
      'userConsent.values',
      'invalid',
      `The consent [${consent.name}] allows one value only, and [userConsent.values] has ${values.length}.`,
    );
  }
  const unknown = values.filter((item) => !consent.values.includes(item));
  if (unknown.length > 0) {
    const allowed = consent.values.join(', ');
    errors.add(
      'userConsent.values',
      'invalid',
      `The [userConsent.values] [${unknown.join(', ').slice(0, 256)}] are not values of the consent, which has [${allowed.slice(0, 256)}].`,
    );
  }
  return values;
}

function dataOf(value: unknown, errors: FieldErrors): JsonObject {
  if (value === undefined || value === null) return {};
  if (isObject(value)) return value;
  errors.add('userConsent.data', 'invalid', 'The [userConsent.data] property must be an object.');
  return {};
}

/**
 * The consent email to the giver, sent after the grant is stored. As FusionAuth sends it later, a template that fails
 * to render does not undo the grant: nothing reaches the outbox.
 */
function notifyGiver(standin: Standin, giver: User, templateId: string): void {
  const tenant = standin.stores.tenants.get(giver.tenantId);
  if (!tenant) return;
  sendTemplatedEmail(standin, { tenant, user: giver, templateId, outboxType: 'consent' });
}
