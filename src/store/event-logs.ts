import type { Db } from './open-database.js';
import { whereClause } from './where-clause.js';

export type EventLogType = 'Information' | 'Debug' | 'Error';

/** FusionAuth's event log entry (https://fusionauth.io/docs/apis/event-logs). */
export interface EventLog {
  id: number;
  insertInstant: number;
  message: string;
  type: EventLogType;
}

export interface EventLogQuery {
  /** A SQL LIKE pattern over the message, `\` escaping. */
  like?: string;
  type?: EventLogType;
  /** Milliseconds, inclusive. */
  start?: number;
  end?: number;
  orderBy: { column: 'insert_instant' | 'message' | 'type'; descending: boolean };
  startRow: number;
  numberOfResults: number;
}

export type EventLogStore = ReturnType<typeof createEventLogStore>;

// A mock left running is not an archive: the oldest entries go once there are this many.
const KEEP = 10_000;

export function createEventLogStore(db: Db) {
  const insert = db.prepare<[number, string, string], { id: number }>(
    'INSERT INTO event_logs (insert_instant, type, message) VALUES (?, ?, ?) RETURNING id',
  );
  const trim = db.prepare<[number]>('DELETE FROM event_logs WHERE id <= ?');
  const byId = db.prepare<[number], Row>('SELECT id, insert_instant, type, message FROM event_logs WHERE id = ?');

  return {
    insert: (now: number, type: EventLogType, message: string): EventLog => {
      const { id } = insert.get(now, type, message)!;
      if (id > KEEP) trim.run(id - KEEP);
      return { id, insertInstant: now, message, type };
    },
    get: (id: number): EventLog | undefined => {
      const row = byId.get(id);
      return row ? fromRow(row) : undefined;
    },
    search: (query: EventLogQuery): { eventLogs: EventLog[]; total: number } => {
      const { sql: clause, params } = whereClause([
        ["message LIKE ? ESCAPE '\\'", query.like],
        ['type = ?', query.type],
        ['insert_instant >= ?', query.start],
        ['insert_instant <= ?', query.end],
      ]);
      const direction = query.orderBy.descending ? 'DESC' : 'ASC';
      // The column and direction come from fixed lists, never from the request's text.
      const rows = db
        .prepare<Array<string | number>, Row>(
          `SELECT id, insert_instant, type, message FROM event_logs ${clause} ORDER BY ${query.orderBy.column} ${direction}, id ${direction} LIMIT ? OFFSET ?`,
        )
        .all(...params, query.numberOfResults, query.startRow);
      const { total } = db.prepare<Array<string | number>, { total: number }>(`SELECT count(*) AS total FROM event_logs ${clause}`).get(...params)!;
      return { eventLogs: rows.map(fromRow), total };
    },
  };
}

interface Row {
  id: number;
  insert_instant: number;
  type: string;
  message: string;
}

function fromRow(row: Row): EventLog {
  return { id: row.id, insertInstant: row.insert_instant, message: row.message, type: row.type as EventLogType };
}
