import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { buildEmailTemplate, type EmailTemplate } from '../model/email-template.js';
import { mergePatch, isObject, type JsonObject } from '../model/json.js';
import type { Stores } from '../store/index.js';

export function createEmailTemplate(stores: Stores, now: number, id: string | undefined, input: JsonObject): EmailTemplate {
  const templateId = id ?? randomUUID();
  if (stores.emailTemplates.get(templateId)) {
    new FieldErrors().add('emailTemplateId', 'duplicate', `An email template with Id [${templateId}] already exists.`).throwIfAny();
  }
  const template = buildEmailTemplate(input, { id: templateId, now });
  stores.emailTemplates.insert(template);
  return template;
}

/** PUT replaces the template with `input`; PATCH merges `input` into it (RFC 7396). */
export function updateEmailTemplate(
  stores: Stores,
  now: number,
  existing: EmailTemplate,
  input: JsonObject,
  mode: 'replace' | 'merge',
): EmailTemplate {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const template = buildEmailTemplate(isObject(next) ? next : {}, { id: existing.id, now, existing });
  stores.emailTemplates.update(template);
  return template;
}

export interface EmailTemplateSearch {
  name?: string;
  startRow: number;
  numberOfResults: number;
}

/**
 * FusionAuth's email template search (https://fusionauth.io/docs/apis/emails): `name` matches case-insensitively
 * anywhere in the name, `*` standing for anything; results by name.
 */
export function searchEmailTemplates(stores: Stores, search: EmailTemplateSearch): { emailTemplates: EmailTemplate[]; total: number } {
  const pattern = search.name === undefined || search.name.trim() === '' ? undefined : namePattern(search.name.trim());
  const matching = stores.emailTemplates.list().filter((template) => pattern === undefined || pattern.test(template.name));
  return { emailTemplates: matching.slice(search.startRow, search.startRow + search.numberOfResults), total: matching.length };
}

function namePattern(name: string): RegExp {
  const escaped = name
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(escaped, 'i');
}
