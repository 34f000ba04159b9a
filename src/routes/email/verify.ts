import type { FastifyInstance } from 'fastify';
import { isLegitimatePagePost } from '../../http/csrf.js';
import { completeVerification, findVerification } from '../../manage/email-verification.js';
import type { VerificationKind } from '../../store/verification-ids.js';
import { contextOf, isBody, refused, resend, text, type Body } from './shared.js';
import { basePath, completeUrl, INVALID_ID, LINK_FIELDS, needsCode, verifyPage } from './verify-page.js';

/** `POST /email/verify` (and `/registration/verify`): the link page's button, or "send me another". */
export function verifyRoute(app: FastifyInstance, kind: VerificationKind): void {
  const base = basePath(kind);
  app.post<{ Body: Body }>('/verify', async (request, reply) => {
    const body = isBody(request.body) ? request.body : {};
    const verificationId = text(body.verificationId);
    if (verificationId !== undefined) {
      if (!isLegitimatePagePost(request, 'verify', body, LINK_FIELDS)) return refused(reply);
      const grant = findVerification(app.standin, kind, { verificationId });
      if (!grant || needsCode(app.standin, kind, grant) || !completeVerification(app.standin, kind, grant)) {
        return verifyPage(kind, request, reply, { mode: 'invalid', query: body, error: INVALID_ID }, 404);
      }
      return reply.redirect(completeUrl(base, body), 302);
    }
    if (!isLegitimatePagePost(request, 'resend', body, ['client_id', 'tenantId'])) return refused(reply);
    const email = text(body.email);
    if (email === undefined) return verifyPage(kind, request, reply, { mode: 'invalid', query: body, error: 'Enter your email address.' }, 400);
    resend(app.standin, kind, contextOf(app.standin, body), email);
    // The same answer whether or not the address belongs to anyone (docs/hardening.md, "Enumeration").
    return verifyPage(kind, request, reply, { mode: 'sent', query: body, email });
  });
}
