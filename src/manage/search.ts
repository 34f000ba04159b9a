import { FieldErrors } from '../errors.js';
import { isObject, isUuid, type JsonObject } from '../model/json.js';
import { readSearchPage } from './search-page.js';

/** What a search orders by; an absent value sorts before every other (FusionAuth's Key API, "Search for Keys"). */
type SortValue = string | number | undefined;

/**
 * How one kind of object is searched by FusionAuth's `/api/<object>/search` APIs (applications, tenants, keys,
 * lambdas, email templates, webhooks): the criteria it reads and the fields `orderBy` may name. The paging, the
 * order, the text matching and the field errors are the same for every kind (`searchObjects`).
 */
export interface SearchDefinition<T, Field extends string> {
  /** The fields `orderBy` may name, each with the value of an object it sorts by. */
  orderBy: Readonly<Record<Field, (item: T) => SortValue>>;
  /** The order when none is asked for, ascending (`name ASC` in FusionAuth's docs). */
  defaultOrder: NoInfer<Field>;
  /** Criteria matched as text (`textMatcher`), each with the text of an object it is matched against. */
  text?: Readonly<Record<string, (item: T) => string | undefined>>;
  /** Criteria that name one of `values`, matched exactly. */
  exact?: Readonly<Record<string, { values: readonly string[]; of: (item: T) => string | undefined }>>;
  /** Criteria that take an id (a UUID, lower-cased as Standin keeps ids), each with whether an object matches it. */
  ids?: Readonly<Record<string, (item: T, id: string) => boolean>>;
}

export interface Found<T> {
  /** The page asked for. */
  results: T[];
  /** How many objects match, on every page. */
  total: number;
}

// Longer search text than any name holds; it bounds the work of matching (`textMatcher`).
const MAX_TEXT = 1024;

// Database collations sort without regard to case; so does Standin, the same for every kind of object. Made on the
// first search: a collator loads ICU's collation data, 2.4 MiB of resident memory that a Standin never searched
// would carry for nothing (bench/README.md, "Ninth round").
let collator: Intl.Collator | undefined;

/**
 * The objects of `items` that match `criteria` (a POST body's `search`, or a GET's query, `prefix` naming its
 * members in errors: `search.` or nothing), in the order asked for, one page of them, and how many match in all.
 * A criterion of the wrong type, a value no object can take, an unknown `orderBy` field or a bad number is a
 * field error (`[invalid]search.name`, …), never ignored.
 */
export function searchObjects<T, Field extends string>(
  items: readonly T[],
  criteria: unknown,
  definition: SearchDefinition<T, Field>,
  prefix: string,
): Found<T> {
  const given = searchCriteria(criteria, prefix);
  const errors = new FieldErrors();
  const page = readSearchPage(given, Object.keys(definition.orderBy) as Field[], definition.defaultOrder, prefix, errors);
  const tests: ((item: T) => boolean)[] = [];
  for (const [name, of] of Object.entries(definition.text ?? {})) {
    const value = stringCriterion(given, name, prefix, errors);
    if (value === undefined) continue;
    if (value.length > MAX_TEXT) errors.add(`${prefix}${name}`, 'invalid', `The [${prefix}${name}] property must be at most ${MAX_TEXT} characters.`);
    const matches = textMatcher(value);
    tests.push((item) => matches(of(item) ?? ''));
  }
  for (const [name, { values, of }] of Object.entries(definition.exact ?? {})) {
    const value = stringCriterion(given, name, prefix, errors);
    if (value === undefined) continue;
    if (!values.includes(value)) errors.add(`${prefix}${name}`, 'invalid', `The [${prefix}${name}] property must be one of [${values.join(', ')}].`);
    tests.push((item) => of(item) === value);
  }
  for (const [name, matches] of Object.entries(definition.ids ?? {})) {
    const value = stringCriterion(given, name, prefix, errors);
    if (value === undefined) continue;
    if (!isUuid(value)) errors.add(`${prefix}${name}`, 'invalid', `The [${prefix}${name}] property must be an Id.`);
    const id = value.toLowerCase();
    tests.push((item) => matches(item, id));
  }
  errors.throwIfAny();
  const sortBy = definition.orderBy[page.orderBy.field];
  const direction = page.orderBy.descending ? -1 : 1;
  const matching = items.filter((item) => tests.every((test) => test(item)));
  matching.sort((a, b) => direction * compare(sortBy(a), sortBy(b)));
  return { results: matching.slice(page.startRow, page.startRow + page.numberOfResults), total: matching.length };
}

/** The criteria object: the POST body's `search` may be left out, but not be something else. */
function searchCriteria(criteria: unknown, prefix: string): JsonObject {
  if (criteria === undefined || criteria === null) return {};
  if (isObject(criteria)) return criteria;
  const name = prefix.replace(/\.$/, '');
  new FieldErrors().add(name, 'invalid', `The [${name}] property must be an object of search criteria.`).throwIfAny();
  return {};
}

/** A criterion: absent, blank or a string; anything else (a number, a repeated query parameter) is a field error. */
function stringCriterion(given: JsonObject, name: string, prefix: string, errors: FieldErrors): string | undefined {
  const value = given[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    errors.add(`${prefix}${name}`, 'invalid', `The [${prefix}${name}] property must be a string.`);
    return undefined;
  }
  return value.trim() === '' ? undefined : value.trim();
}

/**
 * FusionAuth's text criteria: matched without regard to case; `*` stands for anything, and a value with no `*`
 * is read as `*value*` (anywhere in the text). Matched by a wildcard walk rather than a regular expression, whose
 * backtracking on a value of many `*` could take a request's worth of CPU.
 */
export function textMatcher(value: string): (text: string) => boolean {
  const pattern = (value.includes('*') ? value : `*${value}*`).toLowerCase();
  return (text) => wildcardMatch(pattern, text.toLowerCase());
}

/** Whether `text` matches `pattern`, where `*` is any run of characters: at most `pattern.length × text.length` steps. */
function wildcardMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  // Where the last `*` was, and where in the text it now ends: a mismatch retries from there, one character on.
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p += 1;
      t += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      resume = t;
      p += 1;
    } else if (star !== -1) {
      p = star + 1;
      resume += 1;
      t = resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

function compare(left: SortValue, right: SortValue): number {
  if (left === right) return 0;
  if (left === undefined) return -1;
  if (right === undefined) return 1;
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  collator ??= new Intl.Collator('en', { sensitivity: 'base' });
  return collator.compare(String(left), String(right));
}

/**
 * `criteria` with its `tenantId` replaced by the tenant the request acts in (`X-FusionAuth-TenantId` or a tenant-bound
 * API key), which FusionAuth lets override the one asked for, so that such a request never sees another tenant's objects.
 */
export function scopedCriteria(criteria: unknown, tenantId: string | undefined): unknown {
  if (tenantId === undefined || (criteria !== undefined && criteria !== null && !isObject(criteria))) return criteria;
  return { ...(isObject(criteria) ? criteria : {}), tenantId };
}
