import type { FastifyReply, FastifyRequest } from 'fastify';
import { pageCsrfSecret } from '../../http/csrf.js';
import { grantStrategy } from '../../manage/email-verification.js';
import { pageCsrfToken } from '../../oauth/page-csrf.js';
import type { Standin } from '../../standin.js';
import type { VerificationGrant, VerificationKind } from '../../store/verification-ids.js';
import { text, type Body, type Fields } from './shared.js';

export const LINK_FIELDS = ['verificationId', 'client_id', 'tenantId'];
export const INVALID_ID =
  'Sorry. The request contains an invalid or expired verification Id. You may need to request another verification to be sent.';

export const WORDS = {
  email: {
    heading: 'Verify your email',
    confirmText: 'Confirm that this address is yours.',
    button: 'Verify my email',
    completeTitle: 'Email verification complete',
    completeMessage: 'Thank you. Your email has been verified.',
  },
  registration: {
    heading: 'Verify your registration',
    confirmText: 'Confirm your registration to this application.',
    button: 'Verify my registration',
    completeTitle: 'Registration verification complete',
    completeMessage: 'Thank you. Your registration has been verified.',
  },
} as const;

/** Where a kind's verification pages live. */
export function basePath(kind: VerificationKind): string {
  return kind === 'email' ? '/email' : '/registration';
}

/**
 * Under the form-field strategy (the one the verification was started with, else the tenant's or application's) a link
 * alone does not verify: the code is typed on the gate.
 */
export function needsCode(standin: Standin, kind: VerificationKind, grant: VerificationGrant): boolean {
  const user = standin.stores.users.get(grant.userId);
  const tenant = user ? standin.stores.tenants.get(user.tenantId) : undefined;
  return !tenant || grantStrategy(standin, kind, grant, tenant) === 'FormField';
}

/** The verify page (`views/email-verify.eta`): the link's confirm button, "send me another", or what went wrong. */
export function verifyPage(
  kind: VerificationKind,
  request: FastifyRequest,
  reply: FastifyReply,
  page: { mode: 'confirm' | 'invalid' | 'sent'; query: Body; error?: string; email?: string },
  status = 200,
): FastifyReply {
  const words = WORDS[kind];
  const secret = pageCsrfSecret(request, reply);
  const pick = (names: string[]): Fields => names.flatMap((name) => (text(page.query[name]) === undefined ? [] : [[name, text(page.query[name])!]]));
  const confirm = pick(LINK_FIELDS);
  const resendFields = pick(['client_id', 'tenantId']);
  return reply.code(status).view('email-verify', {
    title: page.mode === 'sent' ? 'Verification sent' : words.heading,
    heading: words.heading,
    confirmText: words.confirmText,
    button: words.button,
    action: `${basePath(kind)}/verify`,
    mode: page.mode,
    error: page.error,
    email: page.email,
    confirm: [...confirm, ['csrf_token', pageCsrfToken(secret, 'verify', confirm)]],
    resend: [...resendFields, ['csrf_token', pageCsrfToken(secret, 'resend', resendFields)]],
  });
}

export function completeUrl(base: string, params: Body): string {
  const query = new URLSearchParams(
    ['client_id', 'tenantId'].flatMap((name) => (text(params[name]) === undefined ? [] : [[name, text(params[name])!]])),
  );
  return `${base}/complete${query.size > 0 ? `?${query}` : ''}`;
}
