import { refuseDuplicateId, refuseDuplicateName } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import { buildMessageTemplate, type MessageTemplate } from '../model/message-template.js';
import { buildMessenger, type Messenger } from '../model/messenger.js';
import type { Stores } from '../store/index.js';
import { refuseInUse } from './refuse-in-use.js';

type Mode = 'replace' | 'merge';

/**
 * Creates a message template (https://fusionauth.io/docs/apis/message-templates, "Create a Message Template"):
 * `[duplicate]messageTemplateId` for an id taken, and the errors of `buildMessageTemplate`.
 */
export function createMessageTemplate(stores: Stores, now: number, id: string | undefined, input: JsonObject): MessageTemplate {
  const templateId = (id ?? randomUUID()).toLowerCase();
  refuseDuplicateId(stores.messageTemplates.get(templateId) !== undefined, 'messageTemplateId', 'A message template', templateId);
  const template = buildMessageTemplate(input, { id: templateId, now });
  stores.messageTemplates.insert(template);
  return template;
}

/** PUT replaces the template with `input`; PATCH merges `input` into it (RFC 7396). Its id and type stay. */
export function updateMessageTemplate(stores: Stores, now: number, existing: MessageTemplate, input: JsonObject, mode: Mode): MessageTemplate {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const template = buildMessageTemplate(isObject(next) ? next : {}, { id: existing.id, now, existing });
  stores.messageTemplates.update(template);
  return template;
}

/**
 * Deletes a message template no tenant or application names (a `phoneConfiguration` template, or the SMS or voice
 * two-factor template of `multiFactorConfiguration`), which would otherwise name nothing: `[inUse]messageTemplateId`.
 */
export function deleteMessageTemplate(stores: Stores, template: MessageTemplate): void {
  const names = (object: JsonObject) => templateIdsOf(object).includes(template.id);
  const users = [
    ...stores.tenants
      .list()
      .filter(names)
      .map((tenant) => `the tenant [${tenant.name}]`),
    ...stores.applications
      .list()
      .filter(names)
      .map((application) => `the application [${application.name}]`),
  ];
  refuseInUse('messageTemplateId', 'message template', users);
  stores.messageTemplates.delete(template.id);
}

/**
 * Creates a messenger (https://fusionauth.io/docs/apis/messengers): `[duplicate]messengerId` for an id taken,
 * `[duplicate]messenger.name` for a name taken, and the errors of `buildMessenger`.
 */
export function createMessenger(stores: Stores, now: number, id: string | undefined, input: JsonObject): Messenger {
  const messengerId = (id ?? randomUUID()).toLowerCase();
  refuseDuplicateId(stores.messengers.get(messengerId) !== undefined, 'messengerId', 'A messenger', messengerId);
  const messenger = buildMessenger(input, { id: messengerId, now, keyExists: (keyId) => stores.keys.get(keyId) !== undefined });
  refuseDuplicateName(stores.messengers.idByName(messenger.name), messenger, 'messenger.name', 'A messenger');
  stores.messengers.insert(messenger);
  return messenger;
}

/** PUT replaces the messenger with `input`; PATCH merges `input` into it (RFC 7396). Its id and type stay. */
export function updateMessenger(stores: Stores, now: number, existing: Messenger, input: JsonObject, mode: Mode): Messenger {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const messenger = buildMessenger(isObject(next) ? next : {}, {
    id: existing.id,
    now,
    existing,
    keyExists: (keyId) => stores.keys.get(keyId) !== undefined,
  });
  refuseDuplicateName(stores.messengers.idByName(messenger.name), messenger, 'messenger.name', 'A messenger');
  stores.messengers.update(messenger);
  return messenger;
}

/**
 * Deletes a messenger no tenant names (`phoneConfiguration.messengerId`, or the SMS or voice two-factor messenger of
 * `multiFactorConfiguration`), which would otherwise name nothing: `[inUse]messengerId`.
 */
export function deleteMessenger(stores: Stores, messenger: Messenger): void {
  const users = stores.tenants
    .list()
    .filter((tenant) => messengerIdsOf(tenant).includes(messenger.id))
    .map((tenant) => `the tenant [${tenant.name}]`);
  refuseInUse('messengerId', 'messenger', users);
  stores.messengers.delete(messenger.id);
}

/** The message template ids a tenant or an application names, lower-cased. */
function templateIdsOf(object: JsonObject): string[] {
  const phone = isObject(object.phoneConfiguration) ? object.phoneConfiguration : {};
  const fromPhone = Object.entries(phone)
    .filter(([member]) => member.endsWith('TemplateId'))
    .map(([, id]) => id);
  return lowerCased([...fromPhone, ...multiFactor(object, 'templateId')]);
}

/** The messenger ids a tenant names, lower-cased. */
function messengerIdsOf(tenant: JsonObject): string[] {
  const phone = isObject(tenant.phoneConfiguration) ? tenant.phoneConfiguration : {};
  return lowerCased([phone.messengerId, ...multiFactor(tenant, 'messengerId')]);
}

function multiFactor(object: JsonObject, member: string): unknown[] {
  const mfa = isObject(object.multiFactorConfiguration) ? object.multiFactorConfiguration : {};
  return ['sms', 'voice'].map((method) => (isObject(mfa[method]) ? mfa[method][member] : undefined));
}

function lowerCased(values: unknown[]): string[] {
  return values.filter((value): value is string => typeof value === 'string').map((value) => value.toLowerCase());
}
