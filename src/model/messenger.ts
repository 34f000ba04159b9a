import { ApiError, FieldErrors } from '../errors.js';
import { MESSAGE_TYPES } from './message-template.js';
import { isObject, isUuid, type JsonObject } from './json.js';
import { optionalBoolean } from './optional-fields.js';

/**
 * FusionAuth's messenger (https://fusionauth.io/docs/apis/messengers): where FusionAuth sends SMS and voice messages,
 * a Generic HTTP endpoint, Twilio, or Kafka. Messengers belong to no tenant. Standin stores them and answers them,
 * their credentials included as FusionAuth answers them, and never sends a message through one (docs/messengers.md).
 */
export interface Messenger extends JsonObject {
  id: string;
  name: string;
  type: MessengerType;
  data: JsonObject;
  debug: boolean;
  messageTypes: string[];
  /** Read-only, always `sms` (Twilio Messenger API, "messenger.transport"). */
  transport: 'sms';
  insertInstant: number;
  lastUpdateInstant: number;
}

// FusionAuth's OpenAPI description: MessengerType.
export const MESSENGER_TYPES = ['Generic', 'Kafka', 'Twilio'] as const;
export type MessengerType = (typeof MESSENGER_TYPES)[number];

export interface MessengerContext {
  id: string;
  now: number;
  existing?: Messenger;
  /** Whether a key with this (lower-case) id exists, for a Generic messenger's client certificate. */
  keyExists: (id: string) => boolean;
}

/**
 * Builds a messenger from the `messenger` member of a request, or throws FusionAuth's errors. The `type` picks which
 * kind of messenger FusionAuth reads, so one that is missing or outside its enum is JSON it cannot read
 * (`[invalidJSON]`); an update keeps the messenger's type. Then, every one at once: `[blank]messenger.name`, and per
 * type what its page asks for: Generic `url` (`[blank]`, `[invalid]` when not http or https), `connectTimeout` and
 * `readTimeout` (`[blank]`, `[invalid]` unless above 0), `sslCertificateId` naming a key; Twilio `accountSID`, `url`,
 * and `fromPhoneNumber` unless `messagingServiceSid` is given; Kafka `defaultTopic`. `messageTypes` defaults to
 * `["SMS"]`. Members another type has are dropped.
 */
export function buildMessenger(input: JsonObject, context: MessengerContext): Messenger {
  const type = context.existing?.type ?? typeOf(input.type);
  const errors = new FieldErrors();
  const { name, data } = input;
  if (typeof name !== 'string' || name.trim() === '') errors.add('messenger.name', 'blank', 'You must specify the [messenger.name] property.');
  const messenger: Messenger = {
    id: context.id,
    name: typeof name === 'string' ? name : '',
    type,
    data: {},
    debug: optionalBoolean(input.debug, 'messenger.debug', errors),
    messageTypes: messageTypesOf(input.messageTypes, errors),
    transport: 'sms',
    ...TYPE_MEMBERS[type](input, context, errors),
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
  if (isObject(data)) messenger.data = data;
  else if (data !== undefined && data !== null) errors.add('messenger.data', 'invalid', 'The [messenger.data] property must be an object.');
  errors.throwIfAny();
  return messenger;
}

type Members = (input: JsonObject, context: MessengerContext, errors: FieldErrors) => JsonObject;

const TYPE_MEMBERS: Record<MessengerType, Members> = {
  // Generic Messenger API (https://fusionauth.io/docs/apis/messengers/generic).
  Generic(input, context, errors) {
    const members: JsonObject = { url: urlOf(input.url, errors), headers: {} };
    for (const field of ['connectTimeout', 'readTimeout'] as const) {
      const value = input[field];
      if (value === undefined || value === null) errors.add(`messenger.${field}`, 'blank', `You must specify the [messenger.${field}] property.`);
      else if (!(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
        errors.add(`messenger.${field}`, 'invalid', `The [messenger.${field}] property must be a number of milliseconds greater than 0.`);
      } else members[field] = value;
    }
    const { headers, sslCertificateId } = input;
    if (isObject(headers) && Object.values(headers).every((value) => typeof value === 'string')) members.headers = headers;
    else if (headers !== undefined && headers !== null)
      errors.add('messenger.headers', 'invalid', 'The [messenger.headers] property must map header names to values.');
    copyStrings(input, members, ['httpAuthenticationUsername', 'httpAuthenticationPassword', 'sslCertificate'], errors);
    if (sslCertificateId !== undefined && sslCertificateId !== null) {
      if (isUuid(sslCertificateId) && context.keyExists(sslCertificateId.toLowerCase())) members.sslCertificateId = sslCertificateId.toLowerCase();
      else errors.add('messenger.sslCertificateId', 'invalid', 'The [messenger.sslCertificateId] property does not identify a key.');
    }
    return members;
  },
  // Twilio Messenger API (https://fusionauth.io/docs/apis/messengers/twilio).
  Twilio(input, _context, errors) {
    const members: JsonObject = { url: urlOf(input.url, errors) };
    const { accountSID, fromPhoneNumber, messagingServiceSid } = input;
    if (typeof accountSID !== 'string' || accountSID.trim() === '') {
      errors.add('messenger.accountSID', 'blank', 'You must specify the [messenger.accountSID] property.');
    }
    copyStrings(input, members, ['accountSID', 'authToken', 'fromPhoneNumber', 'messagingServiceSid'], errors);
    // "When using messagingServicesSid, you may omit the fromPhoneNumber field."
    if (!nonBlank(fromPhoneNumber) && !nonBlank(messagingServiceSid)) {
      errors.add(
        'messenger.fromPhoneNumber',
        'blank',
        'You must specify the [messenger.fromPhoneNumber] property, or [messenger.messagingServiceSid].',
      );
    }
    return members;
  },
  // FusionAuth's OpenAPI description, KafkaMessengerConfiguration: a default topic and the producer's settings.
  Kafka(input, _context, errors) {
    const members: JsonObject = { producer: {} };
    const { defaultTopic, producer } = input;
    if (!nonBlank(defaultTopic)) errors.add('messenger.defaultTopic', 'blank', 'You must specify the [messenger.defaultTopic] property.');
    copyStrings(input, members, ['defaultTopic'], errors);
    if (isObject(producer) && Object.values(producer).every((value) => typeof value === 'string')) members.producer = producer;
    else if (producer !== undefined && producer !== null)
      errors.add('messenger.producer', 'invalid', 'The [messenger.producer] property must map settings to values.');
    return members;
  },
};

function typeOf(value: unknown): MessengerType {
  if ((MESSENGER_TYPES as readonly unknown[]).includes(value)) return value as MessengerType;
  throw ApiError.general('[invalidJSON]', `Unable to parse JSON. The [messenger.type] property must be one of [${MESSENGER_TYPES.join(', ')}].`);
}

function urlOf(value: unknown, errors: FieldErrors): string | undefined {
  if (!nonBlank(value)) {
    errors.add('messenger.url', 'blank', 'You must specify the [messenger.url] property.');
    return undefined;
  }
  if (!isHttpUrl(value)) errors.add('messenger.url', 'invalid', 'The [messenger.url] property must be a fully qualified http or https URL.');
  return value;
}

function messageTypesOf(value: unknown, errors: FieldErrors): string[] {
  if (value === undefined || value === null) return ['SMS'];
  if (!Array.isArray(value) || value.length === 0 || value.some((type) => !(MESSAGE_TYPES as readonly unknown[]).includes(type))) {
    errors.add('messenger.messageTypes', 'invalid', `The [messenger.messageTypes] property must list one or more of [${MESSAGE_TYPES.join(', ')}].`);
    return ['SMS'];
  }
  return [...new Set(value as string[])];
}

function copyStrings(input: JsonObject, members: JsonObject, fields: readonly string[], errors: FieldErrors): void {
  for (const field of fields) {
    const value = input[field];
    if (typeof value === 'string') members[field] = value;
    else if (value !== undefined && value !== null)
      errors.add(`messenger.${field}`, 'invalid', `The [messenger.${field}] property must be a string.`);
  }
}

function nonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
