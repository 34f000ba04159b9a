import type { FastifyReply, FastifyRequest } from 'fastify';
import { tenantEmailConfiguration } from '../../email/send-templated-email.js';
import { pageCsrfSecret } from '../../http/csrf.js';
import { gateOf, strategyOf } from '../../manage/email-verification.js';
import type { Application } from '../../model/application.js';
import { isUuid } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import { pageCsrfToken } from '../../oauth/page-csrf.js';
import type { Standin } from '../../standin.js';
import type { VerificationKind } from '../../store/verification-ids.js';
import { oauthFields, text, type Body, type Fields } from './shared.js';

/**
 * The gate a login meets before the code, if any (docs/email-verification.md): a Gated tenant's unverified
 * email first, then an unverified registration to a Gated application (`/registration/verification-required`
 * in FusionAuth). Undefined when the login may go on.
 */
export function verificationGateFor(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  params: Body,
  user: User,
  tenant: Tenant,
  application: Application,
): FastifyReply | undefined {
  const gate = gateOf(standin, user, tenant, application);
  return gate === undefined ? undefined : renderGate(standin, request, reply, gate, params, user, tenant, application);
}

/** `emailConfiguration.unverified.allowEmailChangeWhenGated` (default false). */
export function allowsEmailChange(tenant: Tenant): boolean {
  const unverified = tenantEmailConfiguration(tenant).unverified as { allowEmailChangeWhenGated?: unknown } | undefined;
  return unverified?.allowEmailChangeWhenGated === true;
}

const GATE_WORDS = {
  email: { title: 'Verify your email', what: 'your email address' },
  registration: { title: 'Verify your registration', what: 'your registration' },
} as const;

/** The gate page (`views/email-verification-required.eta`): "send me another", the code under FormField, and the email change. */
export function renderGate(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: VerificationKind,
  params: Body,
  user: User,
  tenant: Tenant,
  application: Application | undefined,
  message: { notice?: string; error?: string } = {},
  status = 200,
): FastifyReply {
  // The gate's forms act for `user` (resend, verify, change email): signed with Standin's own key too.
  const secret = pageCsrfSecret(request, reply, standin.pageKey);
  const oauth = oauthFields(params);
  const gate: Fields = [...oauth, ['email', user.email ?? '']];
  const change: Fields = [...oauth, ['userEmail', user.email ?? '']];
  const changeEmailHidden =
    kind === 'email' && allowsEmailChange(tenant) ? [...change, ['csrf_token', pageCsrfToken(secret, 'gate-email-change', change)]] : undefined;
  return reply.code(status).view('email-verification-required', {
    changeEmailHidden,
    ...GATE_WORDS[kind],
    action: kind === 'email' ? '/email/verification-required' : '/registration/verification-required',
    email: user.email ?? '',
    collectVerificationCode: strategyOf(tenant, kind === 'registration' ? application : undefined) === 'FormField',
    hidden: [...gate, ['csrf_token', pageCsrfToken(secret, `gate-${kind}`, gate)]],
    oauth,
    notice: message.notice,
    error: message.error,
    applicationName: applicationName(standin, text(params.client_id)),
  });
}

function applicationName(standin: Standin, clientId: string | undefined): string {
  const application = clientId !== undefined && isUuid(clientId) ? standin.stores.applications.get(clientId.toLowerCase()) : undefined;
  return application?.name ?? 'the application';
}
