import { ApiError, FieldErrors } from '../errors.js';
import { unknownEventType } from './event-types.js';
import { isObject, isUuid, type JsonObject } from './json.js';

/** FusionAuth's Webhook object (https://fusionauth.io/docs/apis/webhooks). */
export interface Webhook extends JsonObject {
  id: string;
  url: string;
  /** Milliseconds. */
  connectTimeout: number;
  readTimeout: number;
  description?: string;
  data: JsonObject;
  eventsEnabled: Record<string, boolean>;
  global: boolean;
  tenantIds: string[];
  headers: Record<string, string>;
  httpAuthenticationUsername?: string;
  httpAuthenticationPassword?: string;
  signatureConfiguration: { enabled: boolean; signingKeyId?: string };
  insertInstant: number;
  lastUpdateInstant: number;
}

export interface WebhookContext {
  id: string;
  now: number;
  existing?: Webhook;
  /** The key exists and can sign (a key with private or secret material). */
  signingKeyUsable: (keyId: string) => boolean;
  tenantExists: (tenantId: string) => boolean;
}

// A header Standin sets itself, or one that would change how the request is framed: never the caller's.
const RESERVED_HEADERS = new Set(['content-length', 'content-type', 'host', 'transfer-encoding', 'connection', 'x-fusionauth-signature-jwt']);
// RFC 9110 §5.1 (field-name is a token) and §5.5 (field values: visible characters, spaces and tabs).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]{0,8192}$/;
const MAX_TIMEOUT_MS = 600_000;

/** Builds a webhook from the `webhook` member of a request body, or throws FusionAuth's field errors. */
export function buildWebhook(input: JsonObject, context: WebhookContext): Webhook {
  refuseUnknownEventTypes(input.eventsEnabled);
  const errors = new FieldErrors();
  const url = input.url;
  if (typeof url !== 'string' || url.trim() === '') errors.add('webhook.url', 'blank', 'You must specify the [webhook.url] property.');
  else if (!isHttpUrl(url)) errors.add('webhook.url', 'invalid', 'The [webhook.url] property must be a fully qualified http or https URL.');
  for (const field of ['connectTimeout', 'readTimeout'] as const) {
    const value = input[field];
    if (value === undefined || value === null) errors.add(`webhook.${field}`, 'blank', `You must specify the [webhook.${field}] property.`);
    else if (!(typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= MAX_TIMEOUT_MS)) {
      errors.add(`webhook.${field}`, 'invalid', `The [webhook.${field}] property must be a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}.`);
    }
  }
  const eventsEnabled = input.eventsEnabled ?? {};
  if (!isObject(eventsEnabled) || Object.values(eventsEnabled).some((on) => typeof on !== 'boolean')) {
    errors.add('webhook.eventsEnabled', 'invalid', 'The [webhook.eventsEnabled] property must map event types to true or false.');
  }
  const headers = input.headers ?? {};
  if (!isObject(headers)) errors.add('webhook.headers', 'invalid', 'The [webhook.headers] property must map header names to values.');
  else {
    for (const [name, value] of Object.entries(headers)) {
      if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase()) || typeof value !== 'string' || !HEADER_VALUE.test(value)) {
        errors.add(
          'webhook.headers',
          'invalid',
          `The header [${name.slice(0, 64)}] cannot be sent: it must be a valid HTTP header that Standin does not set itself.`,
        );
      }
    }
  }
  const tenantIds = input.tenantIds ?? [];
  if (!Array.isArray(tenantIds) || tenantIds.some((id) => !isUuid(id)))
    errors.add('webhook.tenantIds', 'invalid', 'The [webhook.tenantIds] property must be a list of tenant ids.');
  else {
    for (const id of tenantIds as string[]) {
      if (!context.tenantExists(id.toLowerCase()))
        errors.add('webhook.tenantIds', 'invalid', `The [webhook.tenantIds] property names a tenant [${id}] that does not exist.`);
    }
  }
  const global = input.global ?? false;
  if (typeof global !== 'boolean') errors.add('webhook.global', 'invalid', 'The [webhook.global] property must be true or false.');
  for (const field of ['description', 'httpAuthenticationUsername', 'httpAuthenticationPassword'] as const) {
    if (input[field] !== undefined && input[field] !== null && typeof input[field] !== 'string')
      errors.add(`webhook.${field}`, 'invalid', `The [webhook.${field}] property must be a string.`);
  }
  const data = input.data ?? {};
  if (!isObject(data)) errors.add('webhook.data', 'invalid', 'The [webhook.data] property must be an object.');
  const signature = input.signatureConfiguration ?? {};
  const signing = isObject(signature) ? signature : {};
  if (!isObject(signature))
    errors.add('webhook.signatureConfiguration', 'invalid', 'The [webhook.signatureConfiguration] property must be an object.');
  const enabled = signing.enabled ?? false;
  if (typeof enabled !== 'boolean')
    errors.add('webhook.signatureConfiguration.enabled', 'invalid', 'The [webhook.signatureConfiguration.enabled] property must be true or false.');
  const signingKeyId = signing.signingKeyId;
  if (signingKeyId !== undefined && signingKeyId !== null && !(isUuid(signingKeyId) && context.signingKeyUsable(signingKeyId.toLowerCase()))) {
    errors.add(
      'webhook.signatureConfiguration.signingKeyId',
      'invalid',
      'The [webhook.signatureConfiguration.signingKeyId] property does not refer to a key that can sign.',
    );
  } else if (enabled === true && (signingKeyId === undefined || signingKeyId === null)) {
    errors.add(
      'webhook.signatureConfiguration.signingKeyId',
      'blank',
      'You must specify the [webhook.signatureConfiguration.signingKeyId] property when signing is enabled.',
    );
  }
  for (const field of ['sslCertificate', 'sslCertificateKeyId'] as const) {
    if (input[field] !== undefined && input[field] !== null && typeof input[field] !== 'string')
      errors.add(`webhook.${field}`, 'invalid', `The [webhook.${field}] property must be a string.`);
  }
  errors.throwIfAny();

  const webhook: Webhook = {
    id: context.id,
    url: (url as string).trim(),
    connectTimeout: input.connectTimeout as number,
    readTimeout: input.readTimeout as number,
    data: data as JsonObject,
    eventsEnabled: eventsEnabled as Record<string, boolean>,
    global: global as boolean,
    tenantIds: [...new Set((tenantIds as string[]).map((id) => id.toLowerCase()))],
    headers: headers as Record<string, string>,
    signatureConfiguration: {
      enabled: enabled as boolean,
      ...(typeof signingKeyId === 'string' ? { signingKeyId: signingKeyId.toLowerCase() } : {}),
    },
    insertInstant: context.existing?.insertInstant ?? context.now,
    lastUpdateInstant: context.now,
  };
  // sslCertificate and sslCertificateKeyId are kept and answered, not used: Standin trusts Node's CA list (docs/webhooks.md).
  for (const field of ['description', 'httpAuthenticationUsername', 'httpAuthenticationPassword', 'sslCertificate', 'sslCertificateKeyId'] as const) {
    if (typeof input[field] === 'string') webhook[field] = input[field];
  }
  return webhook;
}

/**
 * FusionAuth reads the keys of `eventsEnabled` as its EventType enum: a key that is not one fails to parse, before
 * any field is checked (https://fusionauth.io/docs/apis/webhooks, "eventsEnabled").
 */
function refuseUnknownEventTypes(eventsEnabled: unknown): void {
  if (!isObject(eventsEnabled)) return;
  const unknown = unknownEventType(eventsEnabled);
  if (unknown === undefined) return;
  throw ApiError.general(
    '[invalidJSON]',
    `Unable to parse JSON. The [webhook.eventsEnabled] property has [${unknown.slice(0, 128)}], which is not a FusionAuth event type.`,
  );
}

/**
 * FusionAuth's rule for which webhooks hear a tenant's events (https://fusionauth.io/docs/extend/events-and-webhooks/):
 * a global webhook hears every tenant; otherwise only the tenants it lists, and with none listed it hears nothing.
 */
export function webhookHearsTenant(webhook: Webhook, tenantId: string | undefined): boolean {
  if (webhook.global) return true;
  return tenantId !== undefined && webhook.tenantIds.includes(tenantId);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
