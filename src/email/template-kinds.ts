/**
 * The emails FusionAuth sends on its own, and where each one's template is configured: the application's
 * `emailConfiguration` first, then the tenant's (https://fusionauth.io/docs/apis/users/forgot-password:
 * "the template configured in the Application settings will be used, if present").
 */
export const TEMPLATE_KINDS = {
  emailVerification: { application: 'emailVerificationEmailTemplateId', tenant: 'verificationEmailTemplateId' },
  forgotPassword: { application: 'forgotPasswordEmailTemplateId', tenant: 'forgotPasswordEmailTemplateId' },
  passwordless: { application: 'passwordlessEmailTemplateId', tenant: 'passwordlessEmailTemplateId' },
  setPassword: { application: 'setPasswordEmailTemplateId', tenant: 'setPasswordEmailTemplateId' },
  // Registration verification is configured on the application itself (`application.verificationEmailTemplateId`).
  registrationVerification: { application: undefined, tenant: undefined },
  // The two-factor email template lives in `tenant.multiFactorConfiguration.email.templateId`.
  twoFactorCode: { application: undefined, tenant: undefined },
  emailVerified: { application: 'emailVerifiedEmailTemplateId', tenant: 'emailVerifiedEmailTemplateId' },
  passwordUpdate: { application: 'passwordUpdateEmailTemplateId', tenant: 'passwordUpdateEmailTemplateId' },
  passwordResetSuccess: { application: 'passwordResetSuccessEmailTemplateId', tenant: 'passwordResetSuccessEmailTemplateId' },
} as const satisfies Record<string, { application: string | undefined; tenant: string | undefined }>;

export type TemplateKind = keyof typeof TEMPLATE_KINDS;

/** The outbox `type` of an email sent through the Send Email API with a template the caller chose. */
export const SEND_API_TYPE = 'template';
