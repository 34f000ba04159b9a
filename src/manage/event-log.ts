import { FieldErrors } from '../errors.js';
import type { EventLog, EventLogType } from '../store/event-logs.js';
import type { Stores } from '../store/index.js';
import { likePattern } from './like-pattern.js';

export interface EventLogSearch {
  message?: string;
  type?: string;
  start?: number;
  end?: number;
  orderBy?: string;
  startRow: number;
  numberOfResults: number;
}

const TYPES: readonly EventLogType[] = ['Information', 'Debug', 'Error'];
const ORDER_COLUMNS = { insertInstant: 'insert_instant', message: 'message', type: 'type' } as const;

/**
 * FusionAuth's event log search (https://fusionauth.io/docs/apis/event-logs): `message` matches anywhere unless it
 * has a `*`, which stands for anything; `start` and `end` bound the insert instant; newest first by default.
 */
export function searchEventLogs(stores: Stores, search: EventLogSearch): { eventLogs: EventLog[]; total: number } {
  const errors = new FieldErrors();
  const type = search.type === undefined || search.type === '' ? undefined : TYPES.find((candidate) => candidate === search.type);
  if (search.type !== undefined && search.type !== '' && type === undefined)
    errors.add('search.type', 'invalid', `The [search.type] property must be one of ${TYPES.join(', ')}.`);
  const match = /^\s*(\w+)(?:\s+(ASC|DESC))?\s*$/i.exec(search.orderBy ?? 'insertInstant DESC');
  const column = match ? ORDER_COLUMNS[match[1] as keyof typeof ORDER_COLUMNS] : undefined;
  if (column === undefined)
    errors.add(
      'search.orderBy',
      'invalid',
      `The [search.orderBy] property must be one of ${Object.keys(ORDER_COLUMNS).join(', ')}, optionally followed by ASC or DESC.`,
    );
  errors.throwIfAny();
  return stores.eventLogs.search({
    ...(likePattern(search.message) === undefined ? {} : { like: likePattern(search.message)! }),
    ...(type === undefined ? {} : { type }),
    ...(search.start === undefined ? {} : { start: search.start }),
    ...(search.end === undefined ? {} : { end: search.end }),
    orderBy: { column: column!, descending: match?.[2]?.toUpperCase() === 'DESC' },
    startRow: search.startRow,
    numberOfResults: search.numberOfResults,
  });
}
