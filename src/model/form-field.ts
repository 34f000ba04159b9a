import { ApiError, FieldErrors } from '../errors.js';
import { isObject, isUuid, type JsonObject } from './json.js';
import { optionalBoolean, optionalObject } from './optional-fields.js';

/**
 * FusionAuth's form field (https://fusionauth.io/docs/apis/custom-forms/form-fields): one input of a custom form, the
 * path of the user or registration value it holds (`key`), its data type and control. Form fields belong to no
 * tenant. Standin stores them and answers them, and its hosted registration page renders them (docs/custom-forms.md).
 */
export interface FormField extends JsonObject {
  id: string;
  name: string;
  key: string;
  type: string;
  control: string;
  confirm: boolean;
  required: boolean;
  data: JsonObject;
  options: string[];
  validator: { enabled: boolean; expression?: string };
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface FormFieldContext {
  id: string;
  now: number;
  existing?: FormField;
  /** Whether a consent with this (lower-case) id exists. */
  consentExists: (id: string) => boolean;
}

// FusionAuth's OpenAPI description: FormDataType and FormControl.
const DATA_TYPES: readonly string[] = ['bool', 'consent', 'date', 'email', 'number', 'phoneNumber', 'string'];
const CONTROLS: readonly string[] = ['checkbox', 'number', 'password', 'radio', 'select', 'textarea', 'text'];

/**
 * The keys FusionAuth manages ("Predefined keys" of the Form Field API), with the type and control a field gets when
 * the request names none. FusionAuth sets them itself for these keys; which ones it picks is Standin's reading of
 * each value's kind (docs/custom-forms.md), so a type or control the request gives is kept.
 */
const MANAGED_KEYS: ReadonlyMap<string, readonly [type: string, control: string]> = new Map([
  ['registration.preferredLanguages', ['string', 'select']],
  ['registration.roles', ['string', 'checkbox']],
  ['registration.timezone', ['string', 'select']],
  ['registration.username', ['string', 'text']],
  ['user.birthDate', ['date', 'text']],
  ['user.email', ['email', 'text']],
  ['user.firstName', ['string', 'text']],
  ['user.fullName', ['string', 'text']],
  ['user.imageUrl', ['string', 'text']],
  ['user.lastName', ['string', 'text']],
  ['user.middleName', ['string', 'text']],
  ['user.mobilePhone', ['string', 'text']],
  ['user.password', ['string', 'password']],
  ['user.phoneNumber', ['phoneNumber', 'text']],
  ['user.preferredLanguages', ['string', 'select']],
  ['user.timezone', ['string', 'select']],
  ['user.username', ['string', 'text']],
]);

// A custom key: `user.data.` or `registration.data.` and then a path of names, `[0]` indexes and `['name']` members,
// with no spaces or other special characters (Form Field API, "Custom Keys").
const CUSTOM_KEY = /^(?:user|registration)\.data\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+|\[\d+\]|\['[A-Za-z0-9_-]+'\])*$/;

// The controls that offer a list of values to pick from, which they cannot do without one.
const OPTION_CONTROLS = new Set(['radio', 'select']);

/**
 * Builds a form field from the `field` member of a request, or throws FusionAuth's errors. A `type` or `control`
 * outside FusionAuth's enums is JSON it cannot read (`[invalidJSON]`), before any field is checked; then, every one
 * at once: `[blank]field.name`, `[blank]field.key` or `[invalid]field.key` (neither a managed key nor a custom
 * `user.data.`/`registration.data.` path), `[missing]field.consentId` for a consent field without one and
 * `[invalid]field.consentId` for one that names no consent, `[missing]field.options` for a radio or select control
 * without options, and `[missing]`/`[invalid]field.validator.expression` for an enabled validator without a valid
 * regular expression. An update keeps the field's key, type and control: they cannot change once it is created
 * (Form Field API, "Update a Form Field").
 */
export function buildFormField(input: JsonObject, context: FormFieldContext): FormField {
  refuseUnparsable(input);
  const errors = new FieldErrors();
  const { existing } = context;
  const { name, description, consentId, data, options, validator } = input;
  if (typeof name !== 'string' || name.trim() === '') errors.add('field.name', 'blank', 'You must specify the [field.name] property.');
  const key = existing?.key ?? keyOf(input.key, errors);
  const managed = MANAGED_KEYS.get(key);
  const type = existing?.type ?? (input.type as string | undefined) ?? managed?.[0] ?? 'string';
  const control = existing?.control ?? (input.control as string | undefined) ?? managed?.[1] ?? 'text';
  const field: FormField = {
    id: context.id,
    name: typeof name === 'string' ? name : '',
    key,
    type,
    control,
    confirm: optionalBoolean(input.confirm, 'field.confirm', errors),
    required: optionalBoolean(input.required, 'field.required', errors),
    data: optionalObject(data, 'field.data', errors),
    options: optionsOf(options, errors),
    validator: validatorOf(validator, errors),
    insertInstant: existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
  if (typeof description === 'string') field.description = description;
  else if (description !== undefined && description !== null)
    errors.add('field.description', 'invalid', 'The [field.description] property must be a string.');
  if (consentId !== undefined && consentId !== null) {
    if (isUuid(consentId) && context.consentExists(consentId.toLowerCase())) field.consentId = consentId.toLowerCase();
    else errors.add('field.consentId', 'invalid', 'The [field.consentId] property does not identify a consent.');
  } else if (type === 'consent') {
    errors.add('field.consentId', 'missing', 'You must specify the [field.consentId] property for a field of type [consent].');
  }
  if (OPTION_CONTROLS.has(control) && field.options.length === 0) {
    errors.add('field.options', 'missing', `You must specify the [field.options] property for a field with the [${control}] control.`);
  }
  errors.throwIfAny();
  return field;
}

function refuseUnparsable(input: JsonObject): void {
  for (const [member, values] of [
    ['type', DATA_TYPES],
    ['control', CONTROLS],
  ] as const) {
    const value = input[member];
    if (value !== undefined && value !== null && !values.includes(value as string)) {
      throw ApiError.general('[invalidJSON]', `Unable to parse JSON. The [field.${member}] property must be one of [${values.join(', ')}].`);
    }
  }
}

function keyOf(value: unknown, errors: FieldErrors): string {
  if (typeof value !== 'string' || value.trim() === '') {
    errors.add('field.key', 'blank', 'You must specify the [field.key] property.');
    return '';
  }
  if (!MANAGED_KEYS.has(value) && !CUSTOM_KEY.test(value)) {
    errors.add(
      'field.key',
      'invalid',
      `The [field.key] property [${value}] is neither a key FusionAuth manages nor a custom key starting with [user.data.] or [registration.data.].`,
    );
  }
  return value;
}

function optionsOf(value: unknown, errors: FieldErrors): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((option) => typeof option !== 'string')) {
    errors.add('field.options', 'invalid', 'The [field.options] property must be a list of strings.');
    return [];
  }
  return value as string[];
}

function validatorOf(value: unknown, errors: FieldErrors): FormField['validator'] {
  if (value === undefined || value === null) return { enabled: false };
  if (!isObject(value)) {
    errors.add('field.validator', 'invalid', 'The [field.validator] property must be an object.');
    return { enabled: false };
  }
  const enabled = optionalBoolean(value.enabled, 'field.validator.enabled', errors);
  const { expression } = value;
  const validator: FormField['validator'] = { enabled };
  if (typeof expression === 'string' && expression !== '') {
    validator.expression = expression;
    if (!compiles(expression)) {
      errors.add('field.validator.expression', 'invalid', 'The [field.validator.expression] property must be a valid regular expression.');
    }
  } else if (expression !== undefined && expression !== null && expression !== '') {
    errors.add('field.validator.expression', 'invalid', 'The [field.validator.expression] property must be a string.');
  } else if (enabled) {
    errors.add('field.validator.expression', 'missing', 'You must specify the [field.validator.expression] property when the validator is enabled.');
  }
  return validator;
}

/** FusionAuth compiles the expression as a Java pattern; JavaScript's syntax is close enough to reject what is broken. */
function compiles(expression: string): boolean {
  try {
    new RegExp(expression);
    return true;
  } catch {
    return false;
  }
}
