import { FieldErrors, type Errors } from '../errors.js';
import { isObject, type JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import type { Standin } from '../standin.js';
import { TemplateError, parseTemplate, renderTemplate } from './freemarker/index.js';
import { previewSampleModel } from './preview-sample.js';
import { localize } from './send-templated-email.js';

/** FusionAuth's Preview an Email Template answer: the email as rendered, and what went wrong rendering it. */
export interface EmailPreview {
  email: { from?: { address?: string; display?: string }; subject?: string; html?: string; text?: string };
  errors: Errors;
}

// The template's parts, the member that holds each default and the member that holds its localized versions.
const PARTS = [
  { part: 'subject', field: 'defaultSubject', localized: 'localizedSubjects' },
  { part: 'html', field: 'defaultHtmlTemplate', localized: 'localizedHtmlTemplates' },
  { part: 'text', field: 'defaultTextTemplate', localized: 'localizedTextTemplates' },
  { part: 'fromName', field: 'defaultFromName', localized: 'localizedFromNames' },
] as const;

/**
 * FusionAuth's Preview an Email Template (https://fusionauth.io/docs/apis/emails/preview-an-email-template): renders
 * the template of the request, unsaved, and answers only the parts it was given. A part that does not parse or
 * fails while rendering is answered in the response's `errors`, not as a failed request. It renders with the
 * variables Standin's own emails have (docs/email.md, "Which template an email uses"), filled with sample values: a
 * sample user, the request's tenant, a sample application, and a value for each email's own variable, so that the
 * template of any email previews. `locale` picks the localized versions; without it the defaults are used.
 */
export function previewEmail(standin: Standin, tenant: Tenant, template: JsonObject, locale: string | undefined): EmailPreview {
  checkShape(template);
  const languages = locale === undefined ? [] : [locale];
  const model = previewSampleModel(standin, tenant, locale);
  const errors: Errors = { fieldErrors: {}, generalErrors: [] };
  const rendered: Partial<Record<(typeof PARTS)[number]['part'], string>> = {};
  for (const { part, field, localized } of PARTS) {
    const map = isObject(template[localized]) ? (template[localized] as Record<string, string>) : undefined;
    const defaults = typeof template[field] === 'string' ? template[field] : undefined;
    const source = localize(defaults, map, languages);
    if (source === undefined) continue;
    const from = source === defaults ? field : `${localized}.${localeOf(map!, source, languages)}`;
    try {
      rendered[part] = renderTemplate(parseTemplate(source), model);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const name = `emailTemplate.${from}`;
      (errors.fieldErrors[name] ??= []).push({
        code: `[invalidTemplate]${name}`,
        message: `The [${name}] property could not be rendered: ${error.message}`,
      });
    }
  }
  const email: EmailPreview['email'] = {};
  const address = typeof template.fromEmail === 'string' && template.fromEmail !== '' ? template.fromEmail : undefined;
  if (address !== undefined || rendered.fromName !== undefined) {
    email.from = { ...(address === undefined ? {} : { address }), ...(rendered.fromName === undefined ? {} : { display: rendered.fromName.trim() }) };
  }
  // A subject is one line, as a sent email's is.
  if (rendered.subject !== undefined) email.subject = rendered.subject.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  if (rendered.html !== undefined) email.html = rendered.html;
  if (rendered.text !== undefined) email.text = rendered.text;
  return { email, errors };
}

/** Parts that are not text are a malformed request (400), not a rendering problem. */
function checkShape(template: JsonObject): void {
  const errors = new FieldErrors();
  for (const { field, localized } of PARTS) {
    const value = template[field];
    if (value !== undefined && value !== null && typeof value !== 'string')
      errors.add(`emailTemplate.${field}`, 'invalid', `The [emailTemplate.${field}] property must be a string.`);
    const map = template[localized];
    if (map !== undefined && map !== null && (!isObject(map) || !Object.values(map).every((text) => typeof text === 'string')))
      errors.add(`emailTemplate.${localized}`, 'invalid', `The [emailTemplate.${localized}] property must map locales to strings.`);
  }
  const fromEmail = template.fromEmail;
  if (fromEmail !== undefined && fromEmail !== null && typeof fromEmail !== 'string')
    errors.add('emailTemplate.fromEmail', 'invalid', 'The [emailTemplate.fromEmail] property must be a string.');
  errors.throwIfAny();
}

/** Which locale of `map` localize() chose for `source`: the first of `languages` (or its language) that holds it. */
export function localeOf(map: Record<string, string>, source: string, languages: string[]): string {
  for (const language of languages) {
    for (const key of [language, language.replace('-', '_'), language.split(/[-_]/)[0]!]) {
      if (Object.hasOwn(map, key) && map[key] === source) return key;
    }
  }
  return languages[0] ?? '';
}
