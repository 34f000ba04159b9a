import type { FormField } from '../model/form-field.js';
import type { Form } from '../model/form.js';
import type { Stores } from '../store/index.js';

export type RegistrationForm = { form: Form; steps: FormField[][] } | { refusal: string };

/**
 * The registration form an `advanced` application names, as the hosted registration page renders it: its steps as
 * lists of its fields; or why Standin cannot render it (a form or field no longer stored, or a part Standin does not
 * model: consent and phone number fields, email and phone verification steps). docs/custom-forms.md.
 */
export function registrationForm(stores: Stores, formId: string | undefined): RegistrationForm {
  const form = formId === undefined ? undefined : stores.forms.get(formId);
  if (!form || form.steps.length === 0) return { refusal: 'The registration form of this application does not exist.' };
  const steps: FormField[][] = [];
  for (const step of form.steps) {
    if (step.type !== 'collectData') {
      return { refusal: `Standin does not model the [${step.type}] step of a registration form; see docs/custom-forms.md. [NotModelled]` };
    }
    const fields = step.fields.map((id) => stores.formFields.get(id));
    if (fields.some((field) => field === undefined)) return { refusal: 'A field of the registration form of this application does not exist.' };
    for (const field of fields as FormField[]) {
      if (field.type === 'consent' || field.type === 'phoneNumber') {
        return {
          refusal: `Standin does not render a registration form field of type [${field.type}] (${field.key}); see docs/custom-forms.md. [NotModelled]`,
        };
      }
    }
    steps.push(fields as FormField[]);
  }
  return { form, steps };
}
