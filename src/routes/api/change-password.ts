import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { isCurrentPassword, setPassword } from '../../manage/change-password.js';
import { requireBody } from '../../manage/request-body.js';
import type { JsonObject } from '../../model/json.js';
import { checkPassword, type User } from '../../model/user.js';
import { apiKeyOf, jwtUser } from './caller.js';
import { presentedJwt } from './jwt-auth.js';
import { requestTenant } from './tenant-scope.js';

interface Params {
  changePasswordId?: string;
}

/**
 * FusionAuth's Change Password API, `POST /api/user/change-password[/{changePasswordId}]`, in its three forms:
 * a changePasswordId (no authentication; the body's wins over the path's), the user's own access token
 * (`currentPassword` required), or an API key with `loginId`. Success is 200 with no body: Standin does not
 * issue the `oneTimePassword` FusionAuth returns to the first two forms (README "FusionAuth compatibility").
 */
export async function changePasswordRoutes(app: FastifyInstance): Promise<void> {
  const params = { type: 'object', properties: { changePasswordId: { type: 'string', maxLength: 1024 } } } as const;
  for (const url of ['/user/change-password', '/user/change-password/:changePasswordId']) {
    app.post<{ Params: Params }>(url, { schema: { params }, config: { public: true } }, async (request, reply) => {
      const body = requireBody(request.body);
      const user = await whoseChange(request, body);
      await setPassword(app.standin, user, body.password as string);
      return reply.code(200).send();
    });
  }
}

/** The user whose password changes, after FusionAuth's checks for the form the request takes. */
async function whoseChange(request: FastifyRequest<{ Params: Params }>, body: JsonObject): Promise<User> {
  const { standin } = request.server;
  const changePasswordId = nonEmpty(body.changePasswordId) ?? nonEmpty(request.params.changePasswordId);
  const token = changePasswordId === undefined ? presentedJwt(request) : undefined;
  const byLoginId = changePasswordId === undefined && token === undefined;
  if (byLoginId && !apiKeyOf(request)) throw ApiError.unauthorized();
  if (byLoginId && body.loginId === undefined) throw ApiError.general('[invalid]', 'Send a changePasswordId, an access token, or an API key with a loginId.');

  const errors = new FieldErrors();
  checkPassword(body.password, 'password', errors);
  if (token !== undefined && nonEmpty(body.currentPassword) === undefined) {
    errors.add('currentPassword', 'blank', 'You must specify the [currentPassword] property.');
  }
  let user: User | undefined;
  if (changePasswordId !== undefined) {
    const grant = standin.stores.changePasswordIds.find(changePasswordId, standin.config.now());
    user = grant === undefined ? undefined : standin.stores.users.get(grant.userId);
  } else if (token !== undefined) {
    user = await jwtUser(request, token);
  } else {
    user = typeof body.loginId === 'string' ? standin.stores.users.byLoginId(requestTenant(request).id, body.loginId) : undefined;
    if (!user) errors.add('loginId', 'invalid', 'No user has this [loginId].');
  }
  errors.throwIfAny();
  if (!user) throw ApiError.notFound();
  // A wrong currentPassword: 400 with an API key, 404 without, "for security reasons" (Change Password API).
  if (body.currentPassword !== undefined && body.currentPassword !== null && !(await isCurrentPassword(standin, user, body.currentPassword))) {
    if (byLoginId) new FieldErrors().add('currentPassword', 'invalid', 'The [currentPassword] is not the current password.').throwIfAny();
    throw ApiError.notFound();
  }
  return user;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
