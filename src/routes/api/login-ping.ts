import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { userWithRegistrations } from '../../manage/user-view.js';
import { isObject, isUuid } from '../../model/json.js';
import { recordLogin } from '../../oauth/record-login.js';
import { uuidParams } from './schemas.js';
import { isVisible } from './tenant-scope.js';

/**
 * FusionAuth's "Update Login Instant" (Login API; TSC `loginPing` sends `PUT /api/login/{userId}/{applicationId}
 * ?ipAddress=`, `loginPingWithRequest` a JSON body): records a login that happened elsewhere, such as a
 * session restored from a remembered JWT. 200 `{user}`; 202 when the user is not registered to the
 * application; an empty 404 for an unknown user.
 */
export async function loginPingRoutes(app: FastifyInstance): Promise<void> {
  app.put<{ Params: { userId: string; applicationId: string } }>(
    '/login/:userId/:applicationId',
    { schema: { params: uuidParams('userId', 'applicationId') } },
    async (request, reply) => ping(request, reply, request.params.userId, request.params.applicationId),
  );
  app.put('/login', async (request, reply) => {
    const body = isObject(request.body) ? request.body : {};
    const errors = new FieldErrors();
    for (const field of ['userId', 'applicationId'] as const) {
      if (typeof body[field] !== 'string' || !isUuid(body[field])) errors.add(field, 'invalid', `The [${field}] property must be a UUID.`);
    }
    errors.throwIfAny();
    return ping(request, reply, body.userId as string, body.applicationId as string);
  });
}

function ping(request: FastifyRequest, reply: FastifyReply, userId: string, applicationId: string): FastifyReply {
  const { stores, config } = request.server.standin;
  const application = stores.applications.get(applicationId);
  if (!application || !isVisible(request, application.tenantId)) {
    new FieldErrors().add('applicationId', 'invalid', `Invalid Application Id [${applicationId}].`).throwIfAny();
  }
  const result = stores.db
    .transaction(() => {
      const user = stores.users.get(userId);
      if (!user || !user.active || !isVisible(request, user.tenantId) || user.tenantId !== application!.tenantId) return undefined;
      const updated = recordLogin(stores, user, application!.id, config.now(), { ipAddress: request.ip });
      return { user: updated, registered: stores.registrations.get(user.id, application!.id) !== undefined };
    })
    .immediate();
  if (!result) throw ApiError.notFound();
  return reply.code(result.registered ? 200 : 202).send({ user: userWithRegistrations(stores, result.user) });
}
