import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../errors.js';
import { presentedClient } from '../../oauth/client-authentication.js';
import { authenticateClientGuarded } from '../../oauth/client-secret-guard.js';
import { entityClientCredentials, entityClientOf } from '../../oauth/entity-client-credentials.js';
import { grants } from '../../oauth/grants/index.js';
import { param } from '../../oauth/request-params.js';

/** `POST /oauth2/token` (RFC 6749 §3.2; https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints). Form bodies only: see index.ts. */
export async function tokenRoutes(app: FastifyInstance): Promise<void> {
  app.post('/token', async (request, reply) => {
    try {
      return await token(request, reply);
    } catch (error) {
      // RFC 6749 §5.2: a 401 to a client that used Basic names the scheme it must use.
      if (error instanceof OAuthError && error.statusCode === 401 && /^basic\b/i.test(request.headers.authorization ?? '')) {
        reply.header('www-authenticate', 'Basic realm="FusionAuth"');
      }
      throw error;
    }
  });
}

async function token(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const { standin } = request.server;
  // RFC 6749 §2.3.1: a client secret never travels in the URL.
  if (param(request.query, 'client_secret') !== undefined) {
    throw new OAuthError('invalid_request', 'invalid_client_authentication', 'The client_secret must not be sent in the URL.');
  }
  const presented = presentedClient(request.headers.authorization, request.body);
  const grantType = param(request.body, 'grant_type');
  if (grantType === undefined)
    throw new OAuthError('invalid_request', 'missing_grant_type', 'The request is missing a required parameter: grant_type');
  const grant = grants.get(grantType);
  if (!grant) {
    throw new OAuthError('unsupported_grant_type', 'invalid_grant_type', `The grant_type [${grantType}] is not a grant type.`);
  }
  // FusionAuth's client credentials grant is an entity's (oauth/entity-client-credentials.ts); Standin also serves it
  // for an application's client id, RFC 6749 §4.4's plain grant (oauth/grants/client-credentials.ts).
  if (grant.grantType === 'client_credentials') {
    const entity = entityClientOf(standin, presented);
    if (entity) return reply.send(await entityClientCredentials(standin, entity, presented, request.body));
  }
  const client = authenticateClientGuarded(standin, presented);
  if (!client.application.oauthConfiguration.enabledGrants.includes(grant.grantType)) {
    throw new OAuthError('unauthorized_client', 'grant_type_disabled', `The [${grant.grantType}] grant has been disabled for this client.`);
  }
  const response = await grant.handle({
    body: request.body,
    client,
    standin,
    ip: request.ip,
  });
  return reply.send(response);
}
