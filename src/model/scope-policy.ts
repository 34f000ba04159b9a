import type { FieldErrors } from '../errors.js';
import { isObject } from './json.js';

// An application's OAuth scope policies (FusionAuth Application API, `oauthConfiguration`, since 1.50;
// https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/scopes). Kept apart from model/application.ts
// so the scope rules live in one place. What Standin does with each is on docs/oauth-scopes.md.

export const UNKNOWN_SCOPE_POLICIES = ['Allow', 'Remove', 'Reject'] as const;
export const SCOPE_HANDLING_POLICIES = ['Compatibility', 'Strict'] as const;
export const RELATIONSHIPS = ['FirstParty', 'ThirdParty'] as const;
export const CONSENT_MODES = ['AlwaysPrompt', 'RememberDecision', 'NeverPrompt'] as const;

/** The OpenID Connect scopes FusionAuth provides; each can be disabled per application (OIDC Core §5.4). */
export const PROVIDED_SCOPES = ['address', 'email', 'phone', 'profile'] as const;
export type ProvidedScope = (typeof PROVIDED_SCOPES)[number];

export interface Requirable {
  enabled: boolean;
  required: boolean;
}

export type ProvidedScopePolicy = Record<ProvidedScope, Requirable>;

export interface ScopePolicy {
  consentMode: (typeof CONSENT_MODES)[number];
  providedScopePolicy: ProvidedScopePolicy;
  relationship: (typeof RELATIONSHIPS)[number];
  /** `Strict`: identity claims only for the scopes that ask for them. */
  scopeHandlingPolicy: (typeof SCOPE_HANDLING_POLICIES)[number];
  unknownScopePolicy: (typeof UNKNOWN_SCOPE_POLICIES)[number];
}

/**
 * What an application created without these members gets: FusionAuth's defaults for new applications, the
 * same through the API as through the admin UI (`Strict`, `Reject`, `FirstParty`, `AlwaysPrompt`, every
 * provided scope enabled and not required).
 */
export function scopePolicyDefaults(): ScopePolicy {
  return {
    consentMode: 'AlwaysPrompt',
    providedScopePolicy: {
      address: { enabled: true, required: false },
      email: { enabled: true, required: false },
      phone: { enabled: true, required: false },
      profile: { enabled: true, required: false },
    },
    relationship: 'FirstParty',
    scopeHandlingPolicy: 'Strict',
    unknownScopePolicy: 'Reject',
  };
}

/** Adds FusionAuth's field errors for scope policy members that are not one of their values. */
export function checkScopePolicy(oauth: ScopePolicy, errors: FieldErrors): void {
  const base = 'application.oauthConfiguration';
  checkOneOf(oauth.scopeHandlingPolicy, SCOPE_HANDLING_POLICIES, `${base}.scopeHandlingPolicy`, errors);
  checkOneOf(oauth.unknownScopePolicy, UNKNOWN_SCOPE_POLICIES, `${base}.unknownScopePolicy`, errors);
  checkOneOf(oauth.relationship, RELATIONSHIPS, `${base}.relationship`, errors);
  checkOneOf(oauth.consentMode, CONSENT_MODES, `${base}.consentMode`, errors);
  for (const scope of PROVIDED_SCOPES) {
    const policy: unknown = oauth.providedScopePolicy[scope];
    for (const member of ['enabled', 'required'] as const) {
      const value = isObject(policy) ? policy[member] : undefined;
      if (typeof value !== 'boolean') {
        const field = `${base}.providedScopePolicy.${scope}.${member}`;
        errors.add(field, 'invalid', `The [${field}] property must be true or false.`);
      }
    }
  }
}

/**
 * Whether a provided scope is enabled for the application. An application stored before these members
 * existed has none, and gets the default: enabled.
 */
export function isProvidedScopeEnabled(oauth: Partial<ScopePolicy>, scope: ProvidedScope): boolean {
  const policies = oauth.providedScopePolicy as Partial<ProvidedScopePolicy> | undefined;
  return policies?.[scope]?.enabled !== false;
}

export function isProvidedScope(name: string): name is ProvidedScope {
  return (PROVIDED_SCOPES as readonly string[]).includes(name);
}

function checkOneOf(value: unknown, allowed: readonly string[], field: string, errors: FieldErrors): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    errors.add(field, 'invalid', `The [${field}] property must be one of ${allowed.join(', ')}.`);
  }
}
