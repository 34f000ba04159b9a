import { hostedBackendCallback } from '../hosted-backend/callback-uri.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import { deviceCompleteUri } from './device-login.js';
import { parseAuthorizeRequest, type AuthorizeRequest } from './authorize-request.js';
import type { Refusal } from './login-counts.js';

/**
 * Parses an authorize request a hosted page received; the hosted backend's callback and the device page's
 * `/oauth2/device-complete` are allowed under the configured base and `requestBase`, the origin this browser used.
 * Throws as `parseAuthorizeRequest` does.
 */
export function hostedAuthorizeRequest(standin: Standin, requestBase: string, input: unknown): AuthorizeRequest {
  const bases = [standin.baseUrl(), requestBase];
  const callbacks = new Set([...bases.map(hostedBackendCallback), ...bases.map(deviceCompleteUri)]);
  return parseAuthorizeRequest(standin.stores, input, [...callbacks]);
}

/** The login form's fields as the hosted login reads them: anything not a string is empty. */
export function loginFormOf(params: Record<string, unknown>): { loginId: string; password: string; rememberDevice: boolean } {
  const loginId = typeof params.loginId === 'string' ? params.loginId : '';
  const password = typeof params.password === 'string' ? params.password : '';
  const rememberDevice = params.rememberDevice === 'true';
  return { loginId, password, rememberDevice };
}

/**
 * The form's answers to a login that was not tried (oauth/login-guard.ts). A locked login id says so, as
 * FusionAuth's page does, with 429 and Retry-After: the lock is keyed by the login id as typed, known user
 * or not, so the message tells nothing about which accounts exist (docs/hardening.md, "Enumeration").
 */
export function refusalMessage(refusal: Refusal): { status: number; error: string } {
  const wait = refusal.retryAfterSeconds >= 120 ? `${Math.ceil(refusal.retryAfterSeconds / 60)} minutes` : `${refusal.retryAfterSeconds} seconds`;
  if (refusal.kind === 'busy') return { status: 503, error: 'Standin is busy checking other passwords. Try again in a moment.' };
  if (refusal.kind === 'lockout') return { status: 429, error: `Too many failed attempts for this login. Try again in ${wait}.` };
  return { status: 429, error: `Too many failed logins from your address. Try again in ${wait}.` };
}

/**
 * Whether a hosted page that authenticated `user` (a password change, a magic link) ends in a login to the
 * authorization request it carries: the tenant to log in to, or undefined when there is no valid request, the
 * user is deactivated, or the request's tenant is not the user's (the page then shows its own end).
 */
export function hostedPageLoginTenant(standin: Standin, authz: AuthorizeRequest | undefined, user: User): Tenant | undefined {
  // A deactivated user may still finish a password change, but is not logged in by it.
  if (!authz || !user.active) return undefined;
  const tenant = standin.stores.tenants.get(authz.application.tenantId);
  if (!tenant || tenant.id !== user.tenantId) return undefined;
  return tenant;
}
