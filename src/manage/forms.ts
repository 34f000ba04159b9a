import { refuseDuplicateId, refuseDuplicateName } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { buildForm, fieldIdsOf, type Form } from '../model/form.js';
import { buildFormField, type FormField } from '../model/form-field.js';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import type { Stores } from '../store/index.js';
import { refuseInUse } from './refuse-in-use.js';

type Mode = 'replace' | 'merge';

/**
 * Creates a form field (https://fusionauth.io/docs/apis/custom-forms/form-fields, "Create a Form Field"):
 * `[duplicate]fieldId` for an id taken, `[duplicate]field.name` for a name taken, and the errors of `buildFormField`.
 */
export function createFormField(stores: Stores, now: number, id: string | undefined, input: JsonObject): FormField {
  const fieldId = (id ?? randomUUID()).toLowerCase();
  refuseDuplicateId(stores.formFields.get(fieldId) !== undefined, 'fieldId', 'A form field', fieldId);
  const field = buildFormField(input, { id: fieldId, now, consentExists: (consentId) => stores.consents.get(consentId) !== undefined });
  refuseDuplicateName(stores.formFields.idByName(field.name), field, 'field.name', 'A form field');
  stores.formFields.insert(field);
  return field;
}

/** PUT replaces the field with `input`; PATCH merges `input` into it (RFC 7396). Its id, key, type and control stay. */
export function updateFormField(stores: Stores, now: number, existing: FormField, input: JsonObject, mode: Mode): FormField {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const field = buildFormField(isObject(next) ? next : {}, {
    id: existing.id,
    now,
    existing,
    consentExists: (consentId) => stores.consents.get(consentId) !== undefined,
  });
  refuseDuplicateName(stores.formFields.idByName(field.name), field, 'field.name', 'A form field');
  stores.formFields.update(field);
  return field;
}

/** "A form field cannot be deleted when in use by a one or more forms" (Form Field API, "Delete a Form Field"). */
export function deleteFormField(stores: Stores, field: FormField): void {
  const forms = stores.forms.list().filter((form) => fieldIdsOf(form).has(field.id));
  // Said once for them all: "in use by the form [a], [b]".
  refuseInUse('fieldId', 'form field', forms.length === 0 ? [] : [`the form ${forms.map((form) => `[${form.name}]`).join(', ')}`]);
  stores.formFields.delete(field.id);
}

/**
 * Creates a form (https://fusionauth.io/docs/apis/custom-forms/forms, "Create a Form"): `[duplicate]formId` for an
 * id taken, `[duplicate]form.name` for a name taken, and the errors of `buildForm`.
 */
export function createForm(stores: Stores, now: number, id: string | undefined, input: JsonObject): Form {
  const formId = (id ?? randomUUID()).toLowerCase();
  refuseDuplicateId(stores.forms.get(formId) !== undefined, 'formId', 'A form', formId);
  const form = buildForm(input, { id: formId, now, fieldExists: (fieldId) => stores.formFields.get(fieldId) !== undefined });
  refuseDuplicateName(stores.forms.idByName(form.name), form, 'form.name', 'A form');
  stores.forms.insert(form);
  return form;
}

/** PUT replaces the form with `input`; PATCH merges `input` into it (RFC 7396). Its id and type stay. */
export function updateForm(stores: Stores, now: number, existing: Form, input: JsonObject, mode: Mode): Form {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const form = buildForm(isObject(next) ? next : {}, {
    id: existing.id,
    now,
    existing,
    fieldExists: (fieldId) => stores.formFields.get(fieldId) !== undefined,
  });
  refuseDuplicateName(stores.forms.idByName(form.name), form, 'form.name', 'A form');
  stores.forms.update(form);
  return form;
}

/**
 * Deletes a form no application or tenant names: an application's self-service registration form
 * (`registrationConfiguration.formId`), admin registration form or self-service form (`formConfiguration`), or a
 * tenant's admin user form (`formConfiguration.adminUserFormId`) would otherwise name nothing (`[inUse]formId`).
 */
export function deleteForm(stores: Stores, form: Form): void {
  refuseInUse('formId', 'form', formUsers(stores, form.id));
  stores.forms.delete(form.id);
}

function formUsers(stores: Stores, formId: string): string[] {
  const names = (object: JsonObject, paths: readonly (readonly string[])[]): boolean =>
    paths.some((path) => {
      const value = path.reduce<unknown>((at, member) => (isObject(at) ? at[member] : undefined), object);
      return typeof value === 'string' && value.toLowerCase() === formId;
    });
  const applications = stores.applications
    .list()
    .filter((application) =>
      names(application, [
        ['registrationConfiguration', 'formId'],
        ['formConfiguration', 'adminRegistrationFormId'],
        ['formConfiguration', 'selfServiceFormId'],
      ]),
    )
    .map((application) => `the application [${application.name}]`);
  const tenants = stores.tenants
    .list()
    .filter((tenant) => names(tenant, [['formConfiguration', 'adminUserFormId']]))
    .map((tenant) => `the tenant [${tenant.name}]`);
  return [...applications, ...tenants];
}
