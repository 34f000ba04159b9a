import type { FastifyInstance } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { startForgotPassword } from '../../manage/forgot-password.js';
import { requireBody } from '../../manage/request-body.js';
import type { Application } from '../../model/application.js';
import { isObject, isUuid, shownValue } from '../../model/json.js';
import { apiKeyOf } from './caller.js';
import { userByLoginId } from './login-id.js';
import { isVisible, requestTenant } from './tenant-scope.js';

/**
 * FusionAuth's Start Forgot Password Workflow API, `POST /api/user/forgot-password`
 * (https://fusionauth.io/docs/apis/users/forgot-password): sends the forgot-password email (the application's
 * template, else the tenant's, else Standin's default; docs/forgot-password-and-passwordless.md) unless an API
 * key caller sets `sendForgotPasswordEmail` (or `sendForgotPasswordMessage`) to false. With an API key it answers
 * 200 `{changePasswordId}`; without one, 200 with no body. 404 for an unknown login id, 422 when the email
 * should go out and the user has no address.
 */
export async function forgotPasswordRoutes(app: FastifyInstance): Promise<void> {
  app.post('/user/forgot-password', { config: { public: true } }, async (request, reply) => {
    const body = requireBody(request.body);
    const withApiKey = apiKeyOf(request);
    if (request.headers.authorization !== undefined && !withApiKey) throw ApiError.unauthorized();
    // Only an API key caller may skip the email or choose the id (Forgot Password API).
    const send = !withApiKey || (body.sendForgotPasswordEmail !== false && body.sendForgotPasswordMessage !== false);
    const errors = new FieldErrors();
    if (typeof body.loginId !== 'string' || body.loginId === '') errors.add('loginId', 'blank', 'You must specify the [loginId] property.');
    let application: Application | undefined;
    if (body.applicationId !== undefined && body.applicationId !== null) {
      const found =
        typeof body.applicationId === 'string' && isUuid(body.applicationId) ? app.standin.stores.applications.get(body.applicationId) : undefined;
      if (!found || !isVisible(request, found.tenantId))
        errors.add('applicationId', 'invalid', `Invalid Application Id [${shownValue(body.applicationId)}].`);
      else application = found;
    }
    errors.throwIfAny();
    const tenantId = application?.tenantId ?? requestTenant(request).id;
    const user = userByLoginId(app.standin.stores, tenantId, body.loginId as string, body.loginIdTypes);
    if (!user) throw ApiError.notFound();
    const changePasswordId = startForgotPassword(app.standin, {
      user,
      send,
      ...(application ? { application } : {}),
      ...(isObject(body.state) ? { state: body.state } : {}),
      ...(withApiKey ? { changePasswordId: body.changePasswordId } : {}),
    });
    if (!withApiKey) return reply.code(200).send();
    return { changePasswordId };
  });
}
