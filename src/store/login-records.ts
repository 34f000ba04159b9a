import type { Db } from './open-database.js';
import { whereClause } from './where-clause.js';

/** FusionAuth's login record as its APIs answer it (DisplayableRawLogin: Login API, "Search Login Records"). */
export interface LoginRecord {
  applicationId?: string;
  applicationName?: string;
  instant: number;
  ipAddress?: string;
  loginId?: string;
  loginIdType?: string;
  userId: string;
}

export interface NewLoginRecord extends LoginRecord {
  tenantId: string;
}

export interface LoginRecordQuery {
  userId?: string;
  applicationId?: string;
  /** Only the logins of this tenant's users (a request that acts in one tenant). */
  tenantId?: string;
  /** Milliseconds, inclusive. */
  start?: number;
  end?: number;
  /** Newest first unless false. */
  descending: boolean;
  startRow: number;
  numberOfResults: number;
  /** Count every match (`retrieveTotal`): a second query, so only when asked. */
  withTotal: boolean;
}

export type LoginRecordStore = ReturnType<typeof createLoginRecordStore>;

// A mock left running is not an archive: the oldest records go once there are this many, as FusionAuth deletes
// records older than its configured number of days (System Configuration, `loginRecordConfiguration`).
const KEEP = 10_000;

export function createLoginRecordStore(db: Db) {
  const insert = db.prepare<[number, string, string, string | null, string | null, string | null, string | null, string | null], { id: number }>(
    `INSERT INTO login_records (instant, user_id, tenant_id, application_id, application_name, ip_address, login_id, login_id_type)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  );
  const trim = db.prepare<[number]>('DELETE FROM login_records WHERE id <= ?');

  return {
    /** Call inside the login's transaction (oauth/record-login.ts). */
    insert: (record: NewLoginRecord): void => {
      const { id } = insert.get(
        record.instant,
        record.userId,
        record.tenantId,
        record.applicationId ?? null,
        record.applicationName ?? null,
        record.ipAddress ?? null,
        record.loginId ?? null,
        record.loginIdType ?? null,
      )!;
      if (id > KEEP) trim.run(id - KEEP);
    },
    search: (query: LoginRecordQuery): { logins: LoginRecord[]; total?: number } => {
      const { sql: clause, params } = whereClause([
        ['user_id = ?', query.userId],
        ['application_id = ?', query.applicationId],
        ['tenant_id = ?', query.tenantId],
        ['instant >= ?', query.start],
        ['instant <= ?', query.end],
      ]);
      const direction = query.descending ? 'DESC' : 'ASC';
      const rows = db
        .prepare<Array<string | number>, Row>(
          `SELECT instant, user_id, application_id, application_name, ip_address, login_id, login_id_type FROM login_records ${clause}
           ORDER BY instant ${direction}, id ${direction} LIMIT ? OFFSET ?`,
        )
        .all(...params, query.numberOfResults, query.startRow);
      const logins = rows.map(fromRow);
      if (!query.withTotal) return { logins };
      const { total } = db
        .prepare<Array<string | number>, { total: number }>(`SELECT count(*) AS total FROM login_records ${clause}`)
        .get(...params)!;
      return { logins, total };
    },
  };
}

interface Row {
  instant: number;
  user_id: string;
  application_id: string | null;
  application_name: string | null;
  ip_address: string | null;
  login_id: string | null;
  login_id_type: string | null;
}

function fromRow(row: Row): LoginRecord {
  return {
    ...(row.application_id === null ? {} : { applicationId: row.application_id }),
    ...(row.application_name === null ? {} : { applicationName: row.application_name }),
    instant: row.instant,
    ...(row.ip_address === null ? {} : { ipAddress: row.ip_address }),
    ...(row.login_id === null ? {} : { loginId: row.login_id }),
    ...(row.login_id_type === null ? {} : { loginIdType: row.login_id_type }),
    userId: row.user_id,
  };
}
