import type { FastifyInstance } from 'fastify';
import { isLegitimatePagePost } from '../../http/csrf.js';
import { completeVerification, findVerification } from '../../manage/email-verification.js';
import type { VerificationKind } from '../../store/verification-ids.js';
import { changeEmail } from './change-email.js';
import { renderGate } from './gate-page.js';
import { contextOf, isBody, OAUTH_FIELDS, oauthFields, refused, resend, text, type Body } from './shared.js';

/**
 * The gate's forms (`POST /email/verification-required`, `POST /registration/verification-required`): "Send me
 * another email" (`action=resend`) and, under the form-field strategy, the code (`action=verify`), after which
 * the browser goes back to the authorization request it came from.
 */
export function gateRoutes(app: FastifyInstance, kind: VerificationKind): void {
  app.post<{ Body: Body }>('/verification-required', async (request, reply) => {
    const body = isBody(request.body) ? request.body : {};
    if (kind === 'email' && body.action === 'changeEmail') return changeEmail(app.standin, request, reply, body);
    if (!isLegitimatePagePost(request, `gate-${kind}`, body, [...OAUTH_FIELDS, 'email'], app.standin.pageKey)) return refused(reply);
    const email = text(body.email) ?? '';
    const context = contextOf(app.standin, body);
    const user = context.tenant ? app.standin.stores.users.byEmail(context.tenant.id, email) : undefined;
    if (!user || !context.tenant || (kind === 'registration' && !context.application)) return refused(reply);
    const again = (message: { notice?: string; error?: string }, status = 200) =>
      renderGate(app.standin, request, reply, kind, body, user, context.tenant!, context.application, message, status);
    if (body.action === 'resend') {
      resend(app.standin, kind, context, email);
      return again({ notice: 'A verification email is on the way.' });
    }
    if (body.action === 'verify') {
      const oneTimeCode = text(body.oneTimeCode);
      const grant = oneTimeCode === undefined ? undefined : findVerification(app.standin, kind, { userId: user.id, oneTimeCode });
      const right = grant !== undefined && (kind === 'email' || grant.applicationId === context.application?.id);
      if (!right || !completeVerification(app.standin, kind, grant)) return again({ error: 'The verification code is invalid or has expired.' }, 400);
      return reply.redirect(`/oauth2/authorize?${new URLSearchParams(oauthFields(body))}`, 303);
    }
    return refused(reply);
  });
}
