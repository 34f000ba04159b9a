/** FusionAuth's error body on `/api/*` (APIs overview, "Errors"): field errors keyed by JSON path, plus general errors. */
export interface ErrorMessage {
  code: string;
  message: string;
}

export interface Errors {
  fieldErrors: Record<string, ErrorMessage[]>;
  generalErrors: ErrorMessage[];
}

/**
 * An `/api/*` failure. With `errors` the body is FusionAuth's error JSON; without, the body is empty, as
 * FusionAuth answers 401 (no or wrong API key) and 404 (unknown id).
 */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly statusCode: number,
    readonly errors?: Errors,
  ) {
    super(errors ? describe(errors) : `HTTP ${statusCode}`);
  }

  static notFound(): ApiError {
    return new ApiError(404);
  }

  static unauthorized(): ApiError {
    return new ApiError(401);
  }

  static general(code: string, message: string, statusCode = 400): ApiError {
    return new ApiError(statusCode, { fieldErrors: {}, generalErrors: [{ code, message }] });
  }
}

/**
 * The Login API's 409 (https://fusionauth.io/docs/apis/login): the user is in an action that prevents login, and the
 * body lists those actions (`{actions: [...]}`, FusionAuth's LoginPreventedResponse each) instead of errors.
 */
export class LoginPreventedError extends ApiError {
  constructor(readonly actions: readonly Record<string, unknown>[]) {
    super(409);
  }
}

/** Collects field errors the way FusionAuth reports them: every problem at once, not the first. */
export class FieldErrors {
  private readonly fields: Record<string, ErrorMessage[]> = {};

  /** `fullCode` replaces `[code]field` where FusionAuth's code names another path (a list member's field without its index). */
  add(field: string, code: string, message: string, fullCode?: string): this {
    (this.fields[field] ??= []).push({ code: fullCode ?? `[${code}]${field}`, message });
    return this;
  }

  get empty(): boolean {
    return Object.keys(this.fields).length === 0;
  }

  /** Throws a 400 when any field error was added. */
  throwIfAny(): void {
    if (!this.empty) throw new ApiError(400, { fieldErrors: this.fields, generalErrors: [] });
  }
}

function describe(errors: Errors): string {
  const messages = [...errors.generalErrors, ...Object.values(errors.fieldErrors).flat()].map((e) => `${e.code} ${e.message}`);
  return messages.join('; ');
}

/** FusionAuth's `error` values on `/oauth2/*` (OAuth endpoints docs, "OAuthError"; RFC 6749 §4.1.2.1, §5.2). */
export type OAuthErrorCode =
  | 'access_denied'
  // RFC 8628 §3.5: a device polling for a code the user has not approved yet, or one that has expired.
  | 'authorization_pending'
  | 'expired_token'
  // FusionAuth's own two, for states RFC 6749 has no code for (its OAuthError's OAuthErrorType).
  | 'change_password_required'
  | 'two_factor_required'
  | 'consent_required'
  | 'interaction_required'
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_request'
  | 'invalid_scope'
  | 'invalid_token'
  | 'login_required'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type';

/** FusionAuth's `error_reason` values Standin gives (TSC `OAuthErrorReason`). */
export type OAuthErrorReason =
  | 'access_token_expired'
  | 'access_token_failed_processing'
  | 'access_token_invalid'
  | 'access_token_malformed'
  | 'access_token_required'
  | 'auth_code_not_found'
  | 'authentication_required'
  | 'change_password_administrative'
  | 'client_authentication_missing'
  | 'client_id_mismatch'
  | 'email_verification_required'
  | 'registration_verification_required'
  | 'grant_type_disabled'
  | 'invalid_additional_client_id'
  | 'invalid_client_authentication'
  | 'invalid_client_authentication_scheme'
  | 'invalid_client_id'
  | 'invalid_device_code'
  | 'invalid_entity_permission_scope'
  | 'invalid_target_entity_scope'
  | 'invalid_code_challenge'
  | 'invalid_code_challenge_method'
  | 'invalid_expires_in'
  | 'invalid_grant_type'
  | 'invalid_id_token_hint'
  | 'invalid_pkce_code_challenge'
  | 'invalid_pkce_code_challenge_method'
  | 'invalid_pkce_code_verifier'
  | 'invalid_post_logout_redirect_uri'
  | 'invalid_prompt'
  | 'invalid_redirect_uri'
  | 'invalid_response_mode'
  | 'invalid_response_type'
  | 'invalid_tenant_id'
  | 'invalid_user_code'
  | 'invalid_user_credentials'
  | 'login_prevented'
  | 'invalid_user_id'
  | 'missing_client_id'
  | 'missing_code'
  | 'missing_code_challenge'
  | 'missing_code_verifier'
  | 'missing_device_code'
  | 'missing_grant_type'
  | 'missing_redirect_uri'
  | 'missing_refresh_token'
  | 'missing_response_type'
  | 'missing_token'
  | 'missing_user_code'
  | 'missing_verification_uri'
  | 'refresh_token_not_found'
  | 'registration_required'
  | 'server_busy'
  | 'too_many_attempts'
  | 'unknown'
  | 'unknown_scope'
  | 'user_code_expired'
  | 'user_expired'
  | 'user_locked';

/**
 * An `/oauth2/*` failure: rendered as `{error, error_description, error_reason}` JSON by the token family,
 * or as redirect parameters / an HTML page by the authorize endpoint.
 */
export class OAuthError extends Error {
  override name = 'OAuthError';

  /** `reason` is left out of the answer when undefined, as FusionAuth's OAuthError leaves out an unset one. */
  constructor(
    readonly error: OAuthErrorCode,
    readonly reason: OAuthErrorReason | undefined,
    readonly description: string,
    readonly statusCode = error === 'invalid_client' ? 401 : error === 'server_error' ? 500 : 400,
  ) {
    super(description);
  }

  toJSON(): { error: OAuthErrorCode; error_description: string; error_reason?: OAuthErrorReason } {
    return { error: this.error, error_description: this.description, ...(this.reason === undefined ? {} : { error_reason: this.reason }) };
  }
}

/**
 * An `/oauth2/*` refusal to try now: 429 after too many failures (docs/hardening.md) or 503 while
 * argon2 is saturated (docs/hardening.md), rendered with `Retry-After`. `temporarily_unavailable` is RFC 6749
 * §4.1.2.1's code for a server that cannot handle the request now; FusionAuth has no code of its own here.
 */
export class OAuthRetryLater extends OAuthError {
  override name = 'OAuthRetryLater';

  constructor(
    reason: 'server_busy' | 'too_many_attempts',
    description: string,
    readonly retryAfterSeconds: number,
  ) {
    super('temporarily_unavailable', reason, description, reason === 'server_busy' ? 503 : 429);
  }
}
