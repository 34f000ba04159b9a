import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publicJwks } from '../keys/public-jwks.js';
import { certificateContext, withCertificates } from '../manage/key-certificates.js';
import { isUuid } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import { requestBaseUrl } from '../request-base-url.js';
import type { Standin } from '../standin.js';

/**
 * OpenID Connect Discovery 1.0 and the JWKS (RFC 7517), at the paths FusionAuth serves them: the
 * discovery document also per tenant, by `?tenantId=`, as `/{tenantId}/.well-known/openid-configuration`, or
 * as `/.well-known/openid-configuration/{tenantId}`, the form FusionAuth's Next.js quickstart builds
 * (docs/cors-and-discovery.md).
 */
export async function wellKnownRoutes(app: FastifyInstance): Promise<void> {
  app.get('/.well-known/jwks.json', async () => ({
    keys: publicJwks(await withCertificates(certificateContext(app.standin), app.standin.stores.keys.list())),
  }));

  app.get<{ Querystring: { tenantId?: string } }>(
    '/.well-known/openid-configuration',
    { schema: { querystring: { type: 'object', properties: { tenantId: { type: 'string' } } } } },
    async (request, reply) => discoveryOrNotFound(app.standin, request, reply, request.query.tenantId),
  );
  for (const url of ['/:tenantId/.well-known/openid-configuration', '/.well-known/openid-configuration/:tenantId']) {
    app.get<{ Params: { tenantId: string } }>(url, async (request, reply) =>
      discoveryOrNotFound(app.standin, request, reply, request.params.tenantId),
    );
  }
}

function discoveryOrNotFound(standin: Standin, request: FastifyRequest, reply: FastifyReply, tenantId: string | undefined) {
  const tenant = tenantId === undefined ? defaultTenant(standin) : isUuid(tenantId) ? standin.stores.tenants.get(tenantId) : undefined;
  if (!tenant) return reply.code(404).send({ error: 'not_found', error_description: 'No tenant has this id.' });
  // The issuer as configured, whatever URL the document was fetched from (FusionAuth does the same). The
  // endpoints a server calls under the origin that server used (a container's http://standin:9011); the
  // ones a browser is sent to under the configured base URL, which is where browsers reach Standin (as
  // Keycloak's dynamic backchannel hostname does). A cache must keep one answer per host.
  reply.header('vary', 'Host, X-Forwarded-Host, X-Forwarded-Proto');
  return discovery({ browser: standin.baseUrl(), server: requestBaseUrl(request, standin.baseUrl()) }, standin.issuerOf(tenant));
}

/** With no tenant named, FusionAuth describes the default tenant: here the first one created. */
function defaultTenant(standin: Standin): Tenant | undefined {
  return standin.stores.tenants.list()[0];
}

const SIGNING_ALGORITHMS = ['ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512'];

/**
 * FusionAuth's discovery fields
 * (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints#openid-configuration), advertising only
 * what Standin serves: the authorization code flow with PKCE S256, refresh tokens, the password, client
 * credentials and device grants (RFC 8628 §4); no implicit flow.
 */
function discovery(base: { browser: string; server: string }, issuer: string) {
  return {
    authorization_endpoint: `${base.browser}/oauth2/authorize`,
    // RFC 9207: the authorization response carries `iss`.
    authorization_response_iss_parameter_supported: true,
    backchannel_logout_supported: false,
    claims_supported: [
      'applicationId',
      'at_hash',
      'aud',
      'authenticationType',
      'birthdate',
      'c_hash',
      'email',
      'email_verified',
      'exp',
      'family_name',
      'given_name',
      'iat',
      'iss',
      'jti',
      'middle_name',
      'name',
      'nbf',
      'nonce',
      'phone_number',
      'phone_number_verified',
      'picture',
      'preferred_username',
      'roles',
      'sid',
      'sub',
      'tid',
    ],
    code_challenge_methods_supported: ['S256'],
    // A device calls it, as it calls the token endpoint.
    device_authorization_endpoint: `${base.server}/oauth2/device_authorize`,
    end_session_endpoint: `${base.browser}/oauth2/logout`,
    frontchannel_logout_supported: true,
    grant_types_supported: ['authorization_code', 'client_credentials', 'password', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    id_token_signing_alg_values_supported: SIGNING_ALGORITHMS,
    introspection_endpoint: `${base.server}/oauth2/introspect`,
    issuer,
    jwks_uri: `${base.server}/.well-known/jwks.json`,
    response_modes_supported: ['form_post', 'query'],
    response_types_supported: ['code'],
    scopes_supported: ['openid', 'offline_access', 'profile', 'email', 'phone', 'address'],
    subject_types_supported: ['public'],
    token_endpoint: `${base.server}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    userinfo_endpoint: `${base.server}/oauth2/userinfo`,
    userinfo_signing_alg_values_supported: SIGNING_ALGORITHMS,
  };
}
