import type { FastifyReply } from 'fastify';
import { startEmailVerification, startRegistrationVerification } from '../../manage/email-verification.js';
import type { Application } from '../../model/application.js';
import { isUuid } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import type { Standin } from '../../standin.js';
import type { VerificationKind } from '../../store/verification-ids.js';
import { CARRIED_FIELD_MAX_LENGTH } from '../password/hosted-context.js';

// The OAuth parameters the gate page carries back to /oauth2/authorize (FusionAuth's `oauthHiddenFields`).
export const OAUTH_FIELDS = [
  'client_id',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'max_age',
  'prompt',
  'redirect_uri',
  'response_mode',
  'response_type',
  'scope',
  'state',
  'tenantId',
];

export type Fields = Array<[string, string]>;
export type Body = Record<string, unknown>;

export function contextOf(standin: Standin, body: Body): { tenant?: Tenant; application?: Application } {
  const clientId = text(body.client_id);
  const application = clientId !== undefined && isUuid(clientId) ? standin.stores.applications.get(clientId.toLowerCase()) : undefined;
  const tenantId = text(body.tenantId);
  const tenant =
    (application ? standin.stores.tenants.get(application.tenantId) : undefined) ??
    (tenantId !== undefined && isUuid(tenantId) ? standin.stores.tenants.get(tenantId.toLowerCase()) : undefined) ??
    (standin.stores.tenants.list().length === 1 ? standin.stores.tenants.list()[0] : undefined);
  return { ...(tenant ? { tenant } : {}), ...(application ? { application } : {}) };
}

export function resend(standin: Standin, kind: VerificationKind, context: { tenant?: Tenant; application?: Application }, email: string): void {
  if (!context.tenant) return;
  const user = standin.stores.users.byEmail(context.tenant.id, email);
  if (!user) return;
  if (kind === 'email') {
    if (!user.verified) startEmailVerification(standin, user, context.tenant, context.application, true);
    return;
  }
  const registration = context.application ? standin.stores.registrations.get(user.id, context.application.id) : undefined;
  if (registration?.verified === false) startRegistrationVerification(standin, user, context.tenant, context.application!, true);
}

export function oauthFields(params: Body): Fields {
  return OAUTH_FIELDS.flatMap((name) => (text(params[name]) === undefined ? [] : [[name, text(params[name])!]]));
}

export function refused(reply: FastifyReply): FastifyReply {
  return reply.code(403).view('error', {
    description: 'This form has expired or did not come from this page. Go back, reload the page and try again.',
    error: { error: 'invalid_request', error_description: 'CSRF check failed' },
  });
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= CARRIED_FIELD_MAX_LENGTH ? value : undefined;
}

export function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
