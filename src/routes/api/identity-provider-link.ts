import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { createLink, emitLinkEvent, linkView } from '../../manage/identity-provider-links.js';
import { requireBody } from '../../manage/request-body.js';
import { isUuid } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { isVisible } from './tenant-scope.js';

interface LinkQuery {
  identityProviderId?: string;
  identityProviderUserId?: string;
  userId?: string;
}

const linkQuery = {
  type: 'object',
  properties: {
    identityProviderId: { type: 'string', maxLength: 64 },
    identityProviderUserId: { type: 'string', maxLength: 1024 },
    userId: { type: 'string', maxLength: 64 },
  },
} as const;

/**
 * FusionAuth's Link API (https://fusionauth.io/docs/apis/identity-providers/links): link a user, retrieve one link, a
 * user's links (to one provider or all), unlink. Links live in the user's tenant, so a tenant-bound key may use them
 * for its tenant's users.
 */
export async function identityProviderLinkRoutes(app: FastifyInstance): Promise<void> {
  /** The user `id` names, if this request may see it. */
  const visibleUser = (request: FastifyRequest, id: string | undefined): User | undefined => {
    const user = isUuid(id) ? request.server.standin.stores.users.get(id.toLowerCase()) : undefined;
    return user && isVisible(request, user.tenantId) ? user : undefined;
  };

  // Pending links come from the `CreatePendingLink` strategy, which Standin refuses (docs/identity-providers.md): none exists.
  app.get('/identity-provider/link/pending/:pendingLinkId', async () => {
    throw ApiError.general(
      '[NotModelled]',
      'Standin does not model pending links (GET /api/identity-provider/link/pending/{pendingLinkId}): the CreatePendingLink linking strategy that makes them is not modelled; see docs/identity-providers.md.',
      404,
    );
  });
  app.post('/identity-provider/link', async (request) => {
    return { identityProviderLink: createLink(request.server.standin, requireBody(request.body), (id) => visibleUser(request, id)) };
  });

  app.get<{ Querystring: LinkQuery }>('/identity-provider/link', { schema: { querystring: linkQuery } }, async (request) => {
    const { stores } = request.server.standin;
    const { identityProviderId, identityProviderUserId, userId } = request.query;
    if (identityProviderUserId !== undefined) {
      // One link: by the provider's user, and the Standin user when given (a 404 when another user holds it).
      if (!isUuid(identityProviderId)) {
        new FieldErrors().add('identityProviderId', 'blank', 'You must specify the [identityProviderId] parameter.').throwIfAny();
      }
      const found = stores.identityProviderLinks
        .ofProviderUser(identityProviderId!.toLowerCase(), identityProviderUserId)
        .find((link) => (userId === undefined || link.userId === userId.toLowerCase()) && visibleUser(request, link.userId) !== undefined);
      if (!found) throw ApiError.notFound();
      return { identityProviderLink: linkView(stores, found) };
    }
    if (userId === undefined) new FieldErrors().add('userId', 'blank', 'You must specify the [userId] parameter.').throwIfAny();
    const user = visibleUser(request, userId);
    if (!user) throw ApiError.notFound();
    const links = stores.identityProviderLinks
      .ofUser(user.id)
      .filter((link) => identityProviderId === undefined || link.identityProviderId === identityProviderId.toLowerCase());
    return { identityProviderLinks: links.map((link) => linkView(stores, link)) };
  });

  app.delete<{ Querystring: LinkQuery }>('/identity-provider/link', { schema: { querystring: linkQuery } }, async (request, reply) => {
    const { stores } = request.server.standin;
    const { identityProviderId, identityProviderUserId, userId } = request.query;
    const errors = new FieldErrors();
    for (const [name, value] of Object.entries({ identityProviderId, identityProviderUserId, userId })) {
      if (value === undefined || value === '') errors.add(name, 'blank', `You must specify the [${name}] parameter.`);
    }
    errors.throwIfAny();
    const user = visibleUser(request, userId);
    const link =
      user && isUuid(identityProviderId)
        ? stores.identityProviderLinks.find(identityProviderId.toLowerCase(), user.tenantId, identityProviderUserId!)
        : undefined;
    if (
      !user ||
      !link ||
      link.userId !== user.id ||
      !stores.identityProviderLinks.delete(link.identityProviderId, link.identityProviderUserId, user.id)
    ) {
      throw ApiError.notFound();
    }
    emitLinkEvent(request.server.standin, 'unlink', link);
    return reply.code(200).send();
  });
}
