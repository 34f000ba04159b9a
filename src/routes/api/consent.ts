import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { isReplaying } from '../../kickstart/replay-requests.js';
import { createConsent, searchConsents, updateConsent } from '../../manage/consents.js';
import { requireMember } from '../../manage/request-body.js';
import { unmodelledConsentSettings, type Consent } from '../../model/consent.js';
import type { JsonObject } from '../../model/json.js';
import { uuidParams } from './schemas.js';
import { searchRoutes } from './search-routes.js';

interface Params {
  consentId?: string;
}

/**
 * FusionAuth's Consent API (https://fusionauth.io/docs/apis/consents): create, retrieve one or all, replace,
 * merge-patch, delete (with the user consents granted with it), search. Consents belong to no tenant, so a
 * tenant-bound key may not call it (model/api-key.ts).
 */
export async function consentRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('consentId');
  const load = (id: string | undefined): Consent => {
    const consent = id === undefined ? undefined : app.standin.stores.consents.get(id);
    if (!consent) throw ApiError.notFound();
    return consent;
  };

  searchRoutes(app, '/consent/search', (search) => {
    const { results, total } = searchConsents(app.standin.stores, search.criteria, search.prefix);
    return { consents: results, total };
  });

  for (const url of ['/consent', '/consent/:consentId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const input = requireMember(request.body, 'consent');
      const { stores, config } = request.server.standin;
      const consent = stores.db.transaction(() => {
        const created = createConsent(stores, config.now(), request.params.consentId, input);
        refuseUnmodelledConsent(request, created, undefined);
        return created;
      })();
      return { consent };
    });
  }
  app.get('/consent', async () => ({ consents: app.standin.stores.consents.list() }));
  app.get<{ Params: Params }>('/consent/:consentId', { schema: { params } }, async (request) => ({ consent: load(request.params.consentId) }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/consent/:consentId', { schema: { params } }, async (request) => {
      const existing = load(request.params.consentId);
      const input = requireMember(request.body, 'consent');
      const { stores, config } = request.server.standin;
      const consent = stores.db.transaction(() => {
        const updated = updateConsent(stores, config.now(), existing, input, mode);
        refuseUnmodelledConsent(request, updated, existing);
        return updated;
      })();
      return { consent };
    });
  }
  app.delete<{ Params: Params }>('/consent/:consentId', { schema: { params } }, async (request, reply) => {
    // The user consents granted with it go too (migration 022): "Deleting a Consent will also permanently delete all
    // granted User Consent".
    app.standin.stores.consents.delete(load(request.params.consentId).id);
    return reply.code(200).send();
  });
}

/**
 * Email Plus sends the giver a follow-up hours after the grant, which Standin never does: turned on through the API it
 * is refused with `[NotModelled]` (the transaction is rolled back), from a kickstart it is stored and listed in the
 * start banner, as the tenant settings Standin does not act on (routes/api/refuse-unmodelled.ts).
 */
function refuseUnmodelledConsent(request: FastifyRequest, consent: JsonObject, existing: JsonObject | undefined): void {
  if (isReplaying(request.server)) return;
  const already = new Set(existing === undefined ? [] : unmodelledConsentSettings(existing));
  const settings = unmodelledConsentSettings(consent).filter((path) => !already.has(path));
  if (settings.length === 0) return;
  throw ApiError.general(
    '[NotModelled]',
    `Standin does not act on [${settings.join('], [')}]: it never sends the Email Plus follow-up; see docs/consents-and-families.md.`,
  );
}
