import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.js';
import { sendLoginCode } from '../../manage/two-factor-email.js';
import type { Tenant } from '../../model/tenant.js';
import type { AuthorizeRequest } from '../../oauth/authorize-request.js';
import { offeredMethodsOf } from '../../oauth/two-factor-login.js';
import type { Standin } from '../../standin.js';
import type { PendingTwoFactorLogin } from '../../store/two-factor.js';
import { twoFactorExpired, twoFactorPage } from './two-factor-step.js';

// Sending a pending hosted login's code by email or SMS: when the user chooses such a method on the chooser, and when
// the code page's "Resend the code" asks again. Both go through the Two Factor API's own send
// (`POST /api/two-factor/send/{twoFactorId}`, manage/two-factor-email.ts), so a page can do nothing that API cannot:
// each send replaces the login's earlier code, as the API's does.

/** Why a send failed: the pending login is gone, or the tenant's settings (or the SMS receiver) refused it. */
export type SendFailure = { kind: 'gone' } | { kind: 'refused'; status: number; message: string };

/** Sends the code of `twoFactorId` to its email or SMS method `methodId`; a failure as a value, for the page to show. */
export async function sendPendingCode(standin: Standin, twoFactorId: string, methodId: string): Promise<SendFailure | undefined> {
  try {
    await sendLoginCode(standin, twoFactorId, methodId);
    return undefined;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.statusCode === 404) return { kind: 'gone' };
    return { kind: 'refused', status: error.statusCode, message: `The code could not be sent: ${error.message}` };
  }
}

export interface CodePageContext {
  authz: AuthorizeRequest;
  tenant: Tenant;
  params: Record<string, unknown>;
  pending: PendingTwoFactorLogin;
  form: { twoFactorId: string; methodId: string; trustComputer: boolean };
}

/**
 * `POST /oauth2/two-factor` with `resendCode=true`: a new code to the page's email or SMS method, and the page again
 * saying so. A `methodId` that is not one of this login's email or SMS methods shows the page with an error (400).
 */
export async function resendCode(standin: Standin, request: FastifyRequest, reply: FastifyReply, context: CodePageContext): Promise<FastifyReply> {
  const { authz, tenant, params, pending, form } = context;
  const method = offeredMethodsOf(standin, pending.userId, tenant).find((m) => m.id === form.methodId);
  if (method?.method !== 'email' && method?.method !== 'sms') {
    const error = 'Only a code sent by email or text message can be sent again. Use your authenticator app, or one of your recovery codes.';
    return twoFactorPage(request, reply, authz, tenant, params, { ...form, methodId: method?.id ?? '', error }, 400);
  }
  const failure = await sendPendingCode(standin, form.twoFactorId, method.id);
  if (failure?.kind === 'gone') return twoFactorExpired(reply, params);
  if (failure) return twoFactorPage(request, reply, authz, tenant, params, { ...form, error: failure.message }, failure.status);
  const notice = `A new code was sent to ${method.method === 'sms' ? (method.mobilePhone ?? '') : (method.email ?? '')}. Earlier codes no longer work.`;
  return twoFactorPage(request, reply, authz, tenant, params, { ...form, notice });
}
