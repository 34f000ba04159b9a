import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Application } from '../../model/application.js';
import { isUuid } from '../../model/json.js';
import type { Tenant } from '../../model/tenant.js';
import { csrfSecret } from '../../http/csrf.js';
import { csrfToken } from '../../oauth/login-csrf.js';
import type { Standin } from '../../standin.js';
import { HIDDEN_FIELDS } from '../oauth2/login-page.js';

/**
 * The longest value a carried field may hold: as long as a URL can bring to `/oauth2/authorize` (Node reads at most
 * 16 KiB of request headers), so that no `state` a client sent is refused or dropped on the way back to it
 * (RFC 6749 §4.1.2: returned exactly as received). ASP.NET Core's OpenID Connect handler sends states of 1–2 KB.
 */
export const CARRIED_FIELD_MAX_LENGTH = 16 * 1024;

/** The authorization request a hosted page carries on, as FusionAuth's pages do (its theme helper `oauthHiddenFields`). */
export function carriedFields(params: Record<string, unknown>): Array<[string, string]> {
  return HIDDEN_FIELDS.flatMap((name) => (typeof params[name] === 'string' && params[name] !== '' ? [[name, params[name]] as [string, string]] : []));
}

/** The carried fields plus the form's CSRF token, whose cookie is scoped to `cookiePath`. */
export function formFields(
  request: FastifyRequest,
  reply: FastifyReply,
  params: Record<string, unknown>,
  cookiePath: string,
): Array<[string, string]> {
  return [...carriedFields(params), ['csrf_token', csrfToken(csrfSecret(request, reply, cookiePath), params)]];
}

/** The login page of the carried authorization request, or undefined when there is none to return to. */
export function backToLogin(params: Record<string, unknown>): string | undefined {
  const fields = carriedFields(params);
  return fields.some(([name]) => name === 'client_id') ? `/oauth2/authorize?${new URLSearchParams(fields).toString()}` : undefined;
}

/**
 * The application and tenant a hosted page acts for: the `client_id`'s application and its tenant, else the
 * `tenantId` parameter's tenant, else the only tenant there is.
 */
export function hostedContext(standin: Standin, params: Record<string, unknown>): { application?: Application; tenant?: Tenant } {
  const { stores } = standin;
  const clientId = params.client_id;
  const application = typeof clientId === 'string' && isUuid(clientId) ? stores.applications.get(clientId.toLowerCase()) : undefined;
  if (application?.active)
    return { application, ...(stores.tenants.get(application.tenantId) ? { tenant: stores.tenants.get(application.tenantId)! } : {}) };
  const tenantId = params.tenantId;
  const named = typeof tenantId === 'string' && isUuid(tenantId) ? stores.tenants.get(tenantId.toLowerCase()) : undefined;
  if (named) return { tenant: named };
  const all = stores.tenants.list();
  return all.length === 1 ? { tenant: all[0]! } : {};
}
