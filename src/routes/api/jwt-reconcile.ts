import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { ExternalJwtRefused, LinkRefused, reconciledUser } from '../../manage/external-jwt-reconcile.js';
import type { Application } from '../../model/application.js';
import { EXTERNAL_JWT, EXTERNAL_JWT_AUTHENTICATION_TYPE, type ExternalJwtIdentityProvider } from '../../model/external-jwt-identity-provider.js';
import { isOfferedTo } from '../../model/identity-provider.js';
import { isUuid } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { permittedApiKey } from './api-key-access.js';
import { answerLogin, type LoginAnswerBody } from './login-answer.js';
import { isVisible } from './tenant-scope.js';

interface Body extends LoginAnswerBody {
  applicationId?: string;
  identityProviderId?: string;
  encodedJWT?: string;
  data?: Record<string, string>;
}

const schema = {
  body: {
    type: ['object', 'null'],
    properties: {
      applicationId: { type: 'string', maxLength: 64 },
      identityProviderId: { type: 'string', maxLength: 64 },
      encodedJWT: { type: 'string', maxLength: 16384 },
      // FusionAuth's `data` is a map of strings (IdentityProviderLoginRequest); `data.token` is the JWT's newer place.
      data: { type: 'object', additionalProperties: { type: 'string', maxLength: 16384 } },
      noJWT: { type: 'boolean' },
      ipAddress: { type: 'string', maxLength: 64 },
      metaData: { type: 'object' },
    },
  },
} as const;

/**
 * `POST /api/jwt/reconcile` (https://fusionauth.io/docs/apis/jwt, "Reconcile a JWT Using the External JWT Provider"):
 * an application that holds a JWT another identity provider issued posts it (`encodedJWT`, or `data.token`) with the
 * External JWT provider that describes that issuer; Standin verifies it, links or creates the user
 * (manage/external-jwt-reconcile.ts) and answers as the Login API does (routes/api/login-answer.ts). No API key is
 * needed (FusionAuth's docs mark it open); a tenant-bound key or `X-FusionAuth-TenantId` keeps the login to its
 * tenant's applications. How each refusal is answered: docs/identity-providers.md, "The JWT Reconcile API".
 */
export async function jwtReconcileRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: Body | null }>('/jwt/reconcile', { config: { public: true }, schema }, async (request, reply) => {
    permittedApiKey(request);
    const body = request.body ?? {};
    const encoded = body.data?.token ?? body.encodedJWT;
    const errors = new FieldErrors();
    if (!body.applicationId) errors.add('applicationId', 'missing', 'You must specify the [applicationId] property.');
    if (!body.identityProviderId) errors.add('identityProviderId', 'missing', 'You must specify the [identityProviderId] property.');
    if (!encoded) errors.add('encodedJWT', 'missing', 'You must specify the [encodedJWT] property (or [data.token]): the JWT to reconcile.');
    errors.throwIfAny();
    const found = isUuid(body.applicationId) ? app.standin.stores.applications.get(body.applicationId) : undefined;
    const application = found?.active && isVisible(request, found.tenantId) ? found : undefined;
    // Both answered 401 (https://fusionauth.io/docs/apis/jwt, "Reconcile a JWT", request body).
    if (!application) throw externalFailure('InvalidApplication', `Invalid Application Id [${body.applicationId}].`);
    const stored = isUuid(body.identityProviderId) ? app.standin.stores.identityProviders.get(body.identityProviderId) : undefined;
    if (stored?.type !== EXTERNAL_JWT) {
      throw externalFailure(
        'InvalidIdentityProvider',
        `Invalid Identity Provider Id [${body.identityProviderId}]: the JWT Reconcile API takes an External JWT identity provider.`,
      );
    }
    const user = await reconcile(request, stored, application, encoded!, false);
    return answerReconciledLogin(request, reply, body, { user, application, provider: stored });
  });
}

/**
 * A reconciled user's login, answered as the Login API's: a federated login, so the tenant's login validation lambda
 * runs, as for every login through an identity provider (docs/lambdas.md), and no second factor is asked for.
 */
export async function answerReconciledLogin(
  request: FastifyRequest,
  reply: FastifyReply,
  body: LoginAnswerBody,
  login: { user: User; application: Application; provider: ExternalJwtIdentityProvider },
): Promise<FastifyReply> {
  const { user, application, provider } = login;
  const tenant = request.server.standin.stores.tenants.get(application.tenantId)!;
  return answerLogin(request, reply, body, {
    user,
    tenant,
    application,
    authenticationType: EXTERNAL_JWT_AUTHENTICATION_TYPE,
    refreshAllowed: true,
    secondFactor: { kind: 'federated', identityProvider: { id: provider.id, name: provider.name, identityProviderType: provider.type } },
  });
}

/**
 * The user `encoded` logs in to `application` through `provider`, or the refusal FusionAuth answers: 401 when the
 * provider is not enabled for the application, the JWT does not verify, or a claim the strategy links on is missing;
 * an empty 404 when there is no one to log in (no link under `Disabled` or `noLink`, no user for a `…ForExistingUser`
 * strategy). Shared with the Identity Provider Login API (routes/api/identity-provider-login.ts).
 */
export async function reconcile(
  request: FastifyRequest,
  provider: ExternalJwtIdentityProvider,
  application: Application,
  encoded: string,
  noLink: boolean,
): Promise<User> {
  const { standin } = request.server;
  if (provider.tenantId !== undefined && provider.tenantId !== application.tenantId) {
    throw externalFailure('InvalidIdentityProvider', `The identity provider [${provider.id}] belongs to another tenant than the application.`);
  }
  if (!isOfferedTo(provider, application.id, application.tenantId)) {
    throw externalFailure('InvalidApplication', `The identity provider [${provider.name}] is not enabled, or not enabled for this application.`);
  }
  const tenant = standin.stores.tenants.get(application.tenantId)!;
  try {
    return await reconciledUser(standin, provider, tenant, application, encoded, {
      noLink,
      debug: (claims) => {
        request.log.info({ identityProvider: provider.id, claims }, 'identity provider: claims received');
      },
    });
  } catch (error) {
    if (error instanceof ExternalJwtRefused) {
      request.log.warn({ identityProvider: provider.id, reason: error.reason }, 'external JWT refused');
      throw externalFailure(error.reason, error.message);
    }
    if (error instanceof LinkRefused) throw error.reason === 'NotFound' ? ApiError.notFound() : externalFailure(error.reason, error.message);
    throw error;
  }
}

/** 401 with FusionAuth's `[ExternalAuthenticationException]<reason>` code, as the Identity Provider Login API answers. */
function externalFailure(reason: string, message: string): ApiError {
  return ApiError.general(`[ExternalAuthenticationException]${reason}`, message, 401);
}
