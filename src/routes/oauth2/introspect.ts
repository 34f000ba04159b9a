import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../errors.js';
import type { Application } from '../../model/application.js';
import type { StoredEntity } from '../../model/entity.js';
import { presentedClient, requireClientAuthentication, type PresentedClient } from '../../oauth/client-authentication.js';
import { authenticateClientGuarded, guardSecretAttempts } from '../../oauth/client-secret-guard.js';
import { constantEquals } from '../../oauth/constant-equals.js';
import { entityClientOf } from '../../oauth/entity-client-credentials.js';
import { param } from '../../oauth/request-params.js';
import { verifyUserOrClientToken } from '../../oauth/verify-access-token.js';
import { audienceHolds, verifyEntityToken } from '../../oauth/verify-entity-token.js';

/**
 * `POST /oauth2/introspect` (RFC 7662; https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints): the
 * calling client authenticates, then learns whether `token` is a live access token. Live: `{"active":true, ...its
 * claims}`, for a user's token and for a `client_credentials` token alike. Anything else (garbage, expired,
 * revoked, an id token, a refresh token, a deleted user): only `{"active":false}` (RFC 7662 §2.2).
 * `token_type_hint` changes nothing.
 *
 * An entity's client credentials token (oauth/entity-client-credentials.ts) is introspected as FusionAuth's
 * `introspectClientCredentialsAccessToken` does, with no client at all (`token` and an optional `tenantId`), or by
 * an entity that authenticates with its client credentials and is the token's subject or one of its audience.
 */
export async function introspectRoutes(app: FastifyInstance): Promise<void> {
  app.post('/introspect', async (request, reply) => {
    const token = param(request.body, 'token');
    let presented: PresentedClient;
    let caller: { application: Application } | { entity: StoredEntity } | undefined;
    try {
      presented = presentedClient(request.headers.authorization, request.body);
      caller = presented.clientId === undefined ? undefined : authenticateCaller(request, presented);
    } catch (error) {
      throw withChallenge(error, request, reply);
    }
    if (caller === undefined) {
      // FusionAuth's client credentials introspection takes no client (ClientCredentialsAccessTokenIntrospectRequest):
      // an entity's token is answered; any other still needs the client that asks (RFC 7662 §2.1).
      const verified = await verifyEntityToken(app.standin, token);
      if (!verified) throw missingClient();
      return verified.live && tenantAgrees(request.body, verified.entity.tenantId) ? { active: true, ...verified.claims } : { active: false };
    }
    if (token === undefined) throw new OAuthError('invalid_request', 'missing_token', 'The request is missing a required parameter: token');

    if ('entity' in caller) {
      const verified = await verifyEntityToken(app.standin, token);
      if (!verified?.live) return { active: false };
      if (verified.claims.sub !== caller.entity.id && !audienceHolds(verified.claims, caller.entity.id)) {
        throw new OAuthError('invalid_client', 'invalid_client_id', 'The token was not issued to or for this client.');
      }
      return { active: true, ...verified.claims };
    }
    // A user's access token, else (FusionAuth 1.46 and later) a client_credentials token.
    const claims = await verifyUserOrClientToken(app.standin, token);
    if (!claims) return { active: false };
    // FusionAuth (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints): a live token issued to
    // another client is refused with 401, not reported.
    if (claims.aud !== caller.application.id) {
      throw new OAuthError('invalid_client', 'invalid_client_id', 'The token was not issued to this client.');
    }
    return { active: true, ...claims };
  });
}

/**
 * The application or entity the request's credentials name, its secret checked. RFC 7662 §2.1: the caller must be
 * authorized, against token scanning. There is no PKCE here, so `NotRequiredWhenUsingPKCE` asks for the secret as
 * `Required` does; an entity always gives its secret.
 */
function authenticateCaller(request: FastifyRequest, presented: PresentedClient): { application: Application } | { entity: StoredEntity } {
  const { standin } = request.server;
  const entity = entityClientOf(standin, presented);
  if (entity) {
    guardSecretAttempts(standin, presented, () => {
      if (presented.secret === undefined || !constantEquals(presented.secret, entity.clientSecret)) {
        throw new OAuthError('invalid_client', 'invalid_client_authentication', 'Invalid client authentication credentials.');
      }
    });
    return { entity };
  }
  const authenticated = authenticateClientGuarded(standin, presented);
  requireClientAuthentication(authenticated, false);
  return { application: authenticated.application };
}

/** An optional `tenantId` must be the token's tenant. */
function tenantAgrees(body: unknown, tenantId: string): boolean {
  const asked = param(body, 'tenantId');
  return asked === undefined || asked.toLowerCase() === tenantId;
}

function missingClient(): OAuthError {
  return new OAuthError('invalid_request', 'missing_client_id', 'The request is missing a required parameter: client_id');
}

/** RFC 6749 §5.2: a client that tried Basic gets a Basic challenge with its 401. */
function withChallenge(error: unknown, request: FastifyRequest, reply: FastifyReply): unknown {
  if (error instanceof OAuthError && error.statusCode === 401 && /^Basic\b/i.test(request.headers.authorization ?? '')) {
    reply.header('www-authenticate', 'Basic realm="Standin"');
  }
  return error;
}
