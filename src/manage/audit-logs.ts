import { ApiError, FieldErrors } from '../errors.js';
import { isObject, type JsonObject } from '../model/json.js';
import type { AuditLog, AuditLogColumn, AuditLogQuery, NewAuditLog } from '../store/audit-logs.js';
import type { Stores } from '../store/index.js';
import { likePattern } from './like-pattern.js';
import { requireMember } from './request-body.js';
import { readSearchPage } from './search-page.js';
import { criteriaObject, instantCriterion, noOrderGiven } from './search-criteria.js';

// Longer than any message a person writes; it bounds what one entry stores and what a search matches.
const MAX_TEXT = 4096;

/**
 * FusionAuth's Add an Entry to the Audit Log (https://fusionauth.io/docs/apis/audit-logs): `auditLog.insertUser` and
 * `auditLog.message` are required; `data` (an object), `newValue`, `oldValue` and `reason` are kept as given. The id
 * and insert instant are the server's, whatever the request says.
 */
export function createAuditLog(stores: Stores, now: number, body: unknown): AuditLog {
  const input = requireMember(body, 'auditLog');
  const errors = new FieldErrors();
  const insertUser = requiredText(input, 'insertUser', errors);
  const message = requiredText(input, 'message', errors);
  if (input.data !== undefined && input.data !== null && !isObject(input.data))
    errors.add('auditLog.data', 'invalid', 'The [auditLog.data] property must be an object.');
  if (input.reason !== undefined && input.reason !== null && typeof input.reason !== 'string')
    errors.add('auditLog.reason', 'invalid', 'The [auditLog.reason] property must be a string.');
  errors.throwIfAny();
  const entry: NewAuditLog = {
    ...(isObject(input.data) ? { data: input.data } : {}),
    ...(input.newValue === undefined || input.newValue === null ? {} : { newValue: input.newValue }),
    ...(input.oldValue === undefined || input.oldValue === null ? {} : { oldValue: input.oldValue }),
    ...(typeof input.reason === 'string' ? { reason: input.reason } : {}),
    insertUser: insertUser!,
    message: message!,
  };
  return stores.auditLogs.insert(now, entry);
}

const ORDER_FIELDS = { insertInstant: 'insert_instant', insertUser: 'insert_user', message: 'message' } as const satisfies Record<
  string,
  AuditLogColumn
>;
type OrderField = keyof typeof ORDER_FIELDS;
// The criteria matched as text, each with the column it is matched against.
const TEXT_CRITERIA = { message: 'message', user: 'insert_user', newValue: 'new_value', oldValue: 'old_value', reason: 'reason' } as const;

/**
 * FusionAuth's Search the Audit Log (https://fusionauth.io/docs/apis/audit-logs): `message`, `user`, `newValue`,
 * `oldValue` and `reason` match as FusionAuth's text criteria do (`*` for anything, else anywhere in the text);
 * `start` and `end` bound the insert instant; `orderBy` one of `insertInstant`, `insertUser`, `message`, newest
 * first by default. `criteria` is the POST body's `search` (`prefix` `search.`) or the GET's query (no prefix); a
 * criterion of the wrong type or an unknown order is a field error.
 */
export function searchAuditLogs(stores: Stores, criteria: unknown, prefix: string): { auditLogs: AuditLog[]; total: number } {
  const errors = new FieldErrors();
  const given = criteriaObject(criteria, prefix, errors);
  const fields = Object.keys(ORDER_FIELDS) as OrderField[];
  const page = readSearchPage(given, fields, 'insertInstant', prefix, errors);
  // FusionAuth's default order is `insertInstant DESC`: newest first.
  const orderBy = noOrderGiven(given) ? { field: 'insertInstant', descending: true } : page.orderBy;
  const like: AuditLogQuery['like'] = {};
  for (const [name, column] of Object.entries(TEXT_CRITERIA)) {
    const value = given[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value.length > MAX_TEXT) {
      errors.add(`${prefix}${name}`, 'invalid', `The [${prefix}${name}] property must be a string of at most ${MAX_TEXT} characters.`);
      continue;
    }
    const pattern = likePattern(value);
    if (pattern !== undefined) like[column] = pattern;
  }
  const start = instantCriterion(given, 'start', prefix, errors);
  const end = instantCriterion(given, 'end', prefix, errors);
  // Audit log entries Standin stores belong to no tenant (see docs/management-api.md, "The audit log").
  if (given.tenantId !== undefined && given.tenantId !== null && given.tenantId !== '')
    throw ApiError.general('[NotModelled]', `Standin keeps no tenant on audit log entries, so it cannot search them by [${prefix}tenantId].`);
  errors.throwIfAny();
  return stores.auditLogs.search({
    like,
    ...(start === undefined ? {} : { start }),
    ...(end === undefined ? {} : { end }),
    orderBy: { column: ORDER_FIELDS[orderBy.field as OrderField], descending: orderBy.descending },
    startRow: page.startRow,
    numberOfResults: page.numberOfResults,
  });
}

function requiredText(input: JsonObject, name: string, errors: FieldErrors): string | undefined {
  const value = input[name];
  const field = `auditLog.${name}`;
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    errors.add(field, 'blank', `You must specify the [${field}] property.`);
    return undefined;
  }
  if (typeof value !== 'string' || value.length > MAX_TEXT) {
    errors.add(field, 'invalid', `The [${field}] property must be a string of at most ${MAX_TEXT} characters.`);
    return undefined;
  }
  return value;
}
