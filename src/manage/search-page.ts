import { FieldErrors } from '../errors.js';
import type { JsonObject } from '../model/json.js';

/** FusionAuth's search paging: `numberOfResults` (default 25), `startRow` (default 0), `orderBy` (`field [ASC|DESC]`). */
export interface SearchPage<Field extends string> {
  startRow: number;
  numberOfResults: number;
  orderBy: { field: Field; descending: boolean };
}

const MAX_RESULTS = 10_000;

/**
 * Reads the paging members of a search (the POST body's `search`, or the GET query), with `prefix` naming them
 * in errors. An unknown `orderBy` field or a bad number is a field error, never a 500.
 */
export function searchPage<Field extends string>(given: JsonObject, fields: readonly Field[], fallback: Field, prefix: string): SearchPage<Field> {
  const errors = new FieldErrors();
  const page = readSearchPage(given, fields, fallback, prefix, errors);
  errors.throwIfAny();
  return page;
}

/** `searchPage`, adding its errors to `errors` for the caller to throw with its own (the page is then meaningless). */
export function readSearchPage<Field extends string>(
  given: JsonObject,
  fields: readonly Field[],
  fallback: Field,
  prefix: string,
  errors: FieldErrors,
): SearchPage<Field> {
  const startRow = wholeNumber(given.startRow, 0);
  const numberOfResults = wholeNumber(given.numberOfResults, 25);
  if (startRow === undefined) errors.add(`${prefix}startRow`, 'invalid', `The [${prefix}startRow] property must be a whole number.`);
  if (numberOfResults === undefined || numberOfResults > MAX_RESULTS) {
    errors.add(`${prefix}numberOfResults`, 'invalid', `The [${prefix}numberOfResults] property must be a whole number up to ${MAX_RESULTS}.`);
  }
  let orderBy = { field: fallback, descending: false };
  if (given.orderBy !== undefined && given.orderBy !== null && given.orderBy !== '') {
    const match = typeof given.orderBy === 'string' ? /^\s*(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(given.orderBy) : null;
    const field = fields.find((name) => name === match?.[1]);
    if (!match || field === undefined) {
      errors.add(`${prefix}orderBy`, 'invalid', `The [${prefix}orderBy] property must be one of [${fields.join(', ')}], then ASC or DESC.`);
    } else {
      orderBy = { field, descending: match[2]?.toUpperCase() === 'DESC' };
    }
  }
  return { startRow: startRow ?? 0, numberOfResults: numberOfResults ?? 0, orderBy };
}

function wholeNumber(value: unknown, fallback: number): number | undefined {
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 0 ? number : undefined;
}
