import { createApiKeyStore, type ApiKeyStore } from './api-keys.js';
import { createApplicationStore, type ApplicationStore } from './applications.js';
import { createAuthorizationCodeStore, type AuthorizationCodeStore } from './authorization-codes.js';
import { createConsentStore, type ConsentStore } from './consents.js';
import { createFormFieldStore, type FormFieldStore } from './form-fields.js';
import { createFormStore, type FormStore } from './forms.js';
import { createMessageTemplateStore, type MessageTemplateStore } from './message-templates.js';
import { createMessengerStore, type MessengerStore } from './messengers.js';
import { createChangePasswordIdStore, type ChangePasswordIdStore } from './change-password-ids.js';
import { createDeviceCodeStore, type DeviceCodeStore } from './device-codes.js';
import { createEmailOutboxStore, type EmailOutboxStore } from './email-outbox.js';
import { createSmsOutboxStore, type SmsOutboxStore } from './sms-outbox.js';
import { createEmailTemplateStore, type EmailTemplateStore } from './email-templates.js';
import { createFamilyMemberStore, type FamilyMemberStore } from './family-members.js';
import { createGroupMemberStore, type GroupMemberStore } from './group-members.js';
import { createGroupStore, type GroupStore } from './groups.js';
import { createAuditLogStore, type AuditLogStore } from './audit-logs.js';
import { createEventLogStore, type EventLogStore } from './event-logs.js';
import { createEntityStore, type EntityStore } from './entities.js';
import { createEntityGrantStore, type EntityGrantStore } from './entity-grants.js';
import { createEntityTypeStore, type EntityTypeStore } from './entity-types.js';
import { createIpAclStore, type IpAclStore } from './ip-acls.js';
import { createWebAuthnStore, type WebAuthnStore } from './webauthn.js';
import { createConnectorStore, type ConnectorStore } from './connectors.js';
import { createIntegrationStore, type IntegrationStore } from './integrations.js';
import { createIdentityProviderLinkStore, type IdentityProviderLinkStore } from './identity-provider-links.js';
import { createIdentityProviderLoginStore, type IdentityProviderLoginStore } from './identity-provider-logins.js';
import { createIdentityProviderStore, type IdentityProviderStore } from './identity-providers.js';
import { createLoginRecordStore, type LoginRecordStore } from './login-records.js';
import { createReportStore, type ReportStore } from './reports.js';
import { createKeyStore, type KeyStore } from './keys.js';
import { createLambdaStore, type LambdaStore } from './lambdas.js';
import { createMetaStore, type MetaStore } from './meta.js';
import { createOneTimePasswordStore, type OneTimePasswordStore } from './one-time-passwords.js';
import type { Db } from './open-database.js';
import { createPasswordlessCodeStore, type PasswordlessCodeStore } from './passwordless-codes.js';
import { createPasswordHistoryStore, type PasswordHistoryStore } from './password-history.js';
import { createRefreshTokenStore, type RefreshTokenStore } from './refresh-tokens.js';
import { createRegistrationStore, type RegistrationStore } from './registrations.js';
import { createRevokedAccessTokenStore, type RevokedAccessTokenStore } from './revoked-access-tokens.js';
import { createRowCache } from './row-cache.js';
import { createSsoSessionStore, type SsoSessionStore } from './sso-sessions.js';
import { createSystemConfigurationStore, type SystemConfigurationStore } from './system-configuration.js';
import { createTenantStore, type TenantStore } from './tenants.js';
import { createThemeStore, type ThemeStore } from './themes.js';
import { createTwoFactorStore, type TwoFactorStore } from './two-factor.js';
import { createUserActionLogStore, type UserActionLogStore } from './user-action-logs.js';
import { createUserActionStore, type UserActionStore } from './user-actions.js';
import { createUserActionReasonStore, type UserActionReasonStore } from './user-action-reasons.js';
import { createUserCommentStore, type UserCommentStore } from './user-comments.js';
import { createUserConsentStore, type UserConsentStore } from './user-consents.js';
import { createUserSearchStore, type UserSearchStore } from './user-search.js';
import { createUserStore, type UserStore } from './users.js';
import { createVerificationIdStore, type VerificationIdStore } from './verification-ids.js';
import { createWebhookEventLogStore, type WebhookEventLogStore } from './webhook-event-logs.js';
import { createWebhookStore, type WebhookStore } from './webhooks.js';

export interface Stores {
  db: Db;
  tenants: TenantStore;
  applications: ApplicationStore;
  users: UserStore;
  userSearch: UserSearchStore;
  registrations: RegistrationStore;
  keys: KeyStore;
  apiKeys: ApiKeyStore;
  systemConfiguration: SystemConfigurationStore;
  meta: MetaStore;
  ssoSessions: SsoSessionStore;
  authorizationCodes: AuthorizationCodeStore;
  refreshTokens: RefreshTokenStore;
  deviceCodes: DeviceCodeStore;
  revokedAccessTokens: RevokedAccessTokenStore;
  changePasswordIds: ChangePasswordIdStore;
  emailTemplates: EmailTemplateStore;
  emailOutbox: EmailOutboxStore;
  smsOutbox: SmsOutboxStore;
  oneTimePasswords: OneTimePasswordStore;
  verificationIds: VerificationIdStore;
  passwordlessCodes: PasswordlessCodeStore;
  groups: GroupStore;
  groupMembers: GroupMemberStore;
  passwordHistory: PasswordHistoryStore;
  lambdas: LambdaStore;
  eventLogs: EventLogStore;
  auditLogs: AuditLogStore;
  loginRecords: LoginRecordStore;
  reports: ReportStore;
  twoFactor: TwoFactorStore;
  webhooks: WebhookStore;
  webhookEventLogs: WebhookEventLogStore;
  userActions: UserActionStore;
  userActionLogs: UserActionLogStore;
  userActionReasons: UserActionReasonStore;
  userComments: UserCommentStore;
  themes: ThemeStore;
  identityProviders: IdentityProviderStore;
  identityProviderLinks: IdentityProviderLinkStore;
  identityProviderLogins: IdentityProviderLoginStore;
  consents: ConsentStore;
  userConsents: UserConsentStore;
  familyMembers: FamilyMemberStore;
  formFields: FormFieldStore;
  forms: FormStore;
  messageTemplates: MessageTemplateStore;
  messengers: MessengerStore;
  entityTypes: EntityTypeStore;
  ipAcls: IpAclStore;
  connectors: ConnectorStore;
  integrations: IntegrationStore;
  entities: EntityStore;
  entityGrants: EntityGrantStore;
  webAuthn: WebAuthnStore;
  /** FusionAuth kickstarts only a database with no API keys, users or tenants. */
  isEmpty(): boolean;
}

export function createStores(db: Db): Stores {
  const rowCache = createRowCache(db);
  const tenants = createTenantStore(db, rowCache.table('tenants'));
  const users = createUserStore(db);
  const apiKeys = createApiKeyStore(db);
  return {
    db,
    tenants,
    applications: createApplicationStore(db, rowCache.table('applications')),
    users,
    userSearch: createUserSearchStore(db),
    registrations: createRegistrationStore(db),
    keys: createKeyStore(db, rowCache.table('keys')),
    apiKeys,
    systemConfiguration: createSystemConfigurationStore(db),
    meta: createMetaStore(db),
    ssoSessions: createSsoSessionStore(db),
    authorizationCodes: createAuthorizationCodeStore(db),
    refreshTokens: createRefreshTokenStore(db),
    deviceCodes: createDeviceCodeStore(db),
    revokedAccessTokens: createRevokedAccessTokenStore(db),
    changePasswordIds: createChangePasswordIdStore(db),
    emailTemplates: createEmailTemplateStore(db),
    emailOutbox: createEmailOutboxStore(db),
    smsOutbox: createSmsOutboxStore(db),
    oneTimePasswords: createOneTimePasswordStore(db),
    verificationIds: createVerificationIdStore(db),
    passwordlessCodes: createPasswordlessCodeStore(db),
    groups: createGroupStore(db),
    groupMembers: createGroupMemberStore(db),
    passwordHistory: createPasswordHistoryStore(db),
    lambdas: createLambdaStore(db),
    eventLogs: createEventLogStore(db),
    auditLogs: createAuditLogStore(db),
    loginRecords: createLoginRecordStore(db),
    reports: createReportStore(db),
    twoFactor: createTwoFactorStore(db),
    webhooks: createWebhookStore(db),
    webhookEventLogs: createWebhookEventLogStore(db),
    userActions: createUserActionStore(db),
    userActionLogs: createUserActionLogStore(db),
    userActionReasons: createUserActionReasonStore(db),
    userComments: createUserCommentStore(db),
    themes: createThemeStore(db),
    identityProviders: createIdentityProviderStore(db),
    identityProviderLinks: createIdentityProviderLinkStore(db),
    identityProviderLogins: createIdentityProviderLoginStore(db),
    consents: createConsentStore(db),
    userConsents: createUserConsentStore(db),
    familyMembers: createFamilyMemberStore(db),
    formFields: createFormFieldStore(db),
    forms: createFormStore(db),
    messageTemplates: createMessageTemplateStore(db),
    messengers: createMessengerStore(db),
    entityTypes: createEntityTypeStore(db),
    ipAcls: createIpAclStore(db),
    connectors: createConnectorStore(db),
    integrations: createIntegrationStore(db),
    entities: createEntityStore(db),
    entityGrants: createEntityGrantStore(db),
    webAuthn: createWebAuthnStore(db),
    isEmpty: () => tenants.count() === 0 && users.count() === 0 && apiKeys.count() === 0,
  };
}
