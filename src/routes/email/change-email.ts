import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { isLegitimatePagePost } from '../../http/csrf.js';
import { emailGate, startEmailVerification } from '../../manage/email-verification.js';
import { updateUser } from '../../manage/users.js';
import type { User } from '../../model/user.js';
import type { Standin } from '../../standin.js';
import { allowsEmailChange, renderGate } from './gate-page.js';
import { contextOf, OAUTH_FIELDS, refused, text, type Body } from './shared.js';

/**
 * The gate's "change email" form (`action=changeEmail`, offered under the tenant's
 * `emailConfiguration.unverified.allowEmailChangeWhenGated`): the user, who typed a wrong address at sign-up, gives
 * another; it is saved unverified, as an update through the User API would, and the verification email goes to it.
 * The user is the one the gate was shown to (`userEmail`, bound to the form's token, which only Standin can make).
 */
export async function changeEmail(standin: Standin, request: FastifyRequest, reply: FastifyReply, body: Body): Promise<FastifyReply> {
  if (!isLegitimatePagePost(request, 'gate-email-change', body, [...OAUTH_FIELDS, 'userEmail'], standin.pageKey)) return refused(reply);
  const context = contextOf(standin, body);
  const user = context.tenant ? standin.stores.users.byEmail(context.tenant.id, text(body.userEmail) ?? '') : undefined;
  if (!user || !context.tenant || emailGate(context.tenant, user) !== 'gated' || !allowsEmailChange(context.tenant)) return refused(reply);
  const tenant = context.tenant;
  const again = (who: User, message: { notice?: string; error?: string }, status = 200) =>
    renderGate(standin, request, reply, 'email', { ...body, email: who.email ?? '' }, who, tenant, undefined, message, status);
  const email = (text(body.email) ?? '').trim();
  if (email === '') return again(user, { error: 'Enter the new email address.' }, 400);
  let updated: User;
  try {
    updated = await updateUser(standin, user, { email, verified: false }, 'merge');
  } catch (error) {
    if (!(error instanceof ApiError) || error.statusCode !== 400) throw error;
    const code = /^\[([^\]]+)\]/.exec(error.errors?.fieldErrors['user.email']?.[0]?.code ?? '')?.[1];
    return again(user, { error: code === 'duplicate' ? 'An account already exists for that email' : 'Invalid email' }, 400);
  }
  startEmailVerification(standin, updated, tenant, context.application, true);
  return again(updated, { notice: `Your email address has been updated to ${email}. A verification email is on the way.` });
}
