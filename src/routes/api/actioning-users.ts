import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { actionsOf, changeAction, readBooleanParameter, takeAction } from '../../manage/action-user.js';
import { isUuid } from '../../model/json.js';
import type { UserActionLog } from '../../model/user-action-log.js';
import { found, uuidParams } from './schemas.js';
import { isVisible } from './tenant-scope.js';

interface Params {
  actionId?: string;
}

interface ListQuery {
  userId?: string;
  active?: string;
  preventingLogin?: string;
}

/**
 * FusionAuth's Actioning Users API (https://fusionauth.io/docs/apis/actioning-users; docs/user-actions.md):
 * `{action}` in, `{action}` or `{actions}` out. An action is seen only by a request that may see its user.
 */
export async function actioningUserRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('actionId');
  const visible = (request: FastifyRequest) => (tenantId: string) => isVisible(request, tenantId);
  const visibleLog = (request: FastifyRequest<{ Params: Params }>): UserActionLog => {
    const id = request.params.actionId?.toLowerCase();
    const log = id === undefined ? undefined : app.standin.stores.userActionLogs.get(id);
    const user = log ? app.standin.stores.users.get(log.actioneeUserId) : undefined;
    if (!log || !user || !isVisible(request, user.tenantId)) throw ApiError.notFound();
    return log;
  };

  app.post('/user/action', async (request) => ({ action: takeAction(app.standin, request.body, visible(request)) }));
  app.get<{ Querystring: ListQuery }>('/user/action', async (request) => {
    const { userId } = request.query;
    if (userId === undefined || userId === '') new FieldErrors().add('userId', 'blank', 'You must specify the [userId] parameter.').throwIfAny();
    const user = found(request, isUuid(userId) ? app.standin.stores.users.get(userId.toLowerCase()) : undefined);
    const active = readBooleanParameter(request.query.active);
    const preventingLogin = readBooleanParameter(request.query.preventingLogin);
    return {
      actions: actionsOf(app.standin, user.id, { ...(active === undefined ? {} : { active }), ...(preventingLogin ? { preventingLogin } : {}) }),
    };
  });
  app.get<{ Params: Params }>('/user/action/:actionId', { schema: { params } }, async (request) => ({ action: visibleLog(request) }));
  app.put<{ Params: Params }>('/user/action/:actionId', { schema: { params } }, async (request) => ({
    action: changeAction(app.standin, visibleLog(request), request.body, 'modify'),
  }));
  app.delete<{ Params: Params }>('/user/action/:actionId', { schema: { params } }, async (request) => ({
    action: changeAction(app.standin, visibleLog(request), request.body, 'cancel'),
  }));
}
