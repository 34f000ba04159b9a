import { refuseDuplicateId } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { buildEmailTemplate, type EmailTemplate } from '../model/email-template.js';
import { mergePatch, isObject, type JsonObject } from '../model/json.js';
import type { Stores } from '../store/index.js';
import { searchObjects, type Found } from './search.js';

export function createEmailTemplate(stores: Stores, now: number, id: string | undefined, input: JsonObject): EmailTemplate {
  const templateId = id ?? randomUUID();
  refuseDuplicateId(stores.emailTemplates.get(templateId) !== undefined, 'emailTemplateId', 'An email template', templateId);
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

/**
 * FusionAuth's Search for Email Templates (https://fusionauth.io/docs/apis/emails): `name` as text; ordered by
 * `id`, `insertInstant` or `name` (the default).
 */
export function searchEmailTemplates(stores: Stores, criteria: unknown, prefix: string): Found<EmailTemplate> {
  return searchObjects(
    stores.emailTemplates.list(),
    criteria,
    {
      orderBy: { id: (template) => template.id, insertInstant: (template) => template.insertInstant, name: (template) => template.name },
      defaultOrder: 'name',
      text: { name: (template) => template.name },
    },
    prefix,
  );
}
