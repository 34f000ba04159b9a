import type { FieldErrors } from '../errors.js';

// FusionAuth's locales are Java's: an ISO 639 language code, then optionally `_` and an ISO 3166-1 alpha-2 country
// code (or a UN M.49 area such as `419`) (https://fusionauth.io/docs/reference/data-types#locales). The `-` of
// BCP 47 (`en-US`), which browsers and many clients send, is accepted too.
const LOCALE = /^[A-Za-z]{2,3}(?:[_-](?:[A-Za-z]{2}|\d{3}))?$/;

// "The maximum number of allowed preferred languages is 20" (https://fusionauth.io/docs/apis/users/create,
// https://fusionauth.io/docs/apis/registrations): the same limit on a user and on a registration.
const MAX_PREFERRED_LANGUAGES = 20;

/**
 * Adds FusionAuth's `[invalid]` field error when `value` (a user's or a registration's `preferredLanguages`, when
 * given) is not a list of locales: a value that is no locale would otherwise be stored and break template choice.
 * A list longer than FusionAuth allows is `[tooMany]`.
 */
export function checkPreferredLanguages(value: unknown, field: string, errors: FieldErrors): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    errors.add(field, 'invalid', `The [${field}] property must be a list of locales such as [en] or [en_US].`);
    return;
  }
  if (value.length > MAX_PREFERRED_LANGUAGES)
    errors.add(field, 'tooMany', `The [${field}] property may list at most ${MAX_PREFERRED_LANGUAGES} locales; it has ${value.length}.`);
  for (const locale of value.filter((entry) => typeof entry !== 'string' || !LOCALE.test(entry)))
    errors.add(field, 'invalid', `The [${field}] property holds [${String(locale)}], which is not a locale such as [en] or [en_US].`);
}
