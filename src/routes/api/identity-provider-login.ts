import type { FastifyInstance } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { federatedUser } from '../../manage/federated-login.js';
import { LinkRefused } from '../../manage/identity-provider-linking.js';
import { isOfferedTo, isOpenIdConnect, OPENID_CONNECT_AUTHENTICATION_TYPE } from '../../model/identity-provider.js';
import { isUuid } from '../../model/json.js';
import { redeemCode, RelyingPartyError } from '../../oauth/relying-party.js';
import { permittedApiKey } from './api-key-access.js';
import { answerReconciledLogin, reconcile } from './jwt-reconcile.js';
import { answerLogin, type LoginAnswerBody } from './login-answer.js';
import { isVisible } from './tenant-scope.js';

interface Body extends LoginAnswerBody {
  applicationId?: string;
  identityProviderId?: string;
  data?: Record<string, string>;
  noLink?: boolean;
}

const text = { type: 'string', maxLength: 4096 } as const;
const schema = {
  body: {
    type: ['object', 'null'],
    properties: {
      applicationId: { type: 'string', maxLength: 64 },
      identityProviderId: { type: 'string', maxLength: 64 },
      // FusionAuth's `data` is a map of strings (IdentityProviderLoginRequest); OpenID Connect reads code, redirect_uri, code_verifier.
      data: { type: 'object', additionalProperties: text },
      noLink: { type: 'boolean' },
      noJWT: { type: 'boolean' },
      ipAddress: { type: 'string', maxLength: 64 },
      metaData: { type: 'object' },
    },
  },
} as const;

/**
 * `POST /api/identity-provider/login` for the two provider types Standin models, answered as the Login API does
 * (routes/api/login-answer.ts): 200 with the tokens and the user, 202 when the user is not registered to the
 * application, 203, 212, 213, 409, 410 as there. No API key is needed (FusionAuth's docs mark this API open); a
 * tenant-bound key or `X-FusionAuth-TenantId` keeps the login to its tenant's applications. How a refusal is answered:
 * docs/identity-providers.md, "The Login API".
 * - OpenID Connect (https://fusionauth.io/docs/apis/identity-providers/openid-connect, "Complete an OpenID Connect
 *   Login"): an application that sent the browser to the provider itself posts the code it got back, with the
 *   redirect_uri it used (and its PKCE verifier, if it sent a challenge). Standin redeems the code as its own callback
 *   does (manage/federated-login.ts) and links or creates the user by the provider's linking strategy.
 * - External JWT (https://fusionauth.io/docs/apis/identity-providers/external-jwt, "Complete the External JWT Login"):
 *   the JWT in `data.token` is reconciled as the JWT Reconcile API does (routes/api/jwt-reconcile.ts).
 */
export async function identityProviderLoginRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Body | null }>('/identity-provider/login', { config: { public: true }, schema }, async (request, reply) => {
    // Read for its tenant: a tenant-bound key reaches its own tenant's applications only.
    permittedApiKey(request);
    const body = request.body ?? {};
    const data = body.data ?? {};
    const errors = new FieldErrors();
    const found =
      body.applicationId !== undefined && isUuid(body.applicationId) ? app.standin.stores.applications.get(body.applicationId) : undefined;
    const application = found?.active && isVisible(request, found.tenantId) ? found : undefined;
    if (!body.applicationId) errors.add('applicationId', 'missing', 'You must specify the [applicationId] property.');
    else if (!application) errors.add('applicationId', 'invalid', `Invalid Application Id [${body.applicationId}].`);
    const provider =
      body.identityProviderId !== undefined && isUuid(body.identityProviderId)
        ? app.standin.stores.identityProviders.get(body.identityProviderId)
        : undefined;
    if (!body.identityProviderId) errors.add('identityProviderId', 'missing', 'You must specify the [identityProviderId] property.');
    else if (!provider) errors.add('identityProviderId', 'invalid', `Invalid Identity Provider Id [${body.identityProviderId}].`);
    if (provider !== undefined && !isOpenIdConnect(provider)) {
      // An External JWT provider's login is the JWT Reconcile API's, with the JWT in `data.token`
      // (https://fusionauth.io/docs/apis/identity-providers/external-jwt, "Complete the External JWT Login").
      if (!data.token) errors.add('data.token', 'missing', 'You must specify the [data.token] property: the JWT the identity provider issued.');
      errors.throwIfAny();
      const user = await reconcile(request, provider, application!, data.token!, body.noLink === true);
      return answerReconciledLogin(request, reply, body, { user, application: application!, provider });
    }
    if (!data.code) errors.add('data.code', 'missing', 'You must specify the [data.code] property: the code the identity provider answered with.');
    if (!data.redirect_uri) {
      errors.add('data.redirect_uri', 'missing', 'You must specify the [data.redirect_uri] property: the redirect_uri the code was sent to.');
    }
    errors.throwIfAny();
    // A provider scoped to another tenant than the application's (FusionAuth 1.62 tenant-scoped providers).
    if (provider!.tenantId !== undefined && provider!.tenantId !== application!.tenantId) {
      throw ApiError.general(
        '[InvalidIdentityProviderId]',
        `The identity provider [${provider!.id}] belongs to another tenant than the application.`,
      );
    }
    if (!isOfferedTo(provider!, application!.id, application!.tenantId)) {
      throw externalFailure('InvalidApplication', `The identity provider [${provider!.name}] is not enabled, or not enabled for this application.`);
    }
    const tenant = app.standin.stores.tenants.get(application!.tenantId)!;
    let user;
    try {
      user = await federatedUser(
        app.standin,
        provider!,
        tenant,
        application!,
        (config, oauth2) =>
          redeemCode(config, {
            code: data.code!,
            redirectUri: data.redirect_uri!,
            ...(data.code_verifier ? { codeVerifier: data.code_verifier } : {}),
            openid: (oauth2.scope ?? 'openid').split(' ').includes('openid'),
          }),
        {
          noLink: body.noLink === true,
          debug: (claims) => {
            request.log.info({ identityProvider: provider!.id, claims }, 'identity provider: claims received');
          },
        },
      );
    } catch (error) {
      if (error instanceof RelyingPartyError) {
        request.log.warn({ identityProvider: provider!.id, reason: error.message }, 'identity provider login failed');
        throw externalFailure(error.endpoint === 'userinfo' ? 'OpenIDConnectUserinfo' : 'OpenIDConnectToken', error.message);
      }
      // No link under `Disabled` or `noLink`, no user for a `…ForExistingUser` strategy: FusionAuth's empty 404.
      if (error instanceof LinkRefused) throw error.reason === 'NotFound' ? ApiError.notFound() : externalFailure(error.reason, error.message);
      throw error;
    }
    // No second factor, as on the hosted page: FusionAuth leaves MFA to the federated provider
    // (https://fusionauth.io/docs/lifecycle/authenticate-users/identity-providers, "Account Security").
    return answerLogin(request, reply, body, {
      user,
      tenant,
      application: application!,
      authenticationType: OPENID_CONNECT_AUTHENTICATION_TYPE,
      refreshAllowed: true,
      secondFactor: { kind: 'federated', identityProvider: { id: provider!.id, name: provider!.name, identityProviderType: provider!.type } },
    });
  });
}

/**
 * The login could not be completed with the identity provider: 401, "the user cannot be reconciled or logged in using
 * the external identity provider" (https://fusionauth.io/docs/apis/identity-providers/openid-connect, response codes),
 * with FusionAuth's `[ExternalAuthenticationException]<reason>` code and what went wrong.
 */
function externalFailure(reason: string, message: string): ApiError {
  return ApiError.general(`[ExternalAuthenticationException]${reason}`, message, 401);
}
