import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { grantUserConsent, revokeUserConsent, updateUserConsent, userConsentView, visibleUserConsent } from '../../manage/user-consents.js';
import { isUuid } from '../../model/json.js';
import { found, uuidParams } from './schemas.js';
import { isVisible } from './tenant-scope.js';

interface Params {
  userConsentId?: string;
}

/**
 * FusionAuth's User Consent API (https://fusionauth.io/docs/apis/consents, "Grant a User Consent" and after): grant,
 * retrieve one or a user's all, replace or merge-patch the status and values, revoke. Scoped to the tenant the request
 * acts in through the consent's user.
 */
export async function userConsentRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('userConsentId');

  for (const url of ['/user/consent', '/user/consent/:userConsentId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => ({
      userConsent: grantUserConsent(app.standin, request.params.userConsentId, request.body, (tenantId) => isVisible(request, tenantId)),
    }));
  }
  app.get<{ Querystring: { userId?: string } }>(
    '/user/consent',
    { schema: { querystring: { type: 'object', properties: { userId: { type: 'string' } } } } },
    async (request) => {
      const { userId } = request.query;
      // Neither an id nor a user: FusionAuth's general `[invalid]`.
      if (userId === undefined)
        throw ApiError.general('[invalid]', 'You must specify either the [userConsentId] in the URL or the [userId] parameter.');
      const user = found(request, isUuid(userId) ? app.standin.stores.users.get(userId.toLowerCase()) : undefined);
      return { userConsents: app.standin.stores.userConsents.ofUser(user.id).map((consent) => userConsentView(app.standin.stores, consent)) };
    },
  );
  const load = (request: { params: Params }, visible: (tenantId: string) => boolean) => {
    const { userConsentId } = request.params;
    const consent = userConsentId === undefined ? undefined : visibleUserConsent(app.standin.stores, userConsentId, visible);
    if (!consent) throw ApiError.notFound();
    return consent;
  };
  app.get<{ Params: Params }>('/user/consent/:userConsentId', { schema: { params } }, async (request) => ({
    userConsent: userConsentView(
      app.standin.stores,
      load(request, (tenantId) => isVisible(request, tenantId)),
    ),
  }));
  for (const [method, mode] of [
    ['put', 'replace'],
    ['patch', 'merge'],
  ] as const) {
    app[method]<{ Params: Params }>('/user/consent/:userConsentId', { schema: { params } }, async (request) => {
      const existing = load(request, (tenantId) => isVisible(request, tenantId));
      return { userConsent: updateUserConsent(app.standin.stores, app.standin.config.now(), existing, request.body, mode) };
    });
  }
  app.delete<{ Params: Params }>('/user/consent/:userConsentId', { schema: { params } }, async (request, reply) => {
    revokeUserConsent(
      app.standin.stores,
      app.standin.config.now(),
      load(request, (tenantId) => isVisible(request, tenantId)),
    );
    return reply.code(200).send();
  });
}
