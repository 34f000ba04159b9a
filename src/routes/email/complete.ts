import type { FastifyInstance } from 'fastify';
import type { VerificationKind } from '../../store/verification-ids.js';
import { WORDS } from './verify-page.js';

/** `GET /email/complete` (and `/registration/complete`): where a verified link ends. */
export function completeRoute(app: FastifyInstance, kind: VerificationKind): void {
  const words = WORDS[kind];
  app.get('/complete', async (_request, reply) => reply.view('email-complete', { title: words.completeTitle, message: words.completeMessage }));
}
