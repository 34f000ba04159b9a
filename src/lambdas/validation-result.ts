import type { ErrorMessage, Errors } from '../errors.js';
import { isObject } from '../model/json.js';

/**
 * The errors a validation lambda left in `result.errors`, in FusionAuth's shape, or undefined when there are none.
 * What is not an error (a string where a list belongs, a member with no code) is dropped: only what FusionAuth could
 * have read from its `Errors` object counts.
 */
export function lambdaErrors(result: unknown): Errors | undefined {
  const errors = isObject(result) && isObject(result.errors) ? result.errors : {};
  const fieldErrors: Record<string, ErrorMessage[]> = {};
  if (isObject(errors.fieldErrors)) {
    for (const [field, list] of Object.entries(errors.fieldErrors)) {
      const messages = messagesOf(list);
      if (messages.length > 0) fieldErrors[field] = messages;
    }
  }
  const generalErrors = messagesOf(errors.generalErrors);
  return generalErrors.length === 0 && Object.keys(fieldErrors).length === 0 ? undefined : { fieldErrors, generalErrors };
}

function messagesOf(list: unknown): ErrorMessage[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) => {
    if (!isObject(entry) || typeof entry.code !== 'string' || entry.code === '') return [];
    // Answered as the lambda left it: an error with no message has none (a hosted page then shows its code).
    return [(typeof entry.message === 'string' ? { code: entry.code, message: entry.message } : { code: entry.code }) as ErrorMessage];
  });
}
