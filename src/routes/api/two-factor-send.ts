import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { sendEnableDisableCode, sendLoginCode } from '../../manage/two-factor-email.js';
import type { Application } from '../../model/application.js';
import { isUuid } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { apiKeyOf, jwtUser } from './caller.js';
import { presentedJwt } from './jwt-auth.js';
import { found } from './schemas.js';

interface SendBody {
  applicationId?: string;
  email?: string;
  messageType?: string;
  method?: string;
  methodId?: string;
  mobilePhone?: string;
  userId?: string;
}

// FusionAuth's TwoFactorSendRequest (OpenAPI); `messageType: "Voice"` reaches the [NotModelled] refusal.
const sendSchema = {
  type: ['object', 'null'],
  properties: {
    applicationId: { type: 'string', maxLength: 64 },
    email: { type: 'string', maxLength: 320 },
    messageType: { type: 'string', maxLength: 32 },
    method: { type: 'string', maxLength: 32 },
    methodId: { type: 'string', maxLength: 64 },
    mobilePhone: { type: 'string', maxLength: 64 },
    userId: { type: 'string', maxLength: 64 },
  },
} as const;

/**
 * FusionAuth's Send a Multi-Factor Code (https://fusionauth.io/docs/apis/two-factor): `POST /api/two-factor/send`
 * (`sendTwoFactorCodeForEnableDisable`; API key with `userId`, or the user's JWT) emails or texts a code to enable an
 * address or phone, or to disable an email or SMS method; `POST /api/two-factor/send/{twoFactorId}`
 * (`sendTwoFactorCodeForLoginUsingMethod`; no auth) sends one for a pending login or step-up. 200 with no body. Rules in manage/two-factor-email.ts;
 * docs/two-factor.md, "The email method".
 */
export async function twoFactorSendRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: SendBody | null | undefined }>(
    '/two-factor/send',
    { config: { public: true }, schema: { body: sendSchema } },
    async (request, reply) => {
      const body = request.body ?? {};
      const user = await sender(request, body.userId);
      await sendEnableDisableCode(app.standin, user, applicationOf(request, user, body.applicationId), body);
      return reply.code(200).send();
    },
  );

  app.post<{ Params: { twoFactorId: string }; Body: SendBody | null | undefined }>(
    '/two-factor/send/:twoFactorId',
    {
      config: { public: true },
      schema: { params: { type: 'object', properties: { twoFactorId: { type: 'string', maxLength: 256 } } }, body: sendSchema },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      await sendLoginCode(app.standin, request.params.twoFactorId, body.methodId, body.messageType);
      return reply.code(200).send();
    },
  );
}

/**
 * Whose method it is: with an API key, the user `userId` names (an empty 404 when unknown or in a tenant the key
 * cannot see); with a JWT, the token's user; with neither, FusionAuth's empty 401.
 */
async function sender(request: FastifyRequest, userId: string | undefined): Promise<User> {
  if (apiKeyOf(request)) {
    if (userId === undefined || userId === '') new FieldErrors().add('userId', 'blank', 'You must specify the [userId] property.').throwIfAny();
    const id = userId!.toLowerCase();
    return found(request, isUuid(id) ? request.server.standin.stores.users.get(id) : undefined);
  }
  const token = presentedJwt(request);
  if (token === undefined) throw ApiError.unauthorized();
  return jwtUser(request, token);
}

/** The application whose two-factor email template applies, when the request names one of the user's tenant. */
function applicationOf(request: FastifyRequest, user: User, applicationId: string | undefined): Application | undefined {
  const id = applicationId?.toLowerCase();
  const application = id !== undefined && isUuid(id) ? request.server.standin.stores.applications.get(id) : undefined;
  return application?.tenantId === user.tenantId ? application : undefined;
}
