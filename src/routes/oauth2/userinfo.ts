import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../errors.js';
import { scopesOf, userinfoClaims } from '../../oauth/claims.js';
import { populateUserinfoClaims } from '../../oauth/populate-claims.js';
import { param } from '../../oauth/request-params.js';
import { verifyAccessToken, type AccessTokenProblem } from '../../oauth/verify-access-token.js';

/**
 * `GET|POST /oauth2/userinfo` (OIDC Core §5.3; FusionAuth OAuth endpoints): the claims of the user an access
 * token speaks for. A bad, expired, revoked or missing token gets 401 with a Bearer challenge (RFC 6750 §3.1;
 * FusionAuth GitHub issue https://github.com/FusionAuth/fusionauth-issues/issues/321).
 */
export async function userinfoRoutes(app: FastifyInstance): Promise<void> {
  app.route({
    method: ['GET', 'POST'],
    url: '/userinfo',
    handler: async (request, reply) => {
      const check = await verifyAccessToken(app.standin, bearerToken(request));
      if (!check.ok) return challenge(reply, 401, check.reason, check.description);
      const { application, user, registration, claims } = check.token;
      const scope = typeof claims.scope === 'string' ? claims.scope : '';
      // FusionAuth (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/scopes): under the Strict scope
      // policy, userinfo is for tokens granted `openid`; others are refused with 400 (FusionAuth GitHub issue
      // https://github.com/FusionAuth/fusionauth-issues/issues/3451).
      if (application.oauthConfiguration.scopeHandlingPolicy === 'Strict' && !scopesOf(scope).has('openid')) {
        return challenge(reply, 400, 'access_token_invalid', 'The token is not suitable for the requested use.');
      }
      const groupRoleIds = registration ? app.standin.stores.groups.roleIdsFor(user.id, application.id) : [];
      const userInfo = userinfoClaims({ application, user, registration, groupRoleIds, scope });
      return populateUserinfoClaims(app.standin.lambdas, application, userInfo, { user, registration, scopes: [...scopesOf(scope)], jwt: claims });
    },
  });
}

/**
 * The access token, from `Authorization: Bearer` (RFC 6750 §2.1) or, on POST, the form field `access_token`
 * (§2.2). Never from the query: OAuth 2.1 §5.1 tells resource servers to ignore it there.
 * A request that uses two methods is invalid (RFC 6750 §2).
 */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  const fromBody = request.method === 'POST' ? param(request.body, 'access_token') : undefined;
  if (match && fromBody !== undefined)
    throw new OAuthError('invalid_request', 'unknown', 'Send the access token in the Authorization header or in the body, not both.');
  return match?.[1] ?? fromBody;
}

function challenge(reply: FastifyReply, status: 400 | 401, reason: AccessTokenProblem, description: string): FastifyReply {
  // The description is one of Standin's fixed sentences: nothing the caller sent reaches the header.
  return reply
    .code(status)
    .header('www-authenticate', `Bearer error="invalid_token", error_description="${description}"`)
    .send({ error: 'invalid_token', error_description: description, error_reason: reason });
}
