import type { FormField } from './form-field.js';
import { isObject, type JsonObject } from './json.js';

/**
 * What one step of an advanced registration form posted, read field by field: each field's value in its data type,
 * keyed by the field's `key`, and the FusionAuth error code of each field that is refused (`blank` for a required
 * field left empty, `notEmail`, `couldNotConvert` for a number or date that is not one, `invalid` for a value outside
 * the field's options or one its validator refuses, `doNotMatch` for a confirm field that differs).
 */
export interface StepValues {
  values: Record<string, unknown>;
  errors: Record<string, string>;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The keys whose value is a list (FusionAuth's User and Registration APIs): a text control takes them comma-separated. */
const LIST_KEYS = new Set(['user.preferredLanguages', 'registration.preferredLanguages', 'registration.roles']);

/** Reads `fields` from a posted form (`@fastify/formbody`: a name sent twice is an array). */
export function readStepValues(fields: readonly FormField[], params: Record<string, unknown>): StepValues {
  const result: StepValues = { values: {}, errors: {} };
  for (const field of fields) {
    const read = readField(field, params[field.key]);
    if ('error' in read) result.errors[field.key] = read.error;
    else if (read.value !== undefined) result.values[field.key] = read.value;
    if (field.confirm && !('error' in read) && params[`confirm.${field.key}`] !== params[field.key]) {
      result.errors[`confirm.${field.key}`] = 'doNotMatch';
    }
  }
  return result;
}

function readField(field: FormField, raw: unknown): { value: unknown } | { error: string } {
  if (field.control === 'checkbox') return readCheckbox(field, raw);
  const given = typeof raw === 'string' ? raw : '';
  // A password is taken as typed; other text loses the spaces around it.
  const text = field.control === 'password' ? given : given.trim();
  if (text === '') return field.required ? { error: 'blank' } : { value: undefined };
  if (field.options.length > 0 && (field.control === 'select' || field.control === 'radio') && !field.options.includes(text)) {
    return { error: 'invalid' };
  }
  if (field.validator.enabled && field.validator.expression !== undefined && !new RegExp(field.validator.expression).test(text)) {
    return { error: 'invalid' };
  }
  switch (field.type) {
    case 'number': {
      const number = Number(text);
      return Number.isFinite(number) ? { value: number } : { error: 'couldNotConvert' };
    }
    case 'email':
      return EMAIL.test(text) ? { value: text } : { error: 'notEmail' };
    case 'date':
      return DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) ? { value: text } : { error: 'couldNotConvert' };
    case 'bool':
      return text === 'true' || text === 'false' ? { value: text === 'true' } : { error: 'couldNotConvert' };
    default:
      return { value: LIST_KEYS.has(field.key) ? text.split(/[\s,]+/).filter((item) => item !== '') : text };
  }
}

/** A checkbox with options is a list of the checked ones; one without is a yes or no (unchecked sends nothing). */
function readCheckbox(field: FormField, raw: unknown): { value: unknown } | { error: string } {
  if (field.options.length === 0) {
    const checked = raw === 'true' || raw === 'on';
    if (field.required && !checked) return { error: 'blank' };
    return { value: LIST_KEYS.has(field.key) ? (checked ? ['true'] : []) : checked };
  }
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((item): item is string => typeof item === 'string');
  if (list.some((item) => !field.options.includes(item))) return { error: 'invalid' };
  if (field.required && list.length === 0) return { error: 'blank' };
  return { value: list };
}

/**
 * The `user` and `registration` members of a User Registration request that the collected values describe: each key
 * is a path into one of them (`user.firstName`, `user.data.company.name`, `registration.data.tags[0]`,
 * `registration.data['plan']`).
 */
export function registrationRequestOf(values: Record<string, unknown>): { user: JsonObject; registration: JsonObject } {
  const request: { user: JsonObject; registration: JsonObject } = { user: {}, registration: {} };
  for (const [key, value] of Object.entries(values)) {
    const [root, ...path] = pathOf(key);
    if (root !== 'user' && root !== 'registration') continue;
    setAt(request[root], path, value);
  }
  return request;
}

/** `user.data.list[0]['name']` → `['user', 'data', 'list', 0, 'name']`. */
function pathOf(key: string): Array<string | number> {
  const path: Array<string | number> = [];
  for (const [, name, index, quoted] of key.matchAll(/(?:^|\.)([A-Za-z0-9_-]+)|\[(\d+)\]|\['([A-Za-z0-9_-]+)'\]/g)) {
    path.push(index !== undefined ? Number(index) : (name ?? quoted)!);
  }
  return path;
}

function setAt(target: JsonObject | unknown[], path: Array<string | number>, value: unknown): void {
  const [head, ...rest] = path;
  // A field key may name any member; these would reach an object's prototype rather than a value.
  if (head === undefined || head === '__proto__' || head === 'constructor' || head === 'prototype') return;
  const holder = target as Record<string | number, unknown>;
  if (rest.length === 0) {
    holder[head] = value;
    return;
  }
  const next = holder[head];
  const container = isObject(next) || Array.isArray(next) ? next : typeof rest[0] === 'number' ? [] : {};
  holder[head] = container;
  setAt(container as JsonObject | unknown[], rest, value);
}
