import { FieldErrors } from '../errors.js';
import type { Application } from './application.js';
import { isObject, shownValue, type JsonObject } from './json.js';

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
  id: string;
  now: number;
  existing?: Registration;
  /** The application the registration names, if it exists. */
  application: (applicationId: string) => Application | undefined;
  /** The user already has a registration for this application (and it is not the one being replaced). */
  isRegistered: (applicationId: string) => boolean;
}

/** Builds a registration from the `registration` member of a request body, or throws FusionAuth's field errors. */
export function buildRegistration(input: unknown, context: RegistrationContext): Registration {
  const errors = new FieldErrors();
  const given: JsonObject = isObject(input) ? { ...input } : {};
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
  errors.throwIfAny();
  return {
    verified: true,
    usernameStatus: 'ACTIVE',
    data: {},
    ...given,
    id: context.id,
    applicationId: application!.id,
    roles: [...new Set(roles as string[])],
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}
