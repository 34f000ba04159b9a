import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { requireMember } from '../../manage/request-body.js';
import { asksSetPasswordEmail } from '../../manage/set-password-email.js';
import { userWithRegistrations } from '../../manage/user-view.js';
import { createUser, deleteUser, updateUser } from '../../manage/users.js';
import { afterUserWritten, newUserInput, updatedUserInput } from '../../manage/email-verification.js';
import { isUuid, mergePatch, type JsonObject } from '../../model/json.js';
import type { User } from '../../model/user.js';
import { apiKeyOf, jwtUser } from './caller.js';
import { presentedJwt } from './jwt-auth.js';
import { userByLoginId } from './login-id.js';
import { eventInfoOfRequest } from './event-info.js';
import { found, hardDeleteOf, hardDeleteQuery, uuidParams } from './schemas.js';
import { requestTenant } from './tenant-scope.js';

interface Params {
  userId?: string;
}

interface Lookup {
  email?: string;
  loginId?: string;
  username?: string;
  changePasswordId?: string;
  loginIdTypes?: string[];
}

/** FusionAuth's User API. */
export async function userRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('userId');
  const get = (id: string | undefined) => (id === undefined ? undefined : app.standin.stores.users.get(id));
  const show = (user: User) => ({ user: userWithRegistrations(app.standin.stores, user) });
  // The request's `applicationId` picks the application's email templates, else the tenant's (User API).
  const applicationOf = (id: unknown) => (typeof id === 'string' && isUuid(id) ? app.standin.stores.applications.get(id.toLowerCase()) : undefined);

  for (const url of ['/user', '/user/:userId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => {
      const tenant = requestTenant(request);
      const body = request.body as JsonObject;
      const setPassword = asksSetPasswordEmail(body);
      const user = await createUser(
        app.standin,
        tenant.id,
        request.params.userId?.toLowerCase(),
        newUserInput(tenant, body, requireMember(body, 'user')),
        { info: eventInfoOfRequest(request), ...(setPassword ? { setPasswordEmail: { application: applicationOf(body.applicationId) } } : {}) },
      );
      // Only the set-password email goes out when one is asked for; choosing the password verifies the email.
      return { ...show(user), ...(setPassword ? {} : afterUserWritten(app.standin, tenant, user, body.applicationId)) };
    });
  }
  // `GET /api/user?email=…`, `?loginId=…` (email or username), `?username=…` and `?changePasswordId=…` with an
  // API key; with the user's own access token instead (`Authorization: Bearer`, or the `access_token` cookie),
  // that user (FusionAuth "Retrieve a User": JWT authentication, the TypeScript client's retrieveUserUsingJWT).
  app.get<{ Querystring: Lookup }>(
    '/user',
    {
      config: { public: true },
      schema: {
        querystring: {
          type: 'object',
          properties: {
            email: { type: 'string' },
            loginId: { type: 'string' },
            username: { type: 'string' },
            changePasswordId: { type: 'string' },
            loginIdTypes: { type: 'array', maxItems: 8, items: { type: 'string', maxLength: 32 } },
          },
        },
      },
    },
    async (request) => {
      if (!apiKeyOf(request)) {
        const token = presentedJwt(request);
        if (token === undefined) throw ApiError.unauthorized();
        return show(await jwtUser(request, token));
      }
      const { email, loginId, username, changePasswordId } = request.query;
      if (email === undefined && loginId === undefined && username === undefined && changePasswordId === undefined) {
        throw ApiError.general(
          '[missing]',
          'Specify a user by id in the path, or by one of the email, loginId, username or changePasswordId parameters.',
        );
      }
      if (changePasswordId !== undefined) {
        const grant = app.standin.stores.changePasswordIds.find(changePasswordId, app.standin.config.now());
        return show(found(request, grant === undefined ? undefined : get(grant.userId)));
      }
      const tenant = requestTenant(request);
      const user =
        email !== undefined
          ? app.standin.stores.users.byEmail(tenant.id, email)
          : loginId !== undefined
            ? userByLoginId(app.standin.stores, tenant.id, loginId, request.query.loginIdTypes)
            : app.standin.stores.users.byUsername(tenant.id, username!);
      return show(found(request, user));
    },
  );
  app.get<{ Params: Params }>('/user/:userId', { schema: { params } }, async (request) => show(found(request, get(request.params.userId))));
  app.put<{ Params: Params; Querystring: { reactivate?: string } }>('/user/:userId', { schema: { params } }, async (request) => {
    const existing = found(request, get(request.params.userId));
    const tenant = app.standin.stores.tenants.get(existing.tenantId)!;
    // FusionAuth's Reactivate a User: `PUT /api/user/{userId}?reactivate=true` with no body (TSC reactivateUser).
    const info = eventInfoOfRequest(request);
    if (request.query.reactivate === 'true') return show(await updateUser(app.standin, existing, existing, 'replace', { reactivate: true, info }));
    const user = await updateUser(app.standin, existing, updatedUserInput(tenant, existing, requireMember(request.body, 'user')), 'replace', {
      info,
    });
    return {
      ...show(user),
      ...(user.email !== existing.email ? afterUserWritten(app.standin, tenant, user, (request.body as JsonObject).applicationId) : {}),
    };
  });
  app.patch<{ Params: Params }>('/user/:userId', { schema: { params } }, async (request) => {
    const existing = found(request, get(request.params.userId));
    const tenant = app.standin.stores.tenants.get(existing.tenantId)!;
    const user = await updateUser(
      app.standin,
      existing,
      updatedUserInput(tenant, existing, mergePatch(existing, requireMember(request.body, 'user'))),
      'replace',
      { info: eventInfoOfRequest(request) },
    );
    return {
      ...show(user),
      ...(user.email !== existing.email ? afterUserWritten(app.standin, tenant, user, (request.body as JsonObject).applicationId) : {}),
    };
  });
  app.delete<{ Params: Params; Querystring: { hardDelete: boolean } }>(
    '/user/:userId',
    { schema: { params, querystring: hardDeleteQuery } },
    async (request, reply) => {
      await deleteUser(app.standin, found(request, get(request.params.userId)), hardDeleteOf(request), eventInfoOfRequest(request));
      return reply.code(200).send();
    },
  );
}
