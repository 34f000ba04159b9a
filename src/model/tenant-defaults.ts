import { DEFAULT_THEME_ID } from './built-in-theme.js';
import { withDefaults, type JsonObject } from './json.js';
import type { Tenant } from './tenant.js';

/**
 * What FusionAuth answers for the tenant members a request leaves out and Standin does not act on, from the
 * `defaults` of FusionAuth's Tenant API request body (https://fusionauth.io/docs/apis/tenants, "Request Body").
 * Members with no documented default are left out rather than guessed. The members Standin acts on
 * (`jwtConfiguration`, `loginConfiguration`, the two lifetimes in `externalIdentifierConfiguration`, …) keep
 * their defaults in model/tenant.ts, merged when a tenant is written. These are applied when a tenant is
 * answered, never stored (docs/built-ins-and-defaults.md).
 */
export const TENANT_ANSWER_DEFAULTS: JsonObject = {
  captchaConfiguration: { enabled: false },
  // Every FusionAuth tenant authenticates against the built-in FusionAuth connector (Connectors docs).
  connectorPolicies: [{ connectorId: 'e3306678-a53a-4964-9040-1c96f36dda72', domains: ['*'], migrate: false }],
  externalIdentifierConfiguration: {
    changePasswordIdGenerator: { length: 32, type: 'randomBytes' },
    deviceCodeTimeToLiveInSeconds: 300,
    deviceUserCodeIdGenerator: { length: 6, type: 'randomAlphaNumeric' },
    emailVerificationIdGenerator: { length: 32, type: 'randomBytes' },
    emailVerificationOneTimeCodeGenerator: { length: 6, type: 'randomAlphaNumeric' },
    externalAuthenticationIdTimeToLiveInSeconds: 300,
    loginIntentTimeToLiveInSeconds: 1800,
    oneTimePasswordTimeToLiveInSeconds: 60,
    passwordlessLoginGenerator: { length: 32, type: 'randomBytes' },
    passwordlessLoginTimeToLiveInSeconds: 180,
    pendingAccountLinkTimeToLiveInSeconds: 3600,
    registrationVerificationIdGenerator: { length: 32, type: 'randomBytes' },
    registrationVerificationOneTimeCodeGenerator: { length: 6, type: 'randomAlphaNumeric' },
    rememberOAuthScopeConsentChoiceTimeToLiveInSeconds: 2592000,
    samlv2AuthNRequestIdTimeToLiveInSeconds: 300,
    setupPasswordIdGenerator: { length: 32, type: 'randomBytes' },
    trustTokenTimeToLiveInSeconds: 180,
    twoFactorIdTimeToLiveInSeconds: 300,
    twoFactorOneTimeCodeIdGenerator: { length: 6, type: 'randomDigits' },
    twoFactorOneTimeCodeIdTimeToLiveInSeconds: 60,
    webAuthnAuthenticationChallengeTimeToLiveInSeconds: 180,
    webAuthnRegistrationChallengeTimeToLiveInSeconds: 180,
  },
  failedAuthenticationConfiguration: {
    actionCancelPolicy: { onPasswordReset: false },
    actionDuration: 3,
    emailUser: false,
    resetCountInSeconds: 60,
    tooManyAttempts: 5,
  },
  familyConfiguration: {
    allowChildRegistrations: true,
    deleteOrphanedAccounts: false,
    deleteOrphanedAccountsDays: 30,
    enabled: false,
    maximumChildAge: 12,
    minimumOwnerAge: 21,
    parentEmailRequired: false,
  },
  maximumPasswordAge: { days: 180, enabled: false },
  minimumPasswordAge: { enabled: false, seconds: 30 },
  multiFactorConfiguration: { authenticator: { enabled: true }, email: { enabled: false }, sms: { enabled: false } },
  passwordEncryptionConfiguration: { encryptionSchemeFactor: 24000, modifyEncryptionSchemeOnLogin: false },
  passwordValidationRules: {
    breachDetection: { enabled: false },
    maxLength: 256,
    minLength: 8,
    rememberPreviousPasswords: { enabled: false },
    requireMixedCase: false,
    requireNonAlpha: false,
    requireNumber: false,
    validateOnLogin: false,
  },
  rateLimitConfiguration: Object.fromEntries(
    ['failedLogin', 'forgotPassword', 'sendEmailVerification', 'sendPasswordless', 'sendRegistrationVerification', 'sendTwoFactor'].map((name) => [
      name,
      { enabled: false, limit: 5, timePeriodInSeconds: 60 },
    ]),
  ),
  registrationConfiguration: { blockedDomains: [] },
  ssoConfiguration: { allowAccessTokenBootstrap: false },
  // Every FusionAuth tenant is styled by a theme, the built-in one until it names another (docs/themes.md).
  themeId: DEFAULT_THEME_ID,
  userDeletePolicy: { unverified: { enabled: false } },
  usernameConfiguration: { unique: { enabled: false, numberOfDigits: 5, strategy: 'OnCollision' } },
  webAuthnConfiguration: {
    bootstrapWorkflow: { authenticatorAttachmentPreference: 'crossPlatform', enabled: false, userVerificationRequirement: 'required' },
    debug: false,
    enabled: false,
  },
};

/** A tenant as FusionAuth answers it: what was stored, and FusionAuth's defaults for what was left out. */
export function tenantWithDefaults(tenant: Tenant): Tenant {
  return withDefaults(TENANT_ANSWER_DEFAULTS as Tenant, tenant);
}
