/**
 * The intervals of FusionAuth's reports (https://fusionauth.io/docs/apis/reports): "the number of hours (days,
 * months) since Epoch UTC shifted to the report timezone". An instant is first read as a wall-clock time in the
 * report timezone (System Configuration `reportTimezone`), and that wall-clock time is then counted from
 * 1970-01-01T00:00 in whole hours, days or calendar months.
 */
export type ReportUnit = 'hour' | 'day' | 'month';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const QUARTER_HOUR = 900_000;

// FusionAuth's out-of-the-box report timezone (its System Configuration's example value, and the admin UI's
// preselected one): used while `reportTimezone` is unset or names no zone this runtime knows.
export const DEFAULT_REPORT_TIMEZONE = 'America/Denver';

/**
 * The instants a report's `start` and `end` may be: years 1000 to 9999, where every wall-clock time is a date
 * JavaScript reads back as written (and a widened range stays within Date's range).
 */
export const EARLIEST_REPORT_INSTANT = Date.UTC(1000, 0, 1);
export const LATEST_REPORT_INSTANT = Date.UTC(10000, 0, 1) - 1;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `zone` is an IANA time zone this runtime knows (`America/Denver`, `UTC`). */
export function isKnownTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '') return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The interval that holds `instant` in `zone`, counted in `unit`s since the epoch. */
export function intervalOf(instant: number, unit: ReportUnit, zone: string): number {
  return intervalOfWallClock(wallClockMillis(instant, zone), unit);
}

function intervalOfWallClock(wallClock: number, unit: ReportUnit): number {
  if (unit === 'hour') return Math.floor(wallClock / HOUR);
  if (unit === 'day') return Math.floor(wallClock / DAY);
  const date = new Date(wallClock);
  return (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth();
}

/**
 * `intervalOf` for many instants of one report: the zone's offset is read once per quarter hour of UTC (today's zones
 * change offset on quarter hours of UTC), not once per instant: a report over a million users asks Intl at most
 * once for each quarter hour that holds one of them.
 */
export function intervalFinder(unit: ReportUnit, zone: string): (instant: number) => number {
  const offsets = new Map<number, number>();
  return (instant) => {
    const quarter = Math.floor(instant / QUARTER_HOUR);
    let offset = offsets.get(quarter);
    if (offset === undefined) {
      const at = quarter * QUARTER_HOUR;
      offset = wallClockMillis(at, zone) - at;
      offsets.set(quarter, offset);
    }
    return intervalOfWallClock(instant + offset, unit);
  };
}

/**
 * How far around `[start, end]` a query must look so that every instant of the first and last interval is read:
 * the intervals are then chosen by `intervalOf`. A month is at most 31 days, and a zone's offset at most 14 hours.
 */
export function widenedRange(start: number, end: number, unit: ReportUnit): { from: number; to: number } {
  const margin = (unit === 'month' ? 32 * DAY : 2 * DAY) + 14 * HOUR;
  return { from: start - margin, to: end + margin };
}

/** `instant` as the wall-clock time it is in `zone`, written as milliseconds of a UTC clock. */
function wallClockMillis(instant: number, zone: string): number {
  const parts = formatterFor(zone).formatToParts(new Date(instant));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)!.value);
  const wholeSecond = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  // Years before 100 would be read as 19xx by Date.UTC; reports never reach them, and the milliseconds are kept.
  return wholeSecond + (((instant % 1000) + 1000) % 1000);
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}
