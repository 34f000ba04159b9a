import { FieldErrors } from '../errors.js';
import { isUuid, shownValue, type JsonObject } from '../model/json.js';
import {
  DEFAULT_REPORT_TIMEZONE,
  EARLIEST_REPORT_INSTANT,
  intervalFinder,
  intervalOf,
  isKnownTimeZone,
  LATEST_REPORT_INSTANT,
  widenedRange,
  type ReportUnit,
} from '../model/report-intervals.js';
import type { Stores } from '../store/index.js';
import type { ReportEvent, ReportEventQuery } from '../store/reports.js';

/** One bucket of a report (FusionAuth's Count): its interval in the report's unit since the epoch, and its count. */
export interface ReportCount {
  interval: number;
  count: number;
}

/** What a report is asked for: the range and, when given, the application, user and tenant it is narrowed to. */
export interface ReportRequest {
  start: number;
  end: number;
  applicationId?: string;
  userId?: string;
  tenantId?: string;
}

/**
 * `start` and `end` (required instants, "truncated to" the report's unit in the report timezone) and the optional
 * `applicationId` of every report but the Totals (https://fusionauth.io/docs/apis/reports, "Request Parameters").
 */
export function readReportRequest(query: JsonObject, tenantId: string | undefined): ReportRequest {
  const errors = new FieldErrors();
  const start = instant(query, 'start', errors);
  const end = instant(query, 'end', errors);
  const applicationId = optionalUuid(query, 'applicationId', errors);
  errors.throwIfAny();
  return {
    start: start!,
    end: end!,
    ...(applicationId === undefined ? {} : { applicationId }),
    ...(tenantId === undefined ? {} : { tenantId }),
  };
}

/** `userId` of the Login report, a UUID when given; lower-cased as Standin keeps ids. */
export function readReportUserId(query: JsonObject): string | undefined {
  const errors = new FieldErrors();
  const userId = optionalUuid(query, 'userId', errors);
  errors.throwIfAny();
  return userId;
}

/** Daily and monthly active users: each user counted once in each day or month they logged in. */
export function activeUsers(stores: Stores, request: ReportRequest, unit: 'day' | 'month'): { counts: ReportCount[]; total: number } {
  return bucketed(stores, request, unit, (query) => stores.reports.logins(query), 'distinctUsers');
}

/** Logins, by the hour ("The report is always calculated in hours"). */
export function loginCounts(stores: Stores, request: ReportRequest): { counts: ReportCount[]; total: number } {
  return bucketed(stores, request, 'hour', (query) => stores.reports.logins(query), 'events');
}

/**
 * Registrations, by the hour: to the application when one is asked for, else FusionAuth's "global" registrations,
 * the users created (the Totals report's `globalRegistrations` counts users the same way).
 */
export function registrationCounts(stores: Stores, request: ReportRequest): { counts: ReportCount[]; total: number } {
  const { applicationId } = request;
  return bucketed(
    stores,
    request,
    'hour',
    (query) => (applicationId === undefined ? stores.reports.usersCreated(query) : stores.reports.registrationsTo(applicationId, query)),
    'events',
  );
}

/**
 * FusionAuth's Totals report (https://fusionauth.io/docs/apis/reports, "Retrieve Totals Report"), from the rows
 * Standin holds: `logins` are the application's login records (the newest 10,000 of all), `registrations` its
 * registrations now, and `globalRegistrations` the users now. Standin keeps no all-time counters, so the all-time
 * `totalRegistrations` and `totalGlobalRegistrations` are the same numbers (docs/reports.md). `excludes` may
 * name `applicationTotals`, the only member it can leave out.
 */
export function totalsReport(stores: Stores, excludes: unknown, tenantId: string | undefined): JsonObject {
  const excluded = excludes === undefined || excludes === null ? [] : ([] as unknown[]).concat(excludes);
  const other = excluded.find((name) => name !== 'applicationTotals');
  if (other !== undefined) {
    new FieldErrors()
      .add('excludes', 'invalid', `The [excludes] value [${shownValue(other)}] is not allowed: only [applicationTotals] may be excluded.`)
      .throwIfAny();
  }
  const users = stores.reports.userCount(tenantId);
  const report: JsonObject = { globalRegistrations: users, totalGlobalRegistrations: users };
  if (excluded.length > 0) return report;
  const applicationTotals: JsonObject = {};
  for (const totals of stores.reports.applicationTotals(tenantId)) {
    applicationTotals[totals.applicationId] = {
      logins: totals.logins,
      registrations: totals.registrations,
      totalRegistrations: totals.registrations,
    };
  }
  return { applicationTotals, ...report };
}

/**
 * The events of `[start, end]` counted per interval of `unit` in the report timezone, from the interval that holds
 * `start` to the one that holds `end`, both whole. Only intervals with a count are listed (FusionAuth's examples list
 * consecutive intervals that each have one); `total` is their sum.
 */
function bucketed(
  stores: Stores,
  request: ReportRequest,
  unit: ReportUnit,
  read: (query: ReportEventQuery) => ReportEvent[],
  counting: 'events' | 'distinctUsers',
): { counts: ReportCount[]; total: number } {
  const zone = reportTimezone(stores);
  const first = intervalOf(request.start, unit, zone);
  const last = intervalOf(request.end, unit, zone);
  const { from, to } = widenedRange(request.start, request.end, unit);
  const events = read({
    from,
    to,
    ...(request.applicationId === undefined ? {} : { applicationId: request.applicationId }),
    ...(request.userId === undefined ? {} : { userId: request.userId }),
    ...(request.tenantId === undefined ? {} : { tenantId: request.tenantId }),
  });
  const byInterval = new Map<number, Set<string> | number>();
  const intervalOfEvent = intervalFinder(unit, zone);
  for (const event of events) {
    const interval = intervalOfEvent(event.instant);
    if (interval < first || interval > last) continue;
    if (counting === 'events') byInterval.set(interval, ((byInterval.get(interval) as number | undefined) ?? 0) + 1);
    else {
      const users = (byInterval.get(interval) as Set<string> | undefined) ?? new Set<string>();
      users.add(event.userId);
      byInterval.set(interval, users);
    }
  }
  const counts = [...byInterval.entries()]
    .sort(([a], [b]) => a - b)
    .map(([interval, value]) => ({ interval, count: typeof value === 'number' ? value : value.size }));
  return { counts, total: counts.reduce((sum, { count }) => sum + count, 0) };
}

/** The System Configuration's `reportTimezone`, or FusionAuth's default while it names no known zone. */
function reportTimezone(stores: Stores): string {
  const configured = stores.systemConfiguration.get().reportTimezone;
  return isKnownTimeZone(configured) ? configured : DEFAULT_REPORT_TIMEZONE;
}

/** A required instant parameter: milliseconds since the epoch, as the clients send it (a string of digits). */
function instant(query: JsonObject, name: string, errors: FieldErrors): number | undefined {
  const value = query[name];
  if (value === undefined || value === null || value === '') {
    errors.add(name, 'missing', `You must specify the [${name}] parameter.`);
    return undefined;
  }
  const number = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < EARLIEST_REPORT_INSTANT || number > LATEST_REPORT_INSTANT) {
    errors.add(name, 'invalid', `The [${name}] parameter must be an instant in milliseconds since the epoch.`);
    return undefined;
  }
  return number;
}

function optionalUuid(query: JsonObject, name: string, errors: FieldErrors): string | undefined {
  const value = query[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && isUuid(value)) return value.toLowerCase();
  errors.add(name, 'invalid', `The [${name}] parameter must be a UUID.`);
  return undefined;
}
