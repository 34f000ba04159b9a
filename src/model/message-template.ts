import { ApiError, FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from './json.js';

/**
 * FusionAuth's message template (https://fusionauth.io/docs/apis/message-templates): the FreeMarker text of an SMS (or,
 * since 1.65.0, a voice message), by default and per locale. Message templates belong to no tenant. Standin stores
 * them and never sends a message (docs/messengers.md).
 */
export interface MessageTemplate extends JsonObject {
  id: string;
  name: string;
  type: MessageType;
  defaultTemplate: string;
  localizedTemplates: Record<string, string>;
  data: JsonObject;
  insertInstant: number;
  lastUpdateInstant: number;
}

// FusionAuth's OpenAPI description: MessageType.
export const MESSAGE_TYPES = ['SMS', 'Voice'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface MessageTemplateContext {
  id: string;
  now: number;
  existing?: MessageTemplate;
}

/**
 * Builds a message template from the `messageTemplate` member of a request, or throws FusionAuth's errors. The `type`
 * picks which kind of template FusionAuth reads, so one that is missing or outside its enum is JSON it cannot read
 * (`[invalidJSON]`); then, every one at once: `[blank]messageTemplate.name`, `[blank]messageTemplate.defaultTemplate`,
 * and `[invalid]` for a member of the wrong type. An update keeps the template's type.
 */
export function buildMessageTemplate(input: JsonObject, context: MessageTemplateContext): MessageTemplate {
  const type = context.existing?.type ?? messageTypeOf(input.type);
  const errors = new FieldErrors();
  const { name, defaultTemplate, localizedTemplates, data } = input;
  if (typeof name !== 'string' || name.trim() === '')
    errors.add('messageTemplate.name', 'blank', 'You must specify the [messageTemplate.name] property.');
  if (typeof defaultTemplate !== 'string' || defaultTemplate.trim() === '') {
    errors.add('messageTemplate.defaultTemplate', 'blank', 'You must specify the [messageTemplate.defaultTemplate] property.');
  }
  const template: MessageTemplate = {
    id: context.id,
    name: typeof name === 'string' ? name : '',
    type,
    defaultTemplate: typeof defaultTemplate === 'string' ? defaultTemplate : '',
    localizedTemplates: {},
    data: {},
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
  if (isObject(localizedTemplates) && Object.values(localizedTemplates).every((text) => typeof text === 'string')) {
    template.localizedTemplates = localizedTemplates as Record<string, string>;
  } else if (localizedTemplates !== undefined && localizedTemplates !== null) {
    errors.add('messageTemplate.localizedTemplates', 'invalid', 'The [messageTemplate.localizedTemplates] property must map locales to templates.');
  }
  if (isObject(data)) template.data = data;
  else if (data !== undefined && data !== null)
    errors.add('messageTemplate.data', 'invalid', 'The [messageTemplate.data] property must be an object.');
  errors.throwIfAny();
  return template;
}

export function messageTypeOf(value: unknown): MessageType {
  if ((MESSAGE_TYPES as readonly unknown[]).includes(value)) return value as MessageType;
  throw ApiError.general('[invalidJSON]', `Unable to parse JSON. The [messageTemplate.type] property must be one of [${MESSAGE_TYPES.join(', ')}].`);
}
