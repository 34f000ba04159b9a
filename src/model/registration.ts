import { FieldErrors } from '../errors.js';
import type { Application } from './application.js';
import { isObject, isUuid, shownValue, type JsonObject } from './json.js';
import { checkPreferredLanguages } from './locales.js';
import { addDuplicateId } from './refuse-duplicate.js';

export interface Registration extends JsonObject {
  id: string;
  applicationId: string;
  roles: string[];
  data: JsonObject;
  verified: boolean;
  usernameStatus: 'ACTIVE';
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface RegistrationContext {
  /** The id a new registration gets when the request names none; an existing one keeps its own. */
  id: string;
  now: number;
  existing?: Registration;
  /** The application the registration names, if it exists. */
  application: (applicationId: string) => Application | undefined;
  /** The user already has a registration for this application (and it is not the one being replaced). */
  isRegistered: (applicationId: string) => boolean;
  /** A registration with this id exists already (asked only on create). */
  idTaken: (id: string) => boolean;
}

/** Builds a registration from the `registration` member of a request body, or throws FusionAuth's field errors. */
export function buildRegistration(input: unknown, context: RegistrationContext): Registration {
  const errors = new FieldErrors();
  const given: JsonObject = isObject(input) ? { ...input } : {};
  const id = context.existing ? context.existing.id : chosenId(given.id, context, errors);
  for (const field of ['id', 'insertInstant', 'lastUpdateInstant'] as const) delete given[field];
  // Standin's, not the caller's, once the registration exists: verification (the Verify Registration API) and
  // the last login (FusionAuth Registration API: neither is a request field of an update).
  if (context.existing) {
    for (const field of ['verified', 'verifiedInstant', 'lastLoginInstant'] as const) {
      if (context.existing[field] === undefined) delete given[field];
      else given[field] = context.existing[field];
    }
  }
  const applicationId = context.existing?.applicationId ?? given.applicationId;
  const application = typeof applicationId === 'string' ? context.application(applicationId) : undefined;

  if (applicationId === undefined || applicationId === null || applicationId === '') {
    errors.add('registration.applicationId', 'blank', 'You must specify the [registration.applicationId] property.');
  } else if (application === undefined) {
    errors.add('registration.applicationId', 'invalid', `Invalid Application Id [${shownValue(applicationId)}].`);
  } else if (!context.existing && context.isRegistered(application.id)) {
    errors.add('registration', 'duplicate', `The user is already registered for the application with Id [${application.id}].`);
  }
  const roles = given.roles ?? application?.roles.filter((role) => role.isDefault).map((role) => role.name) ?? [];
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
    errors.add('registration.roles', 'invalid', 'The [registration.roles] property must be a list of role names.');
  }
  if (given.data !== undefined && !isObject(given.data)) {
    errors.add('registration.data', 'invalid', 'The [registration.data] property must be an object.');
  }
  checkPreferredLanguages(given.preferredLanguages, 'registration.preferredLanguages', errors);
  errors.throwIfAny();
  return {
    verified: true,
    usernameStatus: 'ACTIVE',
    data: {},
    ...given,
    id,
    applicationId: application!.id,
    roles: [...new Set(roles as string[])],
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}

/**
 * On create, FusionAuth takes the registration's id from the request (`registration.id`, a UUID; a random one when
 * left out: https://fusionauth.io/docs/apis/registrations), so a caller can pin it as it pins a user's.
 */
function chosenId(value: unknown, context: RegistrationContext, errors: FieldErrors): string {
  if (value === undefined || value === null || value === '') return context.id;
  if (!isUuid(value)) {
    errors.add('registration.id', 'invalid', 'The [registration.id] property must be a UUID.');
    return context.id;
  }
  const id = value.toLowerCase();
  if (context.idTaken(id)) addDuplicateId(errors, 'registration.id', 'A registration', id);
  return id;
}
