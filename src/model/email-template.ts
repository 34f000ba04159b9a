import { TemplateError, parseTemplate } from '../email/freemarker/index.js';
import { FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from './json.js';

/** FusionAuth's email template (https://fusionauth.io/docs/apis/emails). */
export interface EmailTemplate extends JsonObject {
  id: string;
  name: string;
  defaultSubject: string;
  defaultHtmlTemplate: string;
  defaultTextTemplate: string;
  defaultFromName?: string;
  fromEmail?: string;
  localizedFromNames?: Record<string, string>;
  localizedHtmlTemplates?: Record<string, string>;
  localizedSubjects?: Record<string, string>;
  localizedTextTemplates?: Record<string, string>;
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface EmailTemplateContext {
  id: string;
  now: number;
  existing?: EmailTemplate;
}

const REQUIRED = ['name', 'defaultSubject', 'defaultHtmlTemplate', 'defaultTextTemplate'] as const;
const OPTIONAL_STRINGS = ['defaultFromName', 'fromEmail'] as const;
const LOCALIZED = ['localizedFromNames', 'localizedHtmlTemplates', 'localizedSubjects', 'localizedTextTemplates'] as const;
// The members that are FreeMarker: FusionAuth renders the subject, both bodies and the from name.
const TEMPLATED = ['defaultSubject', 'defaultHtmlTemplate', 'defaultTextTemplate', 'defaultFromName'] as const;
// Large enough for any email body; a template is stored and rendered whole.
const MAX_TEMPLATE = 256 * 1024;

/**
 * Builds an email template from the `emailTemplate` member of a request body, or throws FusionAuth's field
 * errors: `[blank]` for a missing name, subject or body, `[invalidTemplate]` (with the line) for one that
 * does not parse as FreeMarker.
 */
export function buildEmailTemplate(input: JsonObject, context: EmailTemplateContext): EmailTemplate {
  const errors = new FieldErrors();
  const template: JsonObject = {};
  for (const field of REQUIRED) {
    const value = input[field];
    if (typeof value !== 'string' || value.trim() === '')
      errors.add(`emailTemplate.${field}`, 'blank', `You must specify the [emailTemplate.${field}] property.`);
    else template[field] = value;
  }
  for (const field of OPTIONAL_STRINGS) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') errors.add(`emailTemplate.${field}`, 'invalid', `The [emailTemplate.${field}] property must be a string.`);
    else if (value !== '') template[field] = value;
  }
  if (typeof template.fromEmail === 'string' && !/^[^\s@]+@[^\s@]+$/.test(template.fromEmail)) {
    errors.add('emailTemplate.fromEmail', 'invalid', 'The [emailTemplate.fromEmail] property must be an email address.');
  }
  for (const field of LOCALIZED) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    if (!isObject(value) || !Object.values(value).every((text) => typeof text === 'string')) {
      errors.add(`emailTemplate.${field}`, 'invalid', `The [emailTemplate.${field}] property must map locales to strings.`);
    } else if (Object.keys(value).length > 0) template[field] = value;
  }
  for (const field of TEMPLATED) checkParses(template[field], `emailTemplate.${field}`, errors);
  for (const field of LOCALIZED) {
    const map = template[field];
    if (isObject(map)) for (const [locale, text] of Object.entries(map)) checkParses(text, `emailTemplate.${field}.${locale}`, errors);
  }
  errors.throwIfAny();
  return {
    ...template,
    id: context.id,
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  } as EmailTemplate;
}

function checkParses(text: unknown, field: string, errors: FieldErrors): void {
  if (typeof text !== 'string') return;
  if (text.length > MAX_TEMPLATE) {
    errors.add(field, 'tooLong', `The [${field}] property is longer than ${MAX_TEMPLATE} characters.`);
    return;
  }
  try {
    parseTemplate(text);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    errors.add(field, 'invalidTemplate', `The [${field}] property is not a valid FreeMarker template: ${error.message}`);
  }
}
