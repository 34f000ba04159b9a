import { OAuthError } from '../errors.js';
import type { Application } from '../model/application.js';
import { isUuid } from '../model/json.js';
import type { Stores } from '../store/index.js';
import { grantedScopes, unknownScopeError } from './granted-scopes.js';
import { isApplicationRedirectUri } from './redirect-uri.js';
import { param } from './request-params.js';

/** A validated request to `/oauth2/authorize` (https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints). */
export interface AuthorizeRequest {
  application: Application;
  redirectUri: string;
  responseMode: 'query' | 'form_post';
  scope: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256';
  prompt: Set<string>;
  /** Seconds (OIDC Core §3.1.2.1). */
  maxAge?: number;
  loginHint?: string;
  tenantId?: string;
}

/**
 * A request whose client or redirect_uri cannot be trusted: answered with an HTML page and never a
 * redirect (RFC 6749 §4.1.2.1, §3.1.2.4).
 */
export class UntrustedRedirectError extends OAuthError {}

/**
 * A failure that goes back to the validated redirect_uri with `error`, `error_reason`,
 * `error_description` and `state` (RFC 6749 §4.1.2.1), and `iss` from the application's tenant: RFC 9207 §2
 * puts it on error responses too, and clients that check it (openid-client) refuse a response without it.
 */
export class RedirectableError extends OAuthError {
  constructor(
    readonly target: Pick<AuthorizeRequest, 'redirectUri' | 'responseMode' | 'state'> & { application: Pick<Application, 'tenantId'> },
    error: OAuthError,
  ) {
    super(error.error, error.reason, error.description, 302);
  }
}

// RFC 7636 §4.2: an S256 challenge is base64url(SHA-256), 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);

/**
 * Validates an authorize request in the order that decides how errors travel: first the client and the
 * redirect_uri (an error page), then everything else (a redirect to the now-trusted redirect_uri).
 * `alsoAllowed` are redirect URIs every application accepts, compared exactly (Standin's own hosted backend
 * callback at the addresses Standin serves it).
 */
export function parseAuthorizeRequest(stores: Stores, input: unknown, alsoAllowed: readonly string[] = []): AuthorizeRequest {
  const read = (name: string) => {
    try {
      return param(input, name);
    } catch (error) {
      throw new UntrustedRedirectError('invalid_request', 'unknown', (error as Error).message);
    }
  };
  const clientId = read('client_id');
  if (clientId === undefined) throw new UntrustedRedirectError('invalid_request', 'missing_client_id', 'The client_id parameter is required.');
  const application = isUuid(clientId) ? stores.applications.get(clientId) : undefined;
  if (!application || !application.active) {
    throw new UntrustedRedirectError('invalid_client', 'invalid_client_id', `Invalid client_id ${clientId}.`);
  }
  const redirectUri = read('redirect_uri');
  if (redirectUri === undefined)
    throw new UntrustedRedirectError('invalid_request', 'missing_redirect_uri', 'The redirect_uri parameter is required.');
  // Standin's own callbacks match exactly: the loopback any-port rule (RFC 8252 §7.3) is for URIs the
  // application registered, else any local user who binds a port would receive others' codes
  // (docs/hardening-hosted-backend.md).
  if (!alsoAllowed.includes(redirectUri) && !isApplicationRedirectUri(application.oauthConfiguration, redirectUri)) {
    throw new UntrustedRedirectError('invalid_request', 'invalid_redirect_uri', `Invalid redirect uri ${redirectUri}`);
  }

  // From here on the redirect_uri is trusted: errors go back to it.
  const state = optional(input, 'state');
  const responseModeParam = optional(input, 'response_mode');
  const responseMode = responseModeParam === 'form_post' ? 'form_post' : 'query';
  const target = { redirectUri, responseMode, application, ...(state === undefined ? {} : { state }) } as const;
  const fail = (error: OAuthError): never => {
    throw new RedirectableError(target, error);
  };
  const get = (name: string) => {
    try {
      return param(input, name);
    } catch (error) {
      return fail(error as OAuthError);
    }
  };

  if (responseModeParam !== undefined && responseModeParam !== 'query' && responseModeParam !== 'form_post') {
    fail(new OAuthError('invalid_request', 'invalid_response_mode', 'The response_mode parameter must be query or form_post.'));
  }
  const responseType = get('response_type');
  if (responseType === undefined) fail(new OAuthError('invalid_request', 'missing_response_type', 'The response_type parameter is required.'));
  if (responseType !== 'code') {
    fail(new OAuthError('unsupported_response_type', 'invalid_response_type', 'Parameter response_type must be set to code.'));
  }
  const tenantId = get('tenantId');
  if (tenantId !== undefined && tenantId !== application.tenantId) {
    fail(new OAuthError('invalid_request', 'invalid_tenant_id', `The tenantId ${tenantId} is not the tenant of this client.`));
  }

  const scope = get('scope') ?? '';
  const { granted, rejected } = grantedScopes(application, scope);
  if (rejected.length > 0) fail(unknownScopeError(rejected));

  const prompt = new Set((get('prompt') ?? '').split(' ').filter(Boolean));
  if ([...prompt].some((value) => !PROMPTS.has(value)) || (prompt.has('none') && prompt.size > 1)) {
    // OIDC Core §3.1.2.1: `none` must stand alone.
    fail(new OAuthError('invalid_request', 'invalid_prompt', 'The prompt parameter is invalid.'));
  }
  const maxAgeParam = get('max_age');
  if (maxAgeParam !== undefined && !/^\d{1,10}$/.test(maxAgeParam)) {
    fail(new OAuthError('invalid_request', 'unknown', 'The max_age parameter must be a whole number of seconds.'));
  }

  const codeChallenge = get('code_challenge');
  const codeChallengeMethod = get('code_challenge_method');
  if (codeChallenge !== undefined) {
    // RFC 7636 §4.3: a challenge without a method means `plain`, which Standin never accepts (RFC 9700 §2.1.1).
    if (codeChallengeMethod !== 'S256') {
      fail(new OAuthError('invalid_request', 'invalid_pkce_code_challenge_method', 'The code_challenge_method parameter must be S256.'));
    }
    if (!S256_CHALLENGE.test(codeChallenge)) {
      fail(new OAuthError('invalid_request', 'invalid_pkce_code_challenge', 'The code_challenge parameter must be 43 base64url characters.'));
    }
  } else if (codeChallengeMethod !== undefined) {
    fail(new OAuthError('invalid_request', 'missing_code_challenge', 'The code_challenge parameter is required with code_challenge_method.'));
  } else if (application.oauthConfiguration.proofKeyForCodeExchangePolicy === 'Required') {
    fail(new OAuthError('invalid_request', 'missing_code_challenge', 'This application requires PKCE: the code_challenge parameter is required.'));
  }

  const nonce = get('nonce');
  const loginHint = get('login_hint');
  return {
    application,
    redirectUri,
    responseMode,
    scope: granted.join(' '),
    prompt,
    ...(state === undefined ? {} : { state }),
    ...(nonce === undefined ? {} : { nonce }),
    ...(codeChallenge === undefined ? {} : { codeChallenge, codeChallengeMethod: 'S256' as const }),
    ...(maxAgeParam === undefined ? {} : { maxAge: Number(maxAgeParam) }),
    ...(loginHint === undefined ? {} : { loginHint }),
    ...(tenantId === undefined ? {} : { tenantId }),
  };
}

/** A parameter read leniently for the error redirect itself: a duplicated `state` is simply not echoed. */
function optional(input: unknown, name: string): string | undefined {
  try {
    return param(input, name);
  } catch {
    return undefined;
  }
}
