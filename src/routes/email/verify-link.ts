import type { FastifyInstance } from 'fastify';
import { completeVerification, findVerification } from '../../manage/email-verification.js';
import type { VerificationKind } from '../../store/verification-ids.js';
import { text, type Body } from './shared.js';
import { basePath, completeUrl, INVALID_ID, needsCode, verifyPage } from './verify-page.js';

/**
 * `GET /email/verify/{verificationId}` (and `/registration/verify/…`): the emailed link. A page whose button POSTs
 * the id, so a mail scanner that follows links verifies nothing.
 */
export function verifyLinkRoute(app: FastifyInstance, kind: VerificationKind): void {
  const base = basePath(kind);
  app.get<{ Params: { verificationId: string }; Querystring: Body }>(
    '/verify/:verificationId',
    { schema: { params: { type: 'object', properties: { verificationId: { type: 'string', maxLength: 512 } } } } },
    async (request, reply) => {
      const query = request.query;
      const verificationId = request.params.verificationId;
      const grant = findVerification(app.standin, kind, { verificationId });
      if (!grant) return verifyPage(kind, request, reply, { mode: 'invalid', query, error: INVALID_ID }, 404);
      // postMethod=false: the link verifies at once (FusionAuth's `postMethod`, which defaults to true on this page).
      if (text(query.postMethod) === 'false' && !needsCode(app.standin, kind, grant)) {
        completeVerification(app.standin, kind, grant);
        return reply.redirect(completeUrl(base, query), 302);
      }
      return verifyPage(kind, request, reply, { mode: 'confirm', query: { ...query, verificationId } });
    },
  );
}
