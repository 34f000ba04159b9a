import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { requireMember } from '../../manage/request-body.js';
import { createUser, deleteUser, updateUser, userWithRegistrations } from '../../manage/users.js';
import type { User } from '../../model/user.js';
import { found, hardDeleteQuery, uuidParams } from './schemas.js';
import { requestTenant } from './tenant-scope.js';

interface Params {
  userId?: string;
}

interface Lookup {
  email?: string;
  loginId?: string;
  username?: string;
}

/** FusionAuth's User API. */
export async function userRoutes(app: FastifyInstance): Promise<void> {
  const { standin } = app;
  const { stores, config } = standin;
  const params = uuidParams('userId');
  const get = (id: string | undefined) => (id === undefined ? undefined : stores.users.get(id.toLowerCase()));
  const show = (user: User) => ({ user: userWithRegistrations(stores, user) });

  for (const url of ['/user', '/user/:userId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const tenant = requestTenant(request);
      return show(await createUser(standin, tenant.id, request.params.userId?.toLowerCase(), requireMember(request.body, 'user')));
    });
  }
  // `GET /api/user?email=…`, `?loginId=…` (email or username) and `?username=…`.
  app.get<{ Querystring: Lookup }>(
    '/user',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { email: { type: 'string' }, loginId: { type: 'string' }, username: { type: 'string' } },
        },
      },
    },
    async (request) => {
      const { email, loginId, username } = request.query;
      if (email === undefined && loginId === undefined && username === undefined) {
        throw ApiError.general('[missing]', 'Specify a user by id in the path, or by one of the email, loginId or username parameters.');
      }
      const tenant = requestTenant(request);
      const user =
        email !== undefined
          ? stores.users.byEmail(tenant.id, email)
          : loginId !== undefined
            ? stores.users.byLoginId(tenant.id, loginId)
            : stores.users.byUsername(tenant.id, username!);
      return show(found(request, user));
    },
  );
  app.get<{ Params: Params }>('/user/:userId', { schema: { params } }, async (request) => show(found(request, get(request.params.userId))));
  app.put<{ Params: Params }>('/user/:userId', { schema: { params } }, async (request) => {
    const existing = found(request, get(request.params.userId));
    return show(await updateUser(standin, existing, requireMember(request.body, 'user'), 'replace'));
  });
  app.patch<{ Params: Params }>('/user/:userId', { schema: { params } }, async (request) => {
    const existing = found(request, get(request.params.userId));
    return show(await updateUser(standin, existing, requireMember(request.body, 'user'), 'merge'));
  });
  app.delete<{ Params: Params; Querystring: { hardDelete: boolean } }>(
    '/user/:userId',
    { schema: { params, querystring: hardDeleteQuery } },
    async (request, reply) => {
      deleteUser(stores, config.now(), found(request, get(request.params.userId)), request.query.hardDelete);
      return reply.code(200).send();
    },
  );
}
