import { randomUUID } from 'node:crypto';
import {
  emailConfigurationDefaults,
  smtpConfigured,
  TEMPLATE_KINDS,
  type EmailConfiguration,
  type TemplateKind,
} from '../model/email-configuration.js';
import type { EmailTemplate } from '../model/email-template.js';
import { isObject, withDefaults, type JsonObject } from '../model/json.js';
import type { Application } from '../model/application.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import type { OutboxEmail } from '../store/email-outbox.js';
import { DEFAULT_TEMPLATES } from './default-templates.js';
import { TemplateError, parseTemplate, renderTemplate } from './freemarker/index.js';
import { extractLinks } from './links.js';

/** The outbox `type` of an email sent through the Send Email API with a template the caller chose. */
const SEND_API_TYPE = 'template';

export interface SendTemplatedEmail {
  tenant: Tenant;
  application?: Application;
  /** The recipient; absent only for the Send Email API's `toAddresses`, which name an address instead. */
  user?: User;
  /** An address to send to instead of the user's (the Send Email API's `toAddresses`). */
  to?: { address: string; name?: string };
  /** Which email this is; picks the template: application's, then tenant's, then Standin's default. */
  templateKind?: TemplateKind;
  /** A template chosen by the caller (the Send Email API, a consent's email); wins over `templateKind`. */
  templateId?: string;
  /** The outbox `type` of an email sent with `templateId` when it is not the Send Email API's (`consent`, `familyRequest`). */
  outboxType?: string;
  /** The email's own variables: verificationId, changePasswordId, code, state, requestData, … */
  variables?: JsonObject;
  /** Overrides the user's preferredLanguages when picking a localized template. */
  preferredLanguages?: string[];
  cc?: string[];
  bcc?: string[];
}

export type SendResult =
  | { ok: true; email: OutboxEmail }
  | { ok: false; reason: 'noAddress' | 'noTemplate'; message: string }
  | { ok: false; reason: 'render'; field: string; message: string };

// The variables whose values a test wants without parsing a body; copied to the outbox as they were rendered.
const PARSED_IDS = ['verificationId', 'verificationOneTimeCode', 'changePasswordId', 'code', 'oneTimeCode'] as const;

/**
 * Renders one email to a user, stores it in the outbox, and, when the tenant has an SMTP server, queues its
 * delivery (which happens after the caller's work, never inside it). The flows call this:
 *
 *   sendTemplatedEmail(standin, { tenant, application, user, templateKind: 'forgotPassword', variables: { changePasswordId, state } })
 *
 * Template choice follows FusionAuth (https://fusionauth.io/docs/apis/users/forgot-password): the
 * application's template id, else the tenant's, else Standin's own default for that kind (docs/email.md).
 */
export function sendTemplatedEmail(standin: Standin, input: SendTemplatedEmail): SendResult {
  const { tenant, application, user } = input;
  const config = tenantEmailConfiguration(tenant);
  const address = input.to?.address ?? (typeof user?.email === 'string' && user.email !== '' ? user.email : undefined);
  if (!address) return { ok: false, reason: 'noAddress', message: 'The user has no email address.' };
  const template = chooseTemplate(standin, input, config);
  if (!template) return { ok: false, reason: 'noTemplate', message: 'No email template is configured for this email.' };

  const languages = input.preferredLanguages ?? (Array.isArray(user?.preferredLanguages) ? (user.preferredLanguages as string[]) : []);
  const pick = (defaults: string | undefined, localized: Record<string, string> | undefined) => localize(defaults, localized, languages);
  const model: JsonObject = {
    ...(input.variables ?? {}),
    ...(user ? { user } : {}),
    // Never the SMTP password inside a template's reach.
    tenant: withoutSmtpPassword(tenant),
    ...(application ? { application } : {}),
    baseUrl: baseUrlOf(standin, tenant, application),
  };
  const rendered: Record<'subject' | 'html' | 'text' | 'fromName', string | undefined> = {
    subject: undefined,
    html: undefined,
    text: undefined,
    fromName: undefined,
  };
  const sources = {
    subject: ['defaultSubject', pick(template.defaultSubject, template.localizedSubjects)],
    html: ['defaultHtmlTemplate', pick(template.defaultHtmlTemplate, template.localizedHtmlTemplates)],
    text: ['defaultTextTemplate', pick(template.defaultTextTemplate, template.localizedTextTemplates)],
    fromName: ['defaultFromName', pick(template.defaultFromName, template.localizedFromNames)],
  } as const;
  for (const [part, [field, source]] of Object.entries(sources) as Array<[keyof typeof rendered, readonly [string, string | undefined]]>) {
    if (source === undefined) continue;
    try {
      rendered[part] = renderTemplate(parseTemplate(source), model);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      return { ok: false, reason: 'render', field, message: error.message };
    }
  }

  const variables = input.variables ?? {};
  const html = rendered.html ?? '';
  const text = rendered.text ?? '';
  const fromName = rendered.fromName?.trim() || config.defaultFromName;
  const toName = input.to ? input.to.name : [user?.firstName, user?.lastName].filter((part) => typeof part === 'string' && part !== '').join(' ');
  const email: OutboxEmail = {
    id: randomUUID(),
    createdAt: standin.config.now(),
    type: input.outboxType ?? (input.templateId !== undefined ? SEND_API_TYPE : (input.templateKind ?? SEND_API_TYPE)),
    from: { address: template.fromEmail ?? config.defaultFromEmail, ...(fromName ? { name: fromName } : {}) },
    to: { address, ...(toName ? { name: toName } : {}) },
    cc: input.cc ?? [],
    bcc: input.bcc ?? [],
    // A subject is one line: a line break in it would start a header.
    subject: (rendered.subject ?? '').replace(/\s*[\r\n]+\s*/g, ' ').trim(),
    html,
    text,
    headers: config.additionalHeaders,
    ...(template.id ? { templateId: template.id } : {}),
    tenantId: tenant.id,
    ...(application ? { applicationId: application.id } : {}),
    ...(user ? { userId: user.id } : {}),
    links: extractLinks(text, html),
    ...Object.fromEntries(PARSED_IDS.flatMap((name) => (typeof variables[name] === 'string' ? [[name, variables[name]]] : []))),
    delivery: smtpConfigured(config) ? 'pending' : 'none',
    attempts: 0,
  };
  standin.email.outbox.add(email);
  if (email.delivery === 'pending') {
    standin.email.delivery.enqueue({ id: email.id, smtp: config, message: email });
  }
  return { ok: true, email };
}

/** A tenant's emailConfiguration with FusionAuth's defaults for what it leaves out (tenants stored before it existed too). */
export function tenantEmailConfiguration(tenant: Tenant): EmailConfiguration {
  return withDefaults(emailConfigurationDefaults(), isObject(tenant.emailConfiguration) ? tenant.emailConfiguration : {});
}

function chooseTemplate(
  standin: Standin,
  input: SendTemplatedEmail,
  config: EmailConfiguration,
): (Partial<EmailTemplate> & { defaultSubject: string }) | undefined {
  const templates = standin.stores.emailTemplates;
  if (input.templateId !== undefined) return templates.get(input.templateId);
  const kind = input.templateKind;
  if (!kind) return undefined;
  const where = TEMPLATE_KINDS[kind];
  const applicationConfig = isObject(input.application?.emailConfiguration) ? input.application.emailConfiguration : {};
  const candidates = [
    where.application ? applicationConfig[where.application] : undefined,
    kind === 'registrationVerification' ? input.application?.verificationEmailTemplateId : undefined,
    // The application's multiFactorConfiguration.email.templateId overrides the tenant's (Application API).
    kind === 'twoFactorCode' ? twoFactorTemplateId(input.application) : undefined,
    kind === 'twoFactorCode' ? twoFactorTemplateId(input.tenant) : undefined,
    where.tenant ? config[where.tenant] : undefined,
  ];
  for (const id of candidates) {
    // An id that names no template (deleted since) falls through to the next choice.
    const template = typeof id === 'string' ? templates.get(id) : undefined;
    if (template) return template;
  }
  const fallback = DEFAULT_TEMPLATES[kind];
  return fallback
    ? { name: fallback.name, defaultSubject: fallback.subject, defaultHtmlTemplate: fallback.html, defaultTextTemplate: fallback.text }
    : undefined;
}

function twoFactorTemplateId(owner: Tenant | Application | undefined): unknown {
  const mfa = owner?.multiFactorConfiguration;
  return isObject(mfa) && isObject(mfa.email) ? mfa.email.templateId : undefined;
}

/** The localized text for the first of `languages` that has one (`fr_CA` also matches `fr`), else the default. */
export function localize(defaults: string | undefined, localized: Record<string, string> | undefined, languages: string[]): string | undefined {
  if (localized) {
    // Only the map's own entries: a language named `constructor` or `toString` must not find Object.prototype's.
    const entry = (language: string | undefined) =>
      language !== undefined && Object.hasOwn(localized, language) && typeof localized[language] === 'string' ? localized[language] : undefined;
    for (const language of languages) {
      const found = entry(language) ?? entry(language.replace('-', '_')) ?? entry(language.split(/[-_]/)[0]);
      if (found !== undefined) return found;
    }
  }
  return defaults;
}

/** Template links start here: the application's baseURL, the tenant's, else where Standin is reached. */
export function baseUrlOf(standin: Standin, tenant: Tenant, application: Application | undefined): string {
  const chosen = [application?.baseURL, tenant.baseURL].find((value) => typeof value === 'string' && /^https?:\/\//i.test(value));
  return ((chosen as string | undefined) ?? standin.baseUrl()).replace(/\/+$/, '');
}

export function withoutSmtpPassword(tenant: Tenant): JsonObject {
  if (!isObject(tenant.emailConfiguration)) return tenant;
  const { password: _password, ...emailConfiguration } = tenant.emailConfiguration;
  return { ...tenant, emailConfiguration };
}
