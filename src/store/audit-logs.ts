import type { JsonObject } from '../model/json.js';
import type { Db } from './open-database.js';
import { whereClause } from './where-clause.js';

/** FusionAuth's audit log entry (https://fusionauth.io/docs/apis/audit-logs), as the API answers it. */
export interface AuditLog {
  id: number;
  insertInstant: number;
  insertUser: string;
  message: string;
  data?: JsonObject;
  newValue?: unknown;
  oldValue?: unknown;
  reason?: string;
}

export type NewAuditLog = Omit<AuditLog, 'id' | 'insertInstant'>;

export type AuditLogColumn = 'insert_instant' | 'insert_user' | 'message';

export interface AuditLogQuery {
  /** SQL LIKE patterns (`\` escaping) over the named text, each that is given must match. */
  like: Partial<Record<'message' | 'insert_user' | 'new_value' | 'old_value' | 'reason', string>>;
  /** Milliseconds, inclusive. */
  start?: number;
  end?: number;
  orderBy: { column: AuditLogColumn; descending: boolean };
  startRow: number;
  numberOfResults: number;
}

export type AuditLogStore = ReturnType<typeof createAuditLogStore>;

export function createAuditLogStore(db: Db) {
  const insert = db.prepare<[number, string, string, string | null, string | null, string | null, string], { id: number }>(
    'INSERT INTO audit_logs (insert_instant, insert_user, message, new_value, old_value, reason, body) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
  );
  const byId = db.prepare<[number], Row>(`SELECT ${COLUMNS} FROM audit_logs WHERE id = ?`);

  return {
    insert: (now: number, entry: NewAuditLog): AuditLog => {
      const { insertUser, message, ...extras } = entry;
      const { id } = insert.get(
        now,
        insertUser,
        message,
        searchText(extras.newValue),
        searchText(extras.oldValue),
        extras.reason ?? null,
        JSON.stringify(extras),
      )!;
      return fromRow({ id, insert_instant: now, insert_user: insertUser, message, body: JSON.stringify(extras) });
    },
    get: (id: number): AuditLog | undefined => {
      const row = byId.get(id);
      return row ? fromRow(row) : undefined;
    },
    search: (query: AuditLogQuery): { auditLogs: AuditLog[]; total: number } => {
      const { sql: clause, params } = whereClause([
        // The column names come from the query's fixed keys, never from the request's text.
        ...Object.entries(query.like).map(([column, pattern]) => [`${column} LIKE ? ESCAPE '\\'`, pattern] as const),
        ['insert_instant >= ?', query.start],
        ['insert_instant <= ?', query.end],
      ]);
      const direction = query.orderBy.descending ? 'DESC' : 'ASC';
      const rows = db
        .prepare<Array<string | number>, Row>(
          `SELECT ${COLUMNS} FROM audit_logs ${clause} ORDER BY ${query.orderBy.column} ${direction}, id ${direction} LIMIT ? OFFSET ?`,
        )
        .all(...params, query.numberOfResults, query.startRow);
      const { total } = db.prepare<Array<string | number>, { total: number }>(`SELECT count(*) AS total FROM audit_logs ${clause}`).get(...params)!;
      return { auditLogs: rows.map(fromRow), total };
    },
  };
}

const COLUMNS = 'id, insert_instant, insert_user, message, body';

interface Row {
  id: number;
  insert_instant: number;
  insert_user: string;
  message: string;
  /** The members the entry was given beside its user and message: `data`, `newValue`, `oldValue`, `reason`. */
  body: string;
}

// The order of FusionAuth's example answers (Audit Logs API): what was given, then what the server set.
function fromRow(row: Row): AuditLog {
  const extras = JSON.parse(row.body) as Omit<NewAuditLog, 'insertUser' | 'message'>;
  return { ...extras, id: row.id, insertInstant: row.insert_instant, insertUser: row.insert_user, message: row.message };
}

/** What a search matches a value against: a string as it is, anything else as its JSON. */
function searchText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
