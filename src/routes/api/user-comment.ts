import type { FastifyInstance } from 'fastify';
import { commentOnUser, searchUserComments } from '../../manage/user-comments.js';
import { found, uuidParams } from './schemas.js';
import { isVisible, namedTenantId } from './tenant-scope.js';

interface Params {
  userId: string;
}

/**
 * FusionAuth's user comments (https://fusionauth.io/docs/apis/users, "Comment on a User", "Retrieve a User's
 * Comments", "Search for User Comments"); docs/user-actions.md.
 */
export async function userCommentRoutes(app: FastifyInstance): Promise<void> {
  app.post('/user/comment', async (request) => ({
    userComment: commentOnUser(app.standin, request.body, (tenantId) => isVisible(request, tenantId)),
  }));
  app.get<{ Params: Params }>('/user/comment/:userId', { schema: { params: uuidParams('userId') } }, async (request) => {
    const user = found(request, app.standin.stores.users.get(request.params.userId.toLowerCase()));
    return { userComments: app.standin.stores.userComments.ofUser(user.id) };
  });
  app.post('/user/comment/search', async (request) => searchUserComments(app.standin, request.body, namedTenantId(request)));
}
