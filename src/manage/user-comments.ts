import { randomUUID } from 'node:crypto';
import { FieldErrors } from '../errors.js';
import { isObject, isUuid, type JsonObject } from '../model/json.js';
import type { Standin } from '../standin.js';
import { USER_COMMENT_ORDER_FIELDS, type UserComment } from '../store/user-comments.js';
import type { TenantVisible } from './action-user.js';
import { requireMember } from './request-body.js';
import { likePattern } from './like-pattern.js';
import { searchPage } from './search-page.js';

/**
 * `POST /api/user/comment` (https://fusionauth.io/docs/apis/users, "Comment on a User"): `{userComment: {userId,
 * commenterId, comment}}` in, the stored comment out, with its `id` and `insertInstant`.
 */
export function commentOnUser(standin: Standin, body: unknown, visible: TenantVisible): UserComment {
  const input = requireMember(body, 'userComment');
  const errors = new FieldErrors();
  const userId = userIdOf(standin, input, 'userId', errors, visible);
  const commenterId = userIdOf(standin, input, 'commenterId', errors, () => true);
  if (typeof input.comment !== 'string' || input.comment.trim() === '')
    errors.add('userComment.comment', 'blank', 'You must specify the [userComment.comment] property.');
  errors.throwIfAny();
  const comment: UserComment = {
    id: randomUUID(),
    userId: userId!,
    commenterId: commenterId!,
    comment: input.comment as string,
    insertInstant: standin.config.now(),
  };
  standin.stores.userComments.insert(comment);
  return comment;
}

const ORDER_FIELDS = Object.keys(USER_COMMENT_ORDER_FIELDS) as (keyof typeof USER_COMMENT_ORDER_FIELDS)[];

/**
 * `POST /api/user/comment/search` (FusionAuth's UserCommentSearchCriteria): `userId`, `commenterId` and `tenantId`
 * match exactly, `comment` as a substring without regard to case (`*` standing for anything); paged as every search.
 */
export function searchUserComments(
  standin: Standin,
  body: unknown,
  scopedTenantId: string | undefined,
): { userComments: UserComment[]; total: number } {
  const given = isObject(body) && isObject(body.search) ? body.search : {};
  const page = searchPage(given, ORDER_FIELDS, 'insertInstant', 'search.');
  const errors = new FieldErrors();
  for (const field of ['userId', 'commenterId', 'tenantId'] as const) {
    if (given[field] !== undefined && given[field] !== null && !isUuid(given[field]))
      errors.add(`search.${field}`, 'invalid', `The [search.${field}] property must be an Id.`);
  }
  if (given.comment !== undefined && given.comment !== null && typeof given.comment !== 'string')
    errors.add('search.comment', 'invalid', 'The [search.comment] property must be a string.');
  errors.throwIfAny();
  const id = (field: string) => {
    const value = given[field];
    return typeof value === 'string' ? value.toLowerCase() : undefined;
  };
  const text = typeof given.comment === 'string' && given.comment.trim() !== '' ? given.comment.trim() : undefined;
  const { comments, total } = standin.stores.userComments.search({
    ...page,
    userId: id('userId'),
    commenterId: id('commenterId'),
    tenantId: scopedTenantId ?? id('tenantId'),
    commentLike: likePattern(text),
  });
  return { userComments: comments, total };
}

function userIdOf(standin: Standin, input: JsonObject, field: string, errors: FieldErrors, visible: TenantVisible): string | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') {
    errors.add(`userComment.${field}`, 'blank', `You must specify the [userComment.${field}] property.`);
    return undefined;
  }
  const user = isUuid(value) ? standin.stores.users.get(value.toLowerCase()) : undefined;
  if (!user || !visible(user.tenantId)) {
    errors.add(`userComment.${field}`, 'invalid', `The [userComment.${field}] property does not name an existing user.`);
    return undefined;
  }
  return user.id;
}
