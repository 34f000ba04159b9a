import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { VerificationKind } from '../../store/verification-ids.js';
import { completeRoute } from './complete.js';
import { gateRoutes } from './gate.js';
import { verifyLinkRoute } from './verify-link.js';
import { verifyRoute } from './verify.js';

const BODY_LIMIT = 16 * 1024;

/**
 * FusionAuth's hosted email verification pages (https://fusionauth.io/docs/lifecycle/manage-users/verification/gate-accounts-until-user-email-verified):
 * `/email/verify/{verificationId}` (the emailed link: a page whose button POSTs the id, so a mail scanner that
 * follows links verifies nothing), `/email/verify` (that POST, and "send me another"), `/email/complete`, and
 * `/email/verification-required`, the gate a Gated tenant's unverified user meets after logging in. Every form
 * carries a CSRF token (oauth/page-csrf.ts). See docs/email-verification.md. One file per endpoint; the gate
 * page a login meets is `gate-page.ts` (`verificationGateFor`).
 */
export async function emailRoutes(app: FastifyInstance): Promise<void> {
  await verificationPages(app, 'email');
  gateRoutes(app, 'email');
}

/**
 * FusionAuth's hosted registration verification pages: `/registration/verify/{verificationId}` (the emailed link),
 * `/registration/verify` and `/registration/complete`, as the email ones.
 */
export async function registrationVerifyRoutes(app: FastifyInstance): Promise<void> {
  await verificationPages(app, 'registration');
  gateRoutes(app, 'registration');
}

async function verificationPages(app: FastifyInstance, kind: VerificationKind): Promise<void> {
  app.removeAllContentTypeParsers();
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
  });
  verifyLinkRoute(app, kind);
  verifyRoute(app, kind);
  completeRoute(app, kind);
}
