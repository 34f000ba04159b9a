import type { FastifyInstance } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { startChangePassword } from '../../manage/change-password.js';
import { requireBody } from '../../manage/request-body.js';
import { isObject } from '../../model/json.js';
import { apiKeyOf } from './caller.js';
import { userByLoginId } from './login-id.js';
import { requestTenant } from './tenant-scope.js';

/**
 * FusionAuth's Start Forgot Password Workflow API, `POST /api/user/forgot-password`, without the message:
 * Standin sends no email or SMS, so only the API-key form with `sendForgotPasswordEmail` (or, since 1.59,
 * `sendForgotPasswordMessage`) set to false is modelled. It answers 200 `{changePasswordId}`, for the Change
 * Password API. Asking for a message gets a 400 `[NotModelled]` that says so.
 */
export async function forgotPasswordRoutes(app: FastifyInstance): Promise<void> {
  app.post('/user/forgot-password', { config: { public: true } }, async (request) => {
    const body = requireBody(request.body);
    const withApiKey = apiKeyOf(request);
    if (request.headers.authorization !== undefined && !withApiKey) throw ApiError.unauthorized();
    if (!withApiKey || body.sendForgotPasswordEmail !== false && body.sendForgotPasswordMessage !== false) {
      throw ApiError.general(
        '[NotModelled]',
        "Standin sends no email or SMS. Call with an API key and \"sendForgotPasswordEmail\": false to get the changePasswordId; see docs/compatibility.md.",
      );
    }
    if (typeof body.loginId !== 'string' || body.loginId === '') {
      new FieldErrors().add('loginId', 'blank', 'You must specify the [loginId] property.').throwIfAny();
    }
    const user = userByLoginId(app.standin.stores, requestTenant(request).id, body.loginId as string, body.loginIdTypes);
    if (!user) throw ApiError.notFound();
    const state = isObject(body.state) ? body.state : undefined;
    return { changePasswordId: startChangePassword(app.standin, user, body.changePasswordId, state) };
  });
}
