import type { FastifyReply } from 'fastify';
import { CHANGE_PASSWORD_REASON, requiredPasswordChange } from '../../manage/required-password-change.js';
import type { User } from '../../model/user.js';
import type { Standin } from '../../standin.js';

/**
 * The Login API's 203, `{changePasswordId, changePasswordReason}`, for a user who must change their password first
 * (https://fusionauth.io/docs/apis/login), from `/api/login`, `/api/two-factor/login` and `/api/passwordless/login`
 * alike; undefined when the user need not. The last step before tokens (manage/required-password-change.ts).
 * `/api/two-factor/login` adds its `trustToken`: the change that follows needs one (docs/two-factor.md).
 */
export function passwordChangeAnswer(
  standin: Standin,
  reply: FastifyReply,
  user: User,
  trust: { trustToken?: string } = {},
): FastifyReply | undefined {
  const changePasswordId = requiredPasswordChange(standin, user);
  return changePasswordId === undefined
    ? undefined
    : reply.code(203).send({ changePasswordId, changePasswordReason: CHANGE_PASSWORD_REASON, ...trust });
}
