import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { createUserAndRegistration, registerUser, updateRegistration } from '../../manage/registrations.js';
import { requireBody, requireMember } from '../../manage/request-body.js';
import { userWithRegistrations } from '../../manage/users.js';
import { found, uuidParams } from './schemas.js';
import { requestTenant } from './tenant-scope.js';

interface Params {
  userId?: string;
  applicationId?: string;
}

/**
 * FusionAuth's Registration API. `POST /api/user/registration[/{userId}]` with a `user` member creates the
 * user and the registration together; without one it registers the existing user `{userId}`.
 */
export async function registrationRoutes(app: FastifyInstance): Promise<void> {
  const { standin } = app;
  const { stores, config } = standin;
  const userParams = uuidParams('userId');
  const bothParams = uuidParams('userId', 'applicationId');
  const userOf = (request: FastifyRequest<{ Params: Params }>) => found(request, request.params.userId ? stores.users.get(request.params.userId.toLowerCase()) : undefined);
  const registrationOf = (request: FastifyRequest<{ Params: Params }>, applicationId: unknown) => {
    const user = userOf(request);
    const registration = typeof applicationId === 'string' ? stores.registrations.get(user.id, applicationId.toLowerCase()) : undefined;
    if (!registration) throw ApiError.notFound();
    return { user, registration };
  };

  for (const url of ['/user/registration', '/user/registration/:userId']) {
    app.post<{ Params: Params }>(url, { schema: { params: userParams } }, async (request) => {
      const body = requireBody(request.body);
      const userId = request.params.userId?.toLowerCase();
      if (body.user !== undefined) {
        const tenant = requestTenant(request);
        const { user, registration } = await createUserAndRegistration(standin, tenant.id, userId, body);
        return { user: userWithRegistrations(stores, user), registration };
      }
      if (userId === undefined) {
        throw ApiError.general('[missing]user', 'Send a [user] to create with the registration, or the id of an existing user in the path.');
      }
      return { registration: registerUser(stores, config.now(), userOf(request), body.registration) };
    });
  }
  app.get<{ Params: Params }>('/user/registration/:userId/:applicationId', { schema: { params: bothParams } }, async (request) => ({
    registration: registrationOf(request, request.params.applicationId).registration,
  }));
  // FusionAuth takes the application from the path or, in `PUT /api/user/registration/{userId}`, from the body.
  for (const [method, mode] of [['put', 'replace'], ['patch', 'merge']] as const) {
    for (const url of ['/user/registration/:userId', '/user/registration/:userId/:applicationId']) {
      app[method]<{ Params: Params }>(url, { schema: { params: bothParams } }, async (request) => {
        const input = requireMember(request.body, 'registration');
        const { user, registration } = registrationOf(request, request.params.applicationId ?? input.applicationId);
        return { registration: updateRegistration(stores, config.now(), user, registration, input, mode) };
      });
    }
  }
  app.delete<{ Params: Params }>('/user/registration/:userId/:applicationId', { schema: { params: bothParams } }, async (request, reply) => {
    const { user, registration } = registrationOf(request, request.params.applicationId);
    stores.registrations.delete(user.id, registration.applicationId);
    return reply.code(200).send();
  });
}
