import { FieldErrors, type Errors } from '../errors.js';
import { isObject, type JsonObject } from '../model/json.js';
import { messageTypeOf, type MessageType } from '../model/message-template.js';
import type { Tenant } from '../model/tenant.js';
import type { Standin } from '../standin.js';
import { TemplateError, parseTemplate, renderTemplate } from './freemarker/index.js';
import { localeOf } from './preview-email.js';
import { previewSampleModel } from './preview-sample.js';
import { localize } from './send-templated-email.js';

/**
 * FusionAuth's Preview a Message Template answer (https://fusionauth.io/docs/apis/message-templates): the message as
 * rendered, in `previewMessage` (FusionAuth 1.65 and later) and in the older `message`, and what went wrong rendering it.
 */
export interface MessagePreview {
  errors: Errors;
  previewMessage: { type: MessageType; textMessage?: string; message?: string; locale?: string };
  message: { type: MessageType; textMessage?: string };
}

/**
 * Renders the message template of the request, unsaved, with the sample data an email preview has (preview-sample.ts),
 * the localized version `locale` picks, else the default. A template that does not parse or fails while rendering is
 * answered in `errors`, as the email preview does, not as a failed request. Standin sends no message
 * (docs/messengers.md): this only shows what one would say.
 */
export function previewMessage(standin: Standin, tenant: Tenant, template: JsonObject, locale: string | undefined): MessagePreview {
  const type = messageTypeOf(template.type);
  checkShape(template);
  const languages = locale === undefined ? [] : [locale];
  const defaults = typeof template.defaultTemplate === 'string' ? template.defaultTemplate : undefined;
  const localized = isObject(template.localizedTemplates) ? (template.localizedTemplates as Record<string, string>) : undefined;
  const source = localize(defaults, localized, languages);
  const errors: Errors = { fieldErrors: {}, generalErrors: [] };
  let text: string | undefined;
  if (source !== undefined) {
    try {
      text = renderTemplate(parseTemplate(source), previewSampleModel(standin, tenant, locale));
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const field =
        source === defaults ? 'messageTemplate.defaultTemplate' : `messageTemplate.localizedTemplates.${localeOf(localized!, source, languages)}`;
      errors.fieldErrors[field] = [{ code: `[invalidTemplate]${field}`, message: `The [${field}] property could not be rendered: ${error.message}` }];
    }
  }
  const rendered = text === undefined ? {} : type === 'SMS' ? { textMessage: text } : { message: text };
  return {
    errors,
    previewMessage: { type, ...rendered, ...(type === 'SMS' && locale !== undefined ? { locale } : {}) },
    message: { type, ...(type === 'SMS' && text !== undefined ? { textMessage: text } : {}) },
  };
}

/** Members that are not text are a malformed request (400), not a rendering problem. */
function checkShape(template: JsonObject): void {
  const errors = new FieldErrors();
  const { defaultTemplate, localizedTemplates } = template;
  if (defaultTemplate !== undefined && defaultTemplate !== null && typeof defaultTemplate !== 'string')
    errors.add('messageTemplate.defaultTemplate', 'invalid', 'The [messageTemplate.defaultTemplate] property must be a string.');
  if (
    localizedTemplates !== undefined &&
    localizedTemplates !== null &&
    (!isObject(localizedTemplates) || !Object.values(localizedTemplates).every((text) => typeof text === 'string'))
  )
    errors.add('messageTemplate.localizedTemplates', 'invalid', 'The [messageTemplate.localizedTemplates] property must map locales to templates.');
  errors.throwIfAny();
}
