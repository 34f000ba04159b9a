import type { FastifyInstance, FastifyRequest } from 'fastify';
import { removalFromBody, removeMembers, searchMembers, writeMembers, type MemberRemoval } from '../../manage/group-members.js';
import { isObject } from '../../model/json.js';
import { uuidParams } from './schemas.js';
import { isVisible, namedTenantId } from './tenant-scope.js';

interface Params {
  memberId: string;
}

interface Query {
  groupId?: string;
  userId?: string[];
}

/**
 * FusionAuth's Group Member API (https://fusionauth.io/docs/apis/groups; docs/groups.md): add (POST) and replace
 * (PUT) members with `{members: {groupId: [{userId, id?, data?}]}}`, remove them by every documented DELETE form,
 * and search them.
 */
export async function groupMemberRoutes(app: FastifyInstance): Promise<void> {
  const visible = (request: FastifyRequest) => (tenantId: string) => isVisible(request, tenantId);
  const uuid = uuidParams('id').properties.id;
  // `userId` may repeat (`?groupId=…&userId=…&userId=…`); Fastify turns a single one into a list of one.
  const idQuery = { type: 'object', properties: { groupId: uuid, userId: { type: 'array', items: uuid, maxItems: 1000 } } } as const;

  app.post('/group/member', async (request) => writeMembers(app.standin, visible(request), request.body, 'add'));
  app.put('/group/member', async (request) => writeMembers(app.standin, visible(request), request.body, 'replace'));

  app.delete<{ Params: Params }>('/group/member/:memberId', { schema: { params: uuidParams('memberId') } }, async (request, reply) => {
    await removeMembers(app.standin, visible(request), { memberId: request.params.memberId });
    return reply.code(200).send();
  });
  app.delete<{ Querystring: Query }>('/group/member', { schema: { querystring: idQuery } }, async (request, reply) => {
    const { groupId, userId } = request.query;
    const removal: MemberRemoval =
      groupId === undefined ? removalFromBody(request.body) : { groupId, ...(userId === undefined ? {} : { userIds: userId }) };
    await removeMembers(app.standin, visible(request), removal);
    return reply.code(200).send();
  });

  app.get('/group/member/search', async (request) => searchMembers(app.standin.stores, request.query, namedTenantId(request), ''));
  app.post('/group/member/search', async (request) => {
    const body = request.body;
    return searchMembers(app.standin.stores, isObject(body) ? body.search : undefined, namedTenantId(request), 'search.');
  });
}
