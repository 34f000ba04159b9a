import { emitEvent } from '../events/emit.js';
import { userEvent } from '../events/payloads.js';
import { ApiError } from '../errors.js';
import { sendTemplatedEmail, type SendResult } from '../email/send-templated-email.js';
import type { Application } from '../model/application.js';
import type { JsonObject } from '../model/json.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { startChangePassword } from './change-password.js';

export interface ForgotPassword {
  user: User;
  application?: Application;
  /** The caller's `state`: returned by the Change Password API and appended to the emailed link. */
  state?: JsonObject;
  /** A changePasswordId the caller chose (API key only). */
  changePasswordId?: unknown;
  /** `sendForgotPasswordEmail` (default true). */
  send: boolean;
}

/**
 * FusionAuth's forgot-password workflow (https://fusionauth.io/docs/apis/users/forgot-password): a new
 * changePasswordId and, unless told not to, the forgot-password email that carries it. One transaction: a user
 * with no email address (422) or a template that fails to render leaves no changePasswordId behind.
 */
export function startForgotPassword(standin: Standin, input: ForgotPassword): string {
  const { stores } = standin;
  const { user } = input;
  if (input.send && (typeof user.email !== 'string' || user.email === '')) {
    throw ApiError.general('[MissingEmail]', 'The User does not have an email address.', 422);
  }
  const tenant = stores.tenants.get(user.tenantId)!;
  const id = stores.db
    .transaction(() => {
      const id = startChangePassword(standin, user, input.changePasswordId, input.state);
      if (!input.send) return id;
      const sent = sendTemplatedEmail(standin, {
        tenant,
        user,
        ...(input.application ? { application: input.application } : {}),
        templateKind: 'forgotPassword',
        variables: { changePasswordId: id, ...(input.state ? { state: input.state } : {}) },
      });
      if (!sent.ok) throw unsentEmailError(sent);
      return id;
    })
    .immediate();
  // https://fusionauth.io/docs/extend/events-and-webhooks/events/user-password-reset-start (and -send, when emailed).
  emitEvent(standin, userEvent(stores, 'user.password.reset.start', user));
  if (input.send) emitEvent(standin, userEvent(stores, 'user.password.reset.send', user));
  return id;
}

/** The error a flow answers when its email could not be made: no address (422), no template (403), a template that fails (500). */
export function unsentEmailError(sent: Exclude<SendResult, { ok: true }>): ApiError {
  const status = sent.reason === 'noAddress' ? 422 : sent.reason === 'noTemplate' ? 403 : 500;
  const code = sent.reason === 'render' ? '[InvalidTemplate]' : sent.reason === 'noTemplate' ? '[FeatureDisabled]' : '[MissingEmail]';
  return ApiError.general(code, sent.message, status);
}
