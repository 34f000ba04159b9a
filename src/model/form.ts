import { ApiError, FieldErrors } from '../errors.js';
import { isObject, isUuid, type JsonObject } from './json.js';

/**
 * FusionAuth's form (https://fusionauth.io/docs/apis/custom-forms/forms): ordered steps of form fields, for
 * self-service registration (`registration`), the admin UI's user and registration forms, or self-service account
 * management. Forms belong to no tenant. Standin stores them and answers them; its hosted registration page renders
 * a registration form (docs/custom-forms.md).
 */
export interface Form extends JsonObject {
  id: string;
  name: string;
  type: FormType;
  steps: FormStep[];
  data: JsonObject;
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface FormStep extends JsonObject {
  fields: string[];
  type: string;
}

// FusionAuth's OpenAPI description: FormType and FormStepType.
export const FORM_TYPES = ['registration', 'adminRegistration', 'adminUser', 'selfServiceUser'] as const;
export type FormType = (typeof FORM_TYPES)[number];
const STEP_TYPES: readonly string[] = ['collectData', 'verifyEmail', 'verifyPhoneNumber'];

export interface FormContext {
  id: string;
  now: number;
  existing?: Form;
  /** Whether a form field with this (lower-case) id exists. */
  fieldExists: (id: string) => boolean;
}

/**
 * Builds a form from the `form` member of a request, or throws FusionAuth's errors. A `type` or step `type` outside
 * FusionAuth's enums is JSON it cannot read (`[invalidJSON]`), before any field is checked; then, every one at once:
 * `[blank]form.name`, `[missing]form.steps` (a form has at least one step), `[missing]form.steps[i].fields` for a step
 * without fields, `[invalid]form.steps[i].fields[j]` for an id that names no form field, and
 * `[invalid]form.steps[i].type` for a verification step outside a registration form (Forms API, "form.steps[x].type").
 * The type defaults to `registration` and cannot change once the form is created: an update keeps it.
 */
export function buildForm(input: JsonObject, context: FormContext): Form {
  refuseUnparsable(input);
  const errors = new FieldErrors();
  const { name, data } = input;
  if (typeof name !== 'string' || name.trim() === '') errors.add('form.name', 'blank', 'You must specify the [form.name] property.');
  const type = context.existing?.type ?? (input.type as FormType | undefined) ?? 'registration';
  const form: Form = {
    id: context.id,
    name: typeof name === 'string' ? name : '',
    type,
    steps: stepsOf(input.steps, type, context, errors),
    data: {},
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
  if (isObject(data)) form.data = data;
  else if (data !== undefined && data !== null) errors.add('form.data', 'invalid', 'The [form.data] property must be an object.');
  errors.throwIfAny();
  return form;
}

function refuseUnparsable(input: JsonObject): void {
  const { type, steps } = input;
  let problem: string | undefined;
  if (type !== undefined && type !== null && !(FORM_TYPES as readonly unknown[]).includes(type)) {
    problem = `The [form.type] property must be one of [${FORM_TYPES.join(', ')}].`;
  } else if (steps !== undefined && steps !== null && (!Array.isArray(steps) || steps.some((step) => !isObject(step)))) {
    problem = 'The [form.steps] property must be a list of objects.';
  } else if (Array.isArray(steps)) {
    const badType = (steps as JsonObject[]).find(
      (step) => step.type !== undefined && step.type !== null && !STEP_TYPES.includes(step.type as string),
    );
    if (badType) problem = `A step's [type] must be one of [${STEP_TYPES.join(', ')}].`;
  }
  if (problem !== undefined) throw ApiError.general('[invalidJSON]', `Unable to parse JSON. ${problem}`);
}

function stepsOf(value: unknown, type: FormType, context: FormContext, errors: FieldErrors): FormStep[] {
  if (!Array.isArray(value) || value.length === 0) {
    errors.add('form.steps', 'missing', 'You must specify at least one step in the [form.steps] property.');
    return [];
  }
  return (value as JsonObject[]).map((step, index) => {
    const path = `form.steps[${index}]`;
    const stepType = (step.type as string | undefined) ?? 'collectData';
    if (stepType !== 'collectData' && type !== 'registration') {
      errors.add(`${path}.type`, 'invalid', `The [${path}.type] property may be [${stepType}] only on a form of type [registration].`);
    }
    const fields = Array.isArray(step.fields) ? (step.fields as unknown[]) : [];
    if (step.fields !== undefined && step.fields !== null && !Array.isArray(step.fields)) {
      errors.add(`${path}.fields`, 'invalid', `The [${path}.fields] property must be a list of form field ids.`);
    } else if (fields.length === 0 && stepType === 'collectData') {
      errors.add(`${path}.fields`, 'missing', `You must specify at least one form field in the [${path}.fields] property.`);
    }
    const ids = fields.map((id, position) => {
      if (isUuid(id) && context.fieldExists(id.toLowerCase())) return id.toLowerCase();
      errors.add(`${path}.fields[${position}]`, 'invalid', `The [${path}.fields[${position}]] property does not identify a form field.`);
      return typeof id === 'string' ? id : '';
    });
    return { fields: ids, type: stepType };
  });
}

/** The ids of the form fields a form uses, in every step. */
export function fieldIdsOf(form: Form): Set<string> {
  return new Set(form.steps.flatMap((step) => step.fields));
}
