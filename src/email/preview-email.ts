import { FieldErrors, type Errors } from '../errors.js';
import { isObject, type JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import type { Standin } from '../standin.js';
import { TemplateError, parseTemplate, renderTemplate } from './freemarker/index.js';
import { baseUrlOf, localize, withoutSmtpPassword } from './send-templated-email.js';

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

// The sample objects a preview renders with: the ids are fixed so that a preview is the same every time.
const SAMPLE_USER_ID = '00000000-0000-4000-8000-0000000000e1';
const SAMPLE_APPLICATION_ID = '00000000-0000-4000-8000-0000000000e2';
const SAMPLE_REGISTRATION_ID = '00000000-0000-4000-8000-0000000000e3';

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
  const model = sampleModel(standin, tenant, locale);
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
function localeOf(map: Record<string, string>, source: string, languages: string[]): string {
  for (const language of languages) {
    for (const key of [language, language.replace('-', '_'), language.split(/[-_]/)[0]!]) {
      if (Object.hasOwn(map, key) && map[key] === source) return key;
    }
  }
  return languages[0] ?? '';
}

/** The data a preview renders with: what a real email has, with sample values. */
function sampleModel(standin: Standin, tenant: Tenant, locale: string | undefined): JsonObject {
  const now = standin.config.now();
  const application = {
    id: SAMPLE_APPLICATION_ID,
    name: 'Sample application',
    tenantId: tenant.id,
    active: true,
    oauthConfiguration: { clientId: SAMPLE_APPLICATION_ID },
  };
  const registration = { id: SAMPLE_REGISTRATION_ID, applicationId: SAMPLE_APPLICATION_ID, roles: [], verified: false, insertInstant: now };
  const user = {
    id: SAMPLE_USER_ID,
    tenantId: tenant.id,
    email: 'jane.doe@example.com',
    username: 'janedoe',
    firstName: 'Jane',
    lastName: 'Doe',
    fullName: 'Jane Doe',
    active: true,
    verified: true,
    preferredLanguages: locale === undefined ? [] : [locale],
    data: {},
    registrations: [registration],
    insertInstant: now,
    lastUpdateInstant: now,
  };
  return {
    user,
    tenant: withoutSmtpPassword(tenant),
    application,
    registration,
    baseUrl: baseUrlOf(standin, tenant, undefined),
    verificationId: 'sample-verification-id',
    verificationOneTimeCode: 'SAMPLE1',
    changePasswordId: 'sample-change-password-id',
    code: '123456',
    oneTimeCode: '123456',
    state: {},
    requestData: {},
    parent: { ...user, id: '00000000-0000-4000-8000-0000000000e4', email: 'john.doe@example.com', firstName: 'John', fullName: 'John Doe' },
  };
}
