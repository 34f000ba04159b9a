import { ApiError, type FieldErrors } from '../errors.js';
import { unknownEventType } from './event-types.js';
import { isObject, type JsonObject } from './json.js';

/** FusionAuth's transaction types (https://fusionauth.io/docs/extend/events-and-webhooks/writing-a-webhook). */
export const TRANSACTION_TYPES = ['None', 'Any', 'SimpleMajority', 'SuperMajority', 'AbsoluteMajority'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export interface EventSetting {
  enabled: boolean;
  transactionType: TransactionType;
}

/**
 * A tenant's `eventConfiguration.events[type]`, or off when the tenant does not name the type. FusionAuth sends
 * nothing for an event type its tenant has not enabled (https://fusionauth.io/docs/extend/events-and-webhooks/).
 */
export function eventSettingOf(tenant: JsonObject | undefined, type: string): EventSetting {
  const configuration = tenant?.eventConfiguration;
  const events = isObject(configuration) && isObject(configuration.events) ? configuration.events : {};
  const setting = events[type];
  if (!isObject(setting)) return { enabled: false, transactionType: 'None' };
  const transactionType = TRANSACTION_TYPES.includes(setting.transactionType as TransactionType)
    ? (setting.transactionType as TransactionType)
    : 'None';
  return { enabled: setting.enabled === true, transactionType };
}

/**
 * FusionAuth reads `tenant.eventConfiguration.events` as a map from its EventType enum to `{enabled, transactionType}`,
 * `transactionType` its TransactionType enum (https://fusionauth.io/docs/apis/tenants, "eventConfiguration"): a key
 * or a transaction type outside those enums fails to parse, before any field is checked.
 */
export function refuseUnparsableEventConfiguration(configuration: unknown): void {
  if (!isObject(configuration) || !isObject(configuration.events)) return;
  const events = configuration.events;
  const path = 'tenant.eventConfiguration.events';
  const unknownType = unknownEventType(events);
  const unknownTransaction = Object.keys(events).find((type) => {
    const transactionType = isObject(events[type]) ? events[type].transactionType : undefined;
    return transactionType !== undefined && transactionType !== null && !TRANSACTION_TYPES.includes(transactionType as TransactionType);
  });
  let message: string;
  if (unknownType !== undefined) message = `The [${path}] property has [${unknownType.slice(0, 128)}], which is not a FusionAuth event type.`;
  else if (unknownTransaction !== undefined)
    message = `The [${path}[${unknownTransaction}].transactionType] property must be one of ${TRANSACTION_TYPES.join(', ')}.`;
  else return;
  throw ApiError.general('[invalidJSON]', `Unable to parse JSON. ${message}`);
}

/** Checks `tenant.eventConfiguration` as it is written: each event's setting an object, its `enabled` a boolean. */
export function checkEventConfiguration(configuration: unknown, errors: FieldErrors): void {
  if (configuration === undefined) return;
  const path = 'tenant.eventConfiguration.events';
  const events = isObject(configuration) ? (configuration.events ?? {}) : undefined;
  if (!isObject(events)) {
    errors.add(path, 'invalid', `The [${path}] property must map event types to their settings.`);
    return;
  }
  for (const [type, setting] of Object.entries(events)) {
    if (!isObject(setting)) {
      errors.add(`${path}[${type}]`, 'invalid', `The [${path}[${type}]] property must be an object.`);
      continue;
    }
    if (setting.enabled !== undefined && typeof setting.enabled !== 'boolean') {
      errors.add(`${path}[${type}].enabled`, 'invalid', `The [${path}[${type}].enabled] property must be true or false.`);
    }
  }
}

/**
 * Whether enough webhooks answered 2xx for the transaction type (Tenant → Webhooks settings,
 * https://fusionauth.io/docs/get-started/core-concepts/tenants): Any needs one, SimpleMajority at least half,
 * SuperMajority at least two thirds, AbsoluteMajority all of them. With no webhook to ask, nothing can fail.
 */
export function transactionSucceeded(type: TransactionType, succeeded: number, total: number): boolean {
  if (type === 'None' || total === 0) return true;
  if (type === 'Any') return succeeded >= 1;
  if (type === 'SimpleMajority') return succeeded * 2 >= total;
  if (type === 'SuperMajority') return succeeded * 3 >= total * 2;
  return succeeded === total;
}
