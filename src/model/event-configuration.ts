import type { FieldErrors } from '../errors.js';
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

/** Checks `tenant.eventConfiguration` as it is written: each event's `enabled` a boolean, its `transactionType` one of FusionAuth's. */
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
    if (setting.transactionType !== undefined && !TRANSACTION_TYPES.includes(setting.transactionType as TransactionType)) {
      errors.add(
        `${path}[${type}].transactionType`,
        'invalid',
        `The [${path}[${type}].transactionType] property must be one of ${TRANSACTION_TYPES.join(', ')}.`,
      );
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
