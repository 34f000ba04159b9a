import type { FastifyInstance } from 'fastify';
import { ApiError, FieldErrors } from '../../errors.js';
import { addFamilyMember, createFamily, familiesOf, pendingChildren, sendFamilyRequest, visibleFamily } from '../../manage/families.js';
import { userWithRegistrations } from '../../manage/user-view.js';
import { isUuid } from '../../model/json.js';
import { found, uuidParams } from './schemas.js';
import { isVisible, namedTenantId, requestTenant } from './tenant-scope.js';

interface Params {
  familyId?: string;
  userId?: string;
}

const stringQuery = (name: string) => ({ type: 'object', properties: { [name]: { type: 'string' } } }) as const;

/**
 * FusionAuth's Family API (https://fusionauth.io/docs/apis/families): create a family with its adult owner, add or
 * change a member, retrieve a family or a user's families, remove a member, the children pending a parent, and the
 * family request email. Scoped to the tenant the request acts in through the members.
 */
export async function familyRoutes(app: FastifyInstance): Promise<void> {
  const familyParams = uuidParams('familyId');

  for (const url of ['/user/family', '/user/family/:familyId']) {
    app.post<{ Params: Params }>(url, { schema: { params: familyParams } }, async (request) => ({
      family: createFamily(app.standin, request.params.familyId, request.body, (tenantId) => isVisible(request, tenantId)),
    }));
  }
  app.get<{ Querystring: { userId?: string } }>('/user/family', { schema: { querystring: stringQuery('userId') } }, async (request) => {
    const { userId } = request.query;
    if (userId === undefined) throw ApiError.general('[invalid]', 'You must specify either the [familyId] in the URL or the [userId] parameter.');
    const user = found(request, isUuid(userId) ? app.standin.stores.users.get(userId.toLowerCase()) : undefined);
    return { families: familiesOf(app.standin.stores, user.id) };
  });
  app.get<{ Querystring: { parentEmail?: string } }>(
    '/user/family/pending',
    { schema: { querystring: stringQuery('parentEmail') } },
    async (request) => {
      const { parentEmail } = request.query;
      if (parentEmail === undefined || parentEmail.trim() === '') {
        new FieldErrors().add('parentEmail', 'blank', 'You must specify the [parentEmail] parameter.').throwIfAny();
      }
      const users = pendingChildren(app.standin.stores, parentEmail!.trim(), namedTenantId(request));
      return { users: users.map((user) => userWithRegistrations(app.standin.stores, user)) };
    },
  );
  app.post('/user/family/request', async (request, reply) => {
    sendFamilyRequest(app.standin, requestTenant(request), request.body);
    return reply.code(200).send();
  });
  app.get<{ Params: Params }>('/user/family/:familyId', { schema: { params: familyParams } }, async (request) => {
    const family = visibleFamily(app.standin.stores, request.params.familyId!.toLowerCase(), (tenantId) => isVisible(request, tenantId));
    if (!family) throw ApiError.notFound();
    return { family };
  });
  app.put<{ Params: Params }>('/user/family/:familyId', { schema: { params: familyParams } }, async (request) => ({
    family: addFamilyMember(app.standin, request.params.familyId!.toLowerCase(), request.body, (tenantId) => isVisible(request, tenantId)),
  }));
  app.delete<{ Params: Params }>(
    '/user/family/:familyId/:userId',
    { schema: { params: uuidParams('familyId', 'userId') } },
    async (request, reply) => {
      const familyId = request.params.familyId!.toLowerCase();
      const user = app.standin.stores.users.get(request.params.userId!.toLowerCase());
      if (!user || !isVisible(request, user.tenantId) || !app.standin.stores.familyMembers.delete(familyId, user.id)) throw ApiError.notFound();
      return reply.code(200).send();
    },
  );
}
