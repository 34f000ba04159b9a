import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { disableTwoFactor, enableTwoFactor, generateSecret, regenerateRecoveryCodes } from '../../manage/two-factor.js';
import { renameTwoFactorMethod } from '../../manage/two-factor-method-name.js';
import { isObject } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { enrolmentCodeFor } from '../../oauth/two-factor-login.js';
import { apiKeyOf, jwtUser } from './caller.js';
import { presentedJwt } from './jwt-auth.js';
import { found, uuidParams } from './schemas.js';

interface EnableBody {
  method?: string;
  code?: string;
  secret?: string;
  secretBase32Encoded?: string;
  email?: string;
  applicationId?: string;
  twoFactorId?: string;
}

const enableSchema = {
  type: ['object', 'null'],
  properties: {
    method: { type: 'string', maxLength: 32 },
    code: { type: 'string', maxLength: 64 },
    secret: { type: 'string', maxLength: 512 },
    secretBase32Encoded: { type: 'string', maxLength: 512 },
    applicationId: { type: 'string', maxLength: 64 },
    email: { type: 'string', maxLength: 512 },
    mobilePhone: { type: 'string', maxLength: 64 },
    twoFactorId: { type: 'string', maxLength: 256 },
  },
} as const;

const disableQuery = {
  type: 'object',
  properties: { code: { type: 'string', maxLength: 64 }, methodId: { type: 'string', maxLength: 64 } },
} as const;

interface DisableInput {
  code?: string;
  methodId?: string;
}

const params = uuidParams('userId');

/**
 * FusionAuth's Two Factor API for the authenticator method (https://fusionauth.io/docs/apis/two-factor): a new
 * secret, enabling and disabling a method for a user (API key with `{userId}`, or the user's own JWT without), and
 * the recovery codes. Rules in manage/two-factor.ts; docs/two-factor.md.
 */
export async function twoFactorRoutes(app: FastifyInstance): Promise<void> {
  app.get('/two-factor/secret', { config: { public: true } }, async (request) => {
    await apiKeyOrJwtUser(request);
    return generateSecret();
  });

  const enable = async (request: FastifyRequest<{ Body: EnableBody | null | undefined }>, user: User) => {
    const tenant = app.standin.stores.tenants.get(user.tenantId)!;
    const body = request.body ?? {};
    const now = app.standin.config.now();
    // Enrolment during a login that requires two-factor (FusionAuth 1.42+): the pending login must be this user's.
    const pending = body.twoFactorId === undefined ? undefined : app.standin.stores.twoFactor.findLogin(body.twoFactorId, now);
    if (body.twoFactorId !== undefined && pending?.userId !== user.id) {
      new FieldErrors().add('twoFactorId', 'invalid', 'The [twoFactorId] property does not name a pending login of this user.').throwIfAny();
    }
    const result = enableTwoFactor(app.standin, user, tenant, body, now);
    const code = body.twoFactorId === undefined ? undefined : enrolmentCodeFor(app.standin, body.twoFactorId, user.id);
    return { ...result, ...(code === undefined ? {} : { code }) };
  };
  // FusionAuth answers the recovery codes for the first method only (and `code` for a login's enrolment); else no body.
  const answerEnabled = (result: { recoveryCodes?: string[]; code?: string }) => (result.recoveryCodes || result.code ? result : '');

  app.post<{ Params: { userId: string }; Body: EnableBody | null | undefined }>(
    '/user/two-factor/:userId',
    { schema: { params, body: enableSchema } },
    async (request, reply) => reply.code(200).send(answerEnabled(await enable(request, userOf(request, request.params.userId)))),
  );
  app.post<{ Body: EnableBody | null | undefined }>(
    '/user/two-factor',
    { config: { public: true }, schema: { body: enableSchema } },
    async (request, reply) => reply.code(200).send(answerEnabled(await enable(request, await jwtCaller(request)))),
  );

  // `code` and `methodId` come in the query string or a JSON body (FusionAuth's `disableTwoFactorWithRequest`).
  const disableInput = (request: FastifyRequest<{ Querystring: DisableInput }>): DisableInput => {
    const body = isObject(request.body) ? request.body : {};
    const pick = (name: 'code' | 'methodId') => request.query[name] ?? (typeof body[name] === 'string' ? body[name] : undefined);
    const code = pick('code');
    const methodId = pick('methodId');
    return { ...(code === undefined ? {} : { code }), ...(methodId === undefined ? {} : { methodId }) };
  };
  app.delete<{ Params: { userId: string }; Querystring: DisableInput }>(
    '/user/two-factor/:userId',
    { schema: { params, querystring: disableQuery } },
    async (request, reply) => {
      disableTwoFactor(app.standin, userOf(request, request.params.userId), disableInput(request), app.standin.config.now());
      return reply.code(200).send();
    },
  );
  app.delete<{ Querystring: DisableInput }>(
    '/user/two-factor',
    { config: { public: true }, schema: { querystring: disableQuery } },
    async (request, reply) => {
      disableTwoFactor(app.standin, await jwtCaller(request), disableInput(request), app.standin.config.now());
      return reply.code(200).send();
    },
  );

  // FusionAuth 1.68's Update Multi-Factor Method: `methodId` in the query string (the docs) or the JSON body (the
  // TypeScript client's updateTwoFactor), `name` in the body; 200 with no body.
  app.put<{ Params: { userId: string }; Querystring: { methodId?: string } }>(
    '/user/two-factor/:userId',
    { schema: { params, querystring: { type: 'object', properties: { methodId: { type: 'string', maxLength: 64 } } } } },
    async (request, reply) => {
      const body = isObject(request.body) ? request.body : {};
      const methodId = request.query.methodId ?? body.methodId;
      const user = userOf(request, request.params.userId);
      renameTwoFactorMethod(app.standin.stores, user, { methodId, name: body.name }, app.standin.config.now());
      return reply.code(200).send();
    },
  );

  app.post<{ Params: { userId: string } }>('/user/two-factor/recovery-code/:userId', { schema: { params } }, async (request) => ({
    recoveryCodes: regenerateRecoveryCodes(app.standin.stores, userOf(request, request.params.userId)),
  }));
  // Deprecated in FusionAuth 1.64 in favour of the POST. Standin keeps recovery codes hashed, so it cannot show
  // the remaining ones: the list is always empty (docs/two-factor.md, "Differences from FusionAuth").
  app.get<{ Params: { userId: string } }>('/user/two-factor/recovery-code/:userId', { schema: { params } }, async (request) => {
    userOf(request, request.params.userId);
    return { recoveryCodes: [] };
  });

  function userOf(request: FastifyRequest, userId: string): User {
    return found(request, app.standin.stores.users.get(userId));
  }
}

/** The JWT-authenticated form: the user is the token's, or FusionAuth's empty 401. */
async function jwtCaller(request: FastifyRequest): Promise<User> {
  const token = presentedJwt(request);
  if (token === undefined) throw ApiError.unauthorized();
  return jwtUser(request, token);
}

/** `GET /api/two-factor/secret` takes an API key or a JWT. */
async function apiKeyOrJwtUser(request: FastifyRequest): Promise<void> {
  if (apiKeyOf(request)) return;
  await jwtCaller(request);
}
