import type { FieldErrors } from '../errors.js';

// FusionAuth's locales are Java's: an ISO 639 language code, then optionally `_` and an ISO 3166-1 alpha-2 country
// code (or a UN M.49 area such as `419`) (https://fusionauth.io/docs/reference/data-types#locales). The `-` of
// BCP 47 (`en-US`), which browsers and many clients send, is accepted too.
const LOCALE = /^[A-Za-z]{2,3}(?:[_-](?:[A-Za-z]{2}|\d{3}))?$/;

/**
 * Adds FusionAuth's `[invalid]` field error when `value` (a user's or a registration's `preferredLanguages`, when
 * given) is not a list of locales: a value that is no locale would otherwise be stored and break template choice.
 */
export function checkPreferredLanguages(value: unknown, field: string, errors: FieldErrors): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    errors.add(field, 'invalid', `The [${field}] property must be a list of locales such as [en] or [en_US].`);
    return;
  }
  for (const locale of value.filter((entry) => typeof entry !== 'string' || !LOCALE.test(entry)))
    errors.add(field, 'invalid', `The [${field}] property holds [${String(locale)}], which is not a locale such as [en] or [en_US].`);
}
