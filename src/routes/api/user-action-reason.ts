import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.js';
import { requireBody } from '../../manage/request-body.js';
import { createUserActionReason, updateUserActionReason } from '../../manage/user-action-reasons.js';
import type { UserActionReason } from '../../model/user-action-reason.js';
import { uuidParams } from './schemas.js';

interface Params {
  userActionReasonId?: string;
}

/**
 * FusionAuth's User Action Reason API (https://fusionauth.io/docs/apis/user-action-reasons; docs/user-actions.md):
 * why a user was actioned, named by `reasonId` on the Actioning Users API. Global: a key bound to a tenant may not
 * call it (model/api-key.ts). A delete is a hard delete; an action already taken keeps the reason's text and code.
 */
export async function userActionReasonRoutes(app: FastifyInstance): Promise<void> {
  const params = uuidParams('userActionReasonId');
  const found = (id: string | undefined): UserActionReason => {
    const reason = id === undefined ? undefined : app.standin.stores.userActionReasons.get(id.toLowerCase());
    if (!reason) throw ApiError.notFound();
    return reason;
  };

  for (const url of ['/user-action-reason', '/user-action-reason/:userActionReasonId']) {
    app.post<{ Params: Params }>(url, { schema: { params } }, async (request) => ({
      userActionReason: createUserActionReason(app.standin, request.params.userActionReasonId?.toLowerCase(), requireBody(request.body)),
    }));
  }
  app.get('/user-action-reason', async () => ({ userActionReasons: app.standin.stores.userActionReasons.list() }));
  app.get<{ Params: Params }>('/user-action-reason/:userActionReasonId', { schema: { params } }, async (request) => ({
    userActionReason: found(request.params.userActionReasonId),
  }));
  app.put<{ Params: Params }>('/user-action-reason/:userActionReasonId', { schema: { params } }, async (request) => ({
    userActionReason: updateUserActionReason(app.standin, found(request.params.userActionReasonId), requireBody(request.body), 'replace'),
  }));
  app.patch<{ Params: Params }>('/user-action-reason/:userActionReasonId', { schema: { params } }, async (request) => ({
    userActionReason: updateUserActionReason(app.standin, found(request.params.userActionReasonId), requireBody(request.body), 'merge'),
  }));
  app.delete<{ Params: Params }>('/user-action-reason/:userActionReasonId', { schema: { params } }, async (request, reply) => {
    app.standin.stores.userActionReasons.delete(found(request.params.userActionReasonId).id);
    return reply.code(200).send();
  });
}
