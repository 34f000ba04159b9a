import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError } from '../../errors.js';
import type { Application } from '../../model/application.js';
import { isUuid } from '../../model/json.js';
import { presentedClient, requireClientAuthentication, type Client } from '../../oauth/client-authentication.js';
import { authenticateClientGuarded } from '../../oauth/client-secret-guard.js';
import { approveDevice, deviceUserCodeAnswer, pendingDeviceGrant, startDeviceAuthorization } from '../../oauth/device-authorization.js';
import { param } from '../../oauth/request-params.js';
import { checkUserCodeGuarded } from '../../oauth/user-code-guard.js';
import { verifyAccessToken } from '../../oauth/verify-access-token.js';
import { permittedApiKey } from '../api/api-key-access.js';

/**
 * The Device Authorization Grant's endpoints (RFC 8628; https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints,
 * "Device"): `device_authorize` starts it from the device; `device/validate` and `device/user-code` check a user code
 * for a login page of one's own; `device/approve` approves it for the user of an access token. The hosted page
 * that does the same for a browser is device-page.ts; the polling is the token endpoint's (oauth/grants/device-code.ts).
 */
export async function deviceRoutes(app: FastifyInstance): Promise<void> {
  app.post('/device_authorize', async (request, reply) =>
    withBasicChallenge(request, reply, () => {
      // A secret, when given, is checked ("Even when the client secret is not required, if it is provided it will be
      // validated"); the request needs none (FusionAuth's Device Authorize takes `client_id` and `scope`).
      const client = authenticateClientGuarded(app.standin, presentedClient(request.headers.authorization, request.body));
      return startDeviceAuthorization(app.standin, client, request.body);
    }),
  );

  // 200 with no body for a live pending user code of this client, else an OAuth error (FusionAuth's Device Validate).
  const validate = async (request: FastifyRequest, reply: FastifyReply, input: unknown) => {
    const application = applicationOf(app, param(input, 'client_id'));
    checkUserCodeGuarded(app.standin, request.ip, () => pendingDeviceGrant(app.standin, param(input, 'user_code'), application.id));
    return reply.code(200).send();
  };
  app.get('/device/validate', async (request, reply) => validate(request, reply, request.query));
  app.post('/device/validate', async (request, reply) => validate(request, reply, request.body));

  // FusionAuth's Device User Code: the code's metadata, to a client (its own codes) or to an API key.
  const userCode = async (request: FastifyRequest, reply: FastifyReply, input: unknown) =>
    withBasicChallenge(request, reply, () => {
      const userCodeValue = param(input, 'user_code');
      const presented = presentedClient(request.headers.authorization, input);
      let applicationId: string | undefined;
      let tenantId: string | undefined;
      if (presented.clientId === undefined && request.headers.authorization !== undefined) {
        const apiKey = permittedApiKey(request);
        if (!apiKey) throw new OAuthError('invalid_client', 'invalid_client_authentication', 'The API key is not valid.');
        // A key bound to a tenant reads that tenant's codes only, as it reads that tenant's users only.
        tenantId = apiKey.tenantId;
      } else {
        const client = authenticateClientGuarded(app.standin, presented);
        requireClientAuthentication(client, false);
        applicationId = client.application.id;
      }
      const grant = checkUserCodeGuarded(app.standin, request.ip, () => {
        const found = pendingDeviceGrant(app.standin, userCodeValue, applicationId);
        if (tenantId !== undefined && found.tenantId !== tenantId)
          throw new OAuthError('invalid_request', 'invalid_user_code', 'The user_code is invalid.');
        return found;
      });
      return deviceUserCodeAnswer(app.standin, grant, userCodeValue!);
    });
  app.get('/device/user-code', async (request, reply) => userCode(request, reply, request.query));
  app.post('/device/user-code', async (request, reply) => userCode(request, reply, request.body));

  // FusionAuth's Device Approve: the client, the access token of the user who approves, and the user code.
  app.post('/device/approve', async (request, reply) => {
    const client = await withBasicChallenge(request, reply, () => {
      const authenticated: Client = authenticateClientGuarded(app.standin, presentedClient(request.headers.authorization, request.body));
      requireClientAuthentication(authenticated, false);
      return authenticated;
    });
    const token = param(request.body, 'token');
    if (token === undefined) throw new OAuthError('invalid_request', 'missing_token', 'The request is missing a required parameter: token');
    const userCodeValue = param(request.body, 'user_code');
    if (userCodeValue === undefined)
      throw new OAuthError('invalid_request', 'missing_user_code', 'The request is missing a required parameter: user_code');
    const check = await verifyAccessToken(app.standin, token);
    if (!check.ok) throw new OAuthError('invalid_token', check.reason, check.description);
    const { claims, user } = check.token;
    return checkUserCodeGuarded(app.standin, request.ip, () =>
      approveDevice(app.standin, userCodeValue, client.application.id, {
        userId: user.id,
        authTime: typeof claims.auth_time === 'number' ? claims.auth_time * 1000 : app.standin.config.now(),
        authenticationType: typeof claims.authenticationType === 'string' ? claims.authenticationType : 'PASSWORD',
      }),
    );
  });
}

/** The application a `client_id` names; an unknown or inactive one is an invalid request here (no client authenticates). */
function applicationOf(app: FastifyInstance, clientId: string | undefined): Application {
  if (clientId === undefined) throw new OAuthError('invalid_request', 'missing_client_id', 'The request is missing a required parameter: client_id');
  const application = isUuid(clientId) ? app.standin.stores.applications.get(clientId) : undefined;
  if (!application || !application.active) throw new OAuthError('invalid_request', 'invalid_client_id', `client_id: ${clientId} is not valid.`);
  return application;
}

/** RFC 6749 §5.2: a 401 to a client that used Basic names the scheme it must use. */
async function withBasicChallenge<T>(request: FastifyRequest, reply: FastifyReply, run: () => T): Promise<T> {
  try {
    return run();
  } catch (error) {
    if (error instanceof OAuthError && error.statusCode === 401 && /^basic\b/i.test(request.headers.authorization ?? '')) {
      reply.header('www-authenticate', 'Basic realm="FusionAuth"');
    }
    throw error;
  }
}
