import type { FastifyReply } from 'fastify';
import { requiredPasswordChange } from '../../manage/required-password-change.js';
import type { User } from '../../model/user.js';
import type { Standin } from '../../standin.js';
import { carriedFields } from '../password/hosted-context.js';

/**
 * A hosted login whose user must change their password (`passwordChangeRequired`) goes to the change page instead of
 * back to the client, as FusionAuth's does, carrying the authorization request: the page says why, and the change
 * ends the login with the code at the redirect_uri (routes/password/index.ts). Called once every factor has passed;
 * undefined when no change is required.
 */
export function passwordChangeFirst(standin: Standin, reply: FastifyReply, user: User, params: Record<string, unknown>): FastifyReply | undefined {
  const changePasswordId = requiredPasswordChange(standin, user);
  if (changePasswordId === undefined) return undefined;
  const query = new URLSearchParams(carriedFields(params)).toString();
  return reply.redirect(`/password/change/${encodeURIComponent(changePasswordId)}${query === '' ? '' : `?${query}`}`, 302);
}
