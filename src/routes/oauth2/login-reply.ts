import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '../../model/tenant.js';
import type { User } from '../../model/user.js';
import { loginTransaction } from '../../oauth/authorize-flow.js';
import { RedirectableError, UntrustedRedirectError, type AuthorizeRequest } from '../../oauth/authorize-request.js';
import { authorizeResponse } from '../../oauth/authorize-response.js';
import { hostedAuthorizeRequest } from '../../oauth/hosted-login.js';
import { requestBaseUrl } from '../../request-base-url.js';
import type { Standin } from '../../standin.js';
import { setSsoCookie } from './sso-cookie.js';

// What every hosted login page (the login form, the two-factor page, registration, magic links, password change)
// shares: reading the authorization request it carries, and the replies that end it or refuse it.

/** Parses an authorize request; the hosted backend's callback is allowed under the configured base and the origin this browser used. */
export function parseAuthorize(standin: Standin, request: FastifyRequest, input: unknown): AuthorizeRequest {
  return hostedAuthorizeRequest(standin, requestBaseUrl(request, standin.baseUrl()), input);
}

/** The valid authorization request a hosted page carries in `params`, or undefined. */
export function carriedAuthorizeRequest(standin: Standin, request: FastifyRequest, params: Record<string, unknown>): AuthorizeRequest | undefined {
  try {
    return parseAuthorize(standin, request, params);
  } catch {
    return undefined;
  }
}

export function csrfRefused(reply: FastifyReply): FastifyReply {
  return reply.code(403).view('error', {
    description: 'This login form expired or was not sent by Standin. Go back to the application and log in again.',
    error: { error: 'invalid_request', error_description: 'Invalid CSRF token.', error_reason: 'unknown' },
  });
}

/** A user who just logged in (oauth/authorize-flow.ts has the writes): sets the new SSO cookie and sends the code. */
export function freshLogin(
  standin: Standin,
  request: FastifyRequest,
  reply: FastifyReply,
  authz: AuthorizeRequest,
  tenant: Tenant,
  user: User,
  rememberDevice: boolean,
  authenticationType = 'PASSWORD',
): FastifyReply {
  const { cookie, outcome } = loginTransaction(standin, { authz, tenant, user, rememberDevice, authenticationType, ip: request.ip });
  setSsoCookie(request, reply, cookie, rememberDevice ? tenant.httpSessionMaxInactiveInterval : undefined);
  if (outcome instanceof RedirectableError) throw outcome;
  return send(reply, outcome);
}

export function renderError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof RedirectableError) {
    const { standin } = reply.request.server;
    const tenant = standin.stores.tenants.get(error.target.application.tenantId);
    const iss = tenant === undefined ? undefined : standin.issuerOf(tenant);
    return send(
      reply,
      authorizeResponse(error.target, { error: error.error, error_reason: error.reason, error_description: error.description, iss }),
    );
  }
  if (error instanceof UntrustedRedirectError) {
    return reply.code(400).view('error', { description: error.description, error: error.toJSON() });
  }
  throw error;
}

/** Sends an authorization response: a redirect, or the auto-submitting form of `response_mode=form_post`. */
export function send(reply: FastifyReply, response: ReturnType<typeof authorizeResponse>): FastifyReply {
  if (response.mode === 'query') return reply.redirect(response.location, 302);
  return reply.code(200).view('form-post', { action: response.action, fields: response.fields });
}
