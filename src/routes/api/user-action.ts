import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { readBooleanParameter } from '../../manage/action-user.js';
import { createUserAction, setUserActionActive, updateUserAction } from '../../manage/user-actions.js';
import { requireBody } from '../../manage/request-body.js';
import type { UserAction } from '../../model/user-action.js';
import { hardDeleteQuery, uuidParams } from './schemas.js';

interface Params {
  userActionId?: string;
}

/**
 * FusionAuth's User Action API (https://fusionauth.io/docs/apis/user-actions; docs/user-actions.md): the definitions
 * of what can be done to a user. Global, as in FusionAuth. `GET /api/user-action` lists the active ones,
 * `?inactive=true` the soft-deleted ones; `DELETE` deactivates unless `hardDelete=true`; `PUT ?reactivate=true`
 * brings one back.
 */
export async function userActionRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('userActionId');
  const found = (id: string | undefined): UserAction => {
    const action = id === undefined ? undefined : app.standin.stores.userActions.get(id.toLowerCase());
    if (!action) throw ApiError.notFound();
    return action;
  };

  for (const url of ['/user-action', '/user-action/:userActionId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => ({
      userAction: createUserAction(app.standin, request.params.userActionId?.toLowerCase(), requireBody(request.body)),
    }));
  }
  app.get<{ Querystring: { inactive?: string } }>('/user-action', async (request) => {
    const inactive = readBooleanParameter(request.query.inactive) === true;
    return { userActions: app.standin.stores.userActions.list().filter((action) => action.active !== inactive) };
  });
  app.get<{ Params: Params }>('/user-action/:userActionId', { schema: { params } }, async (request) => ({
    userAction: found(request.params.userActionId),
  }));
  app.put<{ Params: Params; Querystring: { reactivate?: string } }>('/user-action/:userActionId', { schema: { params } }, async (request) => {
    const existing = found(request.params.userActionId);
    if (readBooleanParameter(request.query.reactivate) === true) return { userAction: setUserActionActive(app.standin, existing, true) };
    return { userAction: updateUserAction(app.standin, existing, requireBody(request.body), 'replace') };
  });
  app.patch<{ Params: Params }>('/user-action/:userActionId', { schema: { params } }, async (request) => ({
    userAction: updateUserAction(app.standin, found(request.params.userActionId), requireBody(request.body), 'merge'),
  }));
  app.delete<{ Params: Params; Querystring: { hardDelete: boolean } }>(
    '/user-action/:userActionId',
    { schema: { params, querystring: hardDeleteQuery } },
    async (request, reply) => {
      const existing = found(request.params.userActionId);
      // A hard delete takes every action taken with it (ON DELETE CASCADE), as FusionAuth's does.
      if (request.query.hardDelete) app.standin.stores.userActions.delete(existing.id);
      else setUserActionActive(app.standin, existing, false);
      return reply.code(200).send();
    },
  );
}
