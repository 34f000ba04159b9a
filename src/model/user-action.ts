import { FieldErrors } from '../errors.js';
import { isObject, isUuid, type JsonObject } from './json.js';

/**
 * A FusionAuth user action (https://fusionauth.io/docs/apis/user-actions): what can be done to a user, such as
 * locking the account for a while. Stored with every field as sent; Standin acts on `active`, `temporal` and
 * `preventLogin` (docs/user-actions.md).
 */
export interface UserAction extends JsonObject {
  id: string;
  name: string;
  active: boolean;
  preventLogin: boolean;
  temporal: boolean;
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface UserActionContext {
  id: string;
  now: number;
  existing?: UserAction;
}

// The booleans of FusionAuth's User Action API and their documented defaults (https://fusionauth.io/docs/apis/user-actions).
const BOOLEAN_DEFAULTS = {
  includeEmailInEventJSON: false,
  preventLogin: false,
  sendEndEvent: true,
  temporal: false,
  userEmailingEnabled: false,
  userNotificationsEnabled: false,
} as const;

const TEMPLATE_FIELDS = ['cancelEmailTemplateId', 'endEmailTemplateId', 'modifyEmailTemplateId', 'startEmailTemplateId'] as const;

/** Builds a user action from the `userAction` member of a request body, or throws FusionAuth's field errors. */
export function buildUserAction(input: JsonObject, context: UserActionContext): UserAction {
  const errors = new FieldErrors();
  const given: JsonObject = { ...input };
  // Read-only members: the id comes from the request, `active` from delete and reactivate, the instants from Standin.
  for (const field of ['id', 'active', 'insertInstant', 'lastUpdateInstant'] as const) delete given[field];
  for (const [field, fallback] of Object.entries(BOOLEAN_DEFAULTS)) {
    if (given[field] === undefined || given[field] === null) given[field] = fallback;
    else if (typeof given[field] !== 'boolean')
      errors.add(`userAction.${field}`, 'invalid', `The [userAction.${field}] property must be true or false.`);
  }
  const name = given.name;
  if (typeof name !== 'string' || name.trim() === '') errors.add('userAction.name', 'blank', 'You must specify the [userAction.name] property.');
  // "An action that prevents login must be time based" (the API's `temporal` field).
  if (given.preventLogin === true && given.temporal !== true)
    errors.add('userAction.temporal', 'invalid', 'A user action that prevents login must be time based: set [userAction.temporal] to true.');
  for (const field of TEMPLATE_FIELDS) {
    if (given[field] !== undefined && given[field] !== null && !isUuid(given[field]))
      errors.add(`userAction.${field}`, 'invalid', `The [userAction.${field}] property must be an email template Id.`);
  }
  if (given.options !== undefined && given.options !== null && !(Array.isArray(given.options) && given.options.every(isObject)))
    errors.add('userAction.options', 'invalid', 'The [userAction.options] property must be a list of objects with a [name].');
  errors.throwIfAny();
  return {
    ...given,
    id: context.id,
    name: name as string,
    active: context.existing?.active ?? true,
    preventLogin: given.preventLogin as boolean,
    temporal: given.temporal as boolean,
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}

/** The names of a user action's options (`options[x].name`), the values an action taken with it may pick. */
export function optionNames(action: UserAction): string[] {
  return Array.isArray(action.options)
    ? action.options.flatMap((option) => (isObject(option) && typeof option.name === 'string' ? [option.name] : []))
    : [];
}
