import { refuseDuplicateId, refuseDuplicateName } from '../model/refuse-duplicate.js';
import { randomUUID } from 'node:crypto';
import { buildConsent, type Consent } from '../model/consent.js';
import { isObject, mergePatch, type JsonObject } from '../model/json.js';
import type { Stores } from '../store/index.js';
import { searchObjects, type Found } from './search.js';

/**
 * Creates a consent (https://fusionauth.io/docs/apis/consents, "Create a Consent"): `[duplicate]consentId` for an id
 * taken, `[duplicate]consent.name` for a name taken, and the field errors of `buildConsent`.
 */
export function createConsent(stores: Stores, now: number, id: string | undefined, input: JsonObject): Consent {
  const consentId = (id ?? randomUUID()).toLowerCase();
  refuseDuplicateId(stores.consents.get(consentId) !== undefined, 'consentId', 'A consent', consentId);
  const consent = buildConsent(input, { id: consentId, now, templateExists: (templateId) => stores.emailTemplates.get(templateId) !== undefined });
  refuseDuplicateName(stores.consents.idByName(consent.name), consent, 'consent.name', 'A consent');
  stores.consents.insert(consent);
  return consent;
}

/** PUT replaces the consent with `input`; PATCH merges `input` into it (RFC 7396). Its id and insertInstant stay. */
export function updateConsent(stores: Stores, now: number, existing: Consent, input: JsonObject, mode: 'replace' | 'merge'): Consent {
  const next = mode === 'merge' ? mergePatch(existing, input) : input;
  const consent = buildConsent(isObject(next) ? next : {}, {
    id: existing.id,
    now,
    existing,
    templateExists: (templateId) => stores.emailTemplates.get(templateId) !== undefined,
  });
  refuseDuplicateName(stores.consents.idByName(consent.name), consent, 'consent.name', 'A consent');
  stores.consents.update(consent);
  return consent;
}

/**
 * FusionAuth's Search for Consents (https://fusionauth.io/docs/apis/consents): `name` as text (without regard to case,
 * `*` for any run of characters); ordered by `id`, `insertInstant` or `name` (the default).
 */
export function searchConsents(stores: Stores, criteria: unknown, prefix: string): Found<Consent> {
  return searchObjects(
    stores.consents.list(),
    criteria,
    {
      orderBy: { id: (consent) => consent.id, insertInstant: (consent) => consent.insertInstant, name: (consent) => consent.name },
      defaultOrder: 'name',
      text: { name: (consent) => consent.name },
    },
    prefix,
  );
}
