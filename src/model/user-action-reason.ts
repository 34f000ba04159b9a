import { FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from './json.js';

/**
 * A FusionAuth user action reason (https://fusionauth.io/docs/apis/user-action-reasons): a `text` and a short `code`
 * for why a user was actioned, with the text in other languages in `localizedTexts` (locale → text).
 */
export interface UserActionReason extends JsonObject {
  id: string;
  text: string;
  code: string;
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface UserActionReasonContext {
  id: string;
  now: number;
  existing?: UserActionReason;
}

/** Builds a reason from the `userActionReason` member of a request body, or throws FusionAuth's field errors. */
export function buildUserActionReason(input: JsonObject, context: UserActionReasonContext): UserActionReason {
  const errors = new FieldErrors();
  // `text` and `code` are required (the API's request body); the id and the instants are Standin's.
  for (const field of ['text', 'code'] as const) {
    const value = input[field];
    if (typeof value !== 'string' || value.trim() === '')
      errors.add(`userActionReason.${field}`, 'blank', `You must specify the [userActionReason.${field}] property.`);
  }
  const { localizedTexts } = input;
  if (
    localizedTexts !== undefined &&
    localizedTexts !== null &&
    !(isObject(localizedTexts) && Object.values(localizedTexts).every((text) => typeof text === 'string'))
  )
    errors.add('userActionReason.localizedTexts', 'invalid', 'The [userActionReason.localizedTexts] property must map locales to texts.');
  errors.throwIfAny();
  return {
    id: context.id,
    text: input.text as string,
    code: input.code as string,
    ...(isObject(localizedTexts) ? { localizedTexts } : {}),
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
}
