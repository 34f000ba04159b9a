import { randomUUID } from 'node:crypto';
import { ApiError } from '../errors.js';
import { TemplateError, parseTemplate, renderTemplate } from '../email/freemarker/index.js';
import { localize, withoutSmtpPassword } from '../email/send-templated-email.js';
import type { Application } from '../model/application.js';
import { isObject, type JsonObject } from '../model/json.js';
import type { Tenant } from '../model/tenant.js';
import type { User } from '../model/user.js';
import type { Standin } from '../standin.js';
import type { OutboxSms } from '../store/sms-outbox.js';
import { postToGenericMessenger } from './generic-messenger.js';

/**
 * Texts a two-factor code (https://fusionauth.io/docs/apis/two-factor, "Send a Multi-Factor Code"): the tenant's
 * `multiFactorConfiguration.sms.messengerId` sends the message template the application's or tenant's
 * `multiFactorConfiguration.sms.templateId` names, rendered as FusionAuth's "Two-Factor Authentication" message
 * template is (https://fusionauth.io/docs/customize/email-and-messages/message-templates-replacement-variables:
 * `code`, `mobilePhone`, `email`, `user`, `tenant`, `application`). Only a Generic messenger sends; Twilio and Kafka
 * answer `[NotModelled]`. Every attempt is kept in the SMS outbox (`GET /_standin/sms`), sent or not
 * (docs/messengers.md).
 */

/** Standin's text when neither the application nor the tenant names a template (FusionAuth's example message). */
const DEFAULT_TWO_FACTOR_TEXT = 'Two Factor Code: ${code}';

export interface TwoFactorSms {
  tenant: Tenant;
  application?: Application | undefined;
  user: User;
  phoneNumber: string;
  code: string;
}

/** The messenger that would send, and the text it would send, or the refusal; nothing is sent or kept. */
export function prepareTwoFactorSms(standin: Standin, input: TwoFactorSms): { messengerId: string; textMessage: string; templateId?: string } {
  const { tenant, application, user, phoneNumber, code } = input;
  const smsConfig = (owner: Tenant | Application | undefined): JsonObject | undefined => {
    const mfa = owner?.multiFactorConfiguration;
    return isObject(mfa) && isObject(mfa.sms) ? mfa.sms : undefined;
  };
  const messengerId = smsConfig(tenant)?.messengerId;
  const messenger = typeof messengerId === 'string' ? standin.stores.messengers.get(messengerId) : undefined;
  if (!messenger) {
    throw ApiError.general(
      '[SendFailed]',
      'The code could not be sent: the tenant names no messenger in multiFactorConfiguration.sms.messengerId (or one that does not exist).',
    );
  }
  refuseUnsendable(messenger);
  const templateId = [smsConfig(application)?.templateId, smsConfig(tenant)?.templateId].find((id) => typeof id === 'string' && id !== '');
  const template = typeof templateId === 'string' ? standin.stores.messageTemplates.get(templateId) : undefined;
  const languages = Array.isArray(user.preferredLanguages) ? (user.preferredLanguages as string[]) : [];
  const source = template
    ? (localize(template.defaultTemplate, template.localizedTemplates, languages) ?? template.defaultTemplate)
    : DEFAULT_TWO_FACTOR_TEXT;
  const model: JsonObject = {
    code,
    mobilePhone: phoneNumber,
    ...(typeof user.email === 'string' ? { email: user.email } : {}),
    user,
    tenant: withoutSmtpPassword(tenant),
    ...(application ? { application } : {}),
  };
  try {
    const textMessage = renderTemplate(parseTemplate(source), model);
    return { messengerId: messenger.id, textMessage, ...(template ? { templateId: template.id } : {}) };
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw ApiError.general('[InvalidTemplate]', `The code could not be sent: the message template could not be rendered: ${error.message}`);
  }
}

/**
 * Sends the text through the tenant's Generic messenger and keeps it in the SMS outbox. A receiver that answers
 * outside 2xx, is not reachable or does not answer in time is a failed send: kept as `failed`, and answered
 * `[SendFailed]` (400) naming why, never the URL or credentials.
 */
export async function sendTwoFactorSms(standin: Standin, input: TwoFactorSms): Promise<OutboxSms> {
  const { tenant, application, user, phoneNumber, code } = input;
  const prepared = prepareTwoFactorSms(standin, input);
  const messenger = standin.stores.messengers.get(prepared.messengerId)!;
  const outcome = await postToGenericMessenger(messenger, { code, phoneNumber, textMessage: prepared.textMessage, type: 'SMS', userId: user.id });
  const sms: OutboxSms = {
    id: randomUUID(),
    createdAt: standin.config.now(),
    type: 'twoFactorCode',
    messageType: 'SMS',
    phoneNumber,
    textMessage: prepared.textMessage,
    code,
    messengerId: messenger.id,
    messengerType: messenger.type,
    ...(prepared.templateId === undefined ? {} : { templateId: prepared.templateId }),
    tenantId: tenant.id,
    ...(application ? { applicationId: application.id } : {}),
    userId: user.id,
    delivery: outcome.ok ? 'sent' : 'failed',
    ...(outcome.status === undefined ? {} : { status: outcome.status }),
    ...(outcome.ok ? {} : { error: outcome.error }),
  };
  standin.stores.smsOutbox.insert(sms);
  if (!outcome.ok) throw ApiError.general('[SendFailed]', `The code could not be sent: the messenger [${messenger.name}] failed: ${outcome.error}.`);
  return sms;
}

/**
 * Twilio and Kafka messengers are stored, never used (docs/messengers.md); a Generic messenger's own certificate for an
 * https receiver (`sslCertificate`, `sslCertificateId`) is not modelled either: Standin would not trust what it says.
 */
function refuseUnsendable(messenger: { type: string; name: string; url?: unknown; sslCertificate?: unknown; sslCertificateId?: unknown }): void {
  if (messenger.type !== 'Generic') {
    throw ApiError.general(
      '[NotModelled]',
      `Standin does not send through a [${messenger.type}] messenger ([${messenger.name}]): only a Generic messenger sends (docs/messengers.md).`,
    );
  }
  const pinned = (typeof messenger.sslCertificate === 'string' && messenger.sslCertificate !== '') || typeof messenger.sslCertificateId === 'string';
  if (pinned && typeof messenger.url === 'string' && /^https:/i.test(messenger.url)) {
    throw ApiError.general(
      '[NotModelled]',
      `Standin does not model a Generic messenger's sslCertificate: [${messenger.name}] names one for an https receiver (docs/messengers.md).`,
    );
  }
}
