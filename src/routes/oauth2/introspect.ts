import type { FastifyInstance } from 'fastify';
import { OAuthError } from '../../errors.js';
import type { Application } from '../../model/application.js';
import { presentedClient, requireClientAuthentication } from '../../oauth/client-authentication.js';
import { authenticateClientGuarded } from '../../oauth/client-secret-guard.js';
import { param } from '../../oauth/request-params.js';
import { verifyUserOrClientToken } from '../../oauth/verify-access-token.js';

/**
 * `POST /oauth2/introspect` (RFC 7662; https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints): the
 * calling client authenticates, then learns whether `token` is a live access token. Live: `{"active":true, ...its
 * claims}`, for a user's token and for a `client_credentials` token alike. Anything else (garbage, expired,
 * revoked, an id token, a refresh token, a deleted user): only `{"active":false}` (RFC 7662 §2.2).
 * `token_type_hint` and `tenantId` change nothing.
 */
export async function introspectRoutes(app: FastifyInstance): Promise<void> {
  app.post('/introspect', async (request, reply) => {
    let client: Application;
    try {
      // RFC 7662 §2.1: the caller must be authorized, against token scanning. There is no PKCE
      // here, so `NotRequiredWhenUsingPKCE` asks for the secret as `Required` does.
      const authenticated = authenticateClientGuarded(app.standin, presentedClient(request.headers.authorization, request.body));
      requireClientAuthentication(authenticated, false);
      client = authenticated.application;
    } catch (error) {
      // RFC 6749 §5.2: a client that tried Basic gets a Basic challenge with its 401.
      if (error instanceof OAuthError && error.statusCode === 401 && /^Basic\b/i.test(request.headers.authorization ?? '')) {
        reply.header('www-authenticate', 'Basic realm="Standin"');
      }
      throw error;
    }
    const token = param(request.body, 'token');
    if (token === undefined) throw new OAuthError('invalid_request', 'missing_token', 'The request is missing a required parameter: token');

    // A user's access token, else (FusionAuth 1.46 and later) a client_credentials token.
    const claims = await verifyUserOrClientToken(app.standin, token);
    if (!claims) return { active: false };
    // FusionAuth (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints): a live token issued to
    // another client is refused with 401, not reported.
    if (claims.aud !== client.id) {
      throw new OAuthError('invalid_client', 'invalid_client_id', 'The token was not issued to this client.');
    }
    return { active: true, ...claims };
  });
}
