import type { Db } from './open-database.js';
import { whereClause } from './where-clause.js';

/** One event a report counts: when it happened, and whose it was. */
export interface ReportEvent {
  instant: number;
  userId: string;
}

export interface ReportEventQuery {
  /** Milliseconds, inclusive. */
  from: number;
  to: number;
  applicationId?: string;
  userId?: string;
  /** Only this tenant's users (a request that acts in one tenant). */
  tenantId?: string;
}

/** The counts of the Totals report for one application (https://fusionauth.io/docs/apis/reports). */
export interface ApplicationTotals {
  applicationId: string;
  logins: number;
  registrations: number;
}

export type ReportStore = ReturnType<typeof createReportStore>;

/**
 * The reads behind FusionAuth's reports (https://fusionauth.io/docs/apis/reports): Standin keeps no counters, so each
 * report counts the rows it has. Logins are the login records (store/login-records.ts: the newest 10,000), a
 * registration is a registration's `insertInstant`, and a "global" registration is a user's `insertInstant`.
 */
export function createReportStore(db: Db) {
  const applicationTotals = (tenantId: string | undefined): ApplicationTotals[] => {
    const { sql, params } = whereClause([['a.tenant_id = ?', tenantId]]);
    return (
      db
        .prepare<Array<string | number>, { id: string; logins: number; registrations: number }>(
          `SELECT a.id,
                (SELECT count(*) FROM login_records l WHERE l.application_id = a.id) AS logins,
                (SELECT count(*) FROM registrations r WHERE r.application_id = a.id) AS registrations
         FROM applications a ${sql} ORDER BY a.rowid`,
        )
        .all(...params)
        // FusionAuth's totals are counters, kept for an application once it has had a login or a registration.
        .filter((row) => row.logins > 0 || row.registrations > 0)
        .map((row) => ({ applicationId: row.id, logins: row.logins, registrations: row.registrations }))
    );
  };
  const userCount = (tenantId: string | undefined): number => {
    const { sql, params } = whereClause([['tenant_id = ?', tenantId]]);
    return db.prepare<Array<string | number>, { n: number }>(`SELECT count(*) AS n FROM users ${sql}`).get(...params)!.n;
  };

  return {
    /** The logins of the login records in the range, of one application or user if asked. */
    logins: (query: ReportEventQuery): ReportEvent[] => {
      const { sql, params } = whereClause([
        ['instant >= ?', query.from],
        ['instant <= ?', query.to],
        ['application_id = ?', query.applicationId],
        ['user_id = ?', query.userId],
        ['tenant_id = ?', query.tenantId],
      ]);
      return db
        .prepare<Array<string | number>, { instant: number; user_id: string }>(`SELECT instant, user_id FROM login_records ${sql} ORDER BY instant`)
        .all(...params)
        .map((row) => ({ instant: row.instant, userId: row.user_id }));
    },
    /** The users created in the range: FusionAuth's "global" registrations. */
    usersCreated: (query: ReportEventQuery): ReportEvent[] => {
      const { sql, params } = whereClause([
        ["json_extract(body, '$.insertInstant') >= ?", query.from],
        ["json_extract(body, '$.insertInstant') <= ?", query.to],
        ['tenant_id = ?', query.tenantId],
      ]);
      return db
        .prepare<Array<string | number>, ReportEvent>(`SELECT json_extract(body, '$.insertInstant') AS instant, id AS userId FROM users ${sql}`)
        .all(...params);
    },
    /** The registrations to `applicationId` made in the range. */
    registrationsTo: (applicationId: string, query: ReportEventQuery): ReportEvent[] => {
      const { sql, params } = whereClause([
        ['r.application_id = ?', applicationId],
        ["json_extract(r.body, '$.insertInstant') >= ?", query.from],
        ["json_extract(r.body, '$.insertInstant') <= ?", query.to],
        ['u.tenant_id = ?', query.tenantId],
      ]);
      return db
        .prepare<Array<string | number>, ReportEvent>(
          `SELECT json_extract(r.body, '$.insertInstant') AS instant, r.user_id AS userId FROM registrations r JOIN users u ON u.id = r.user_id ${sql}`,
        )
        .all(...params);
    },
    /** Every application's login and registration counts, of one tenant's applications if asked. */
    applicationTotals,
    /** How many users there are, in one tenant if asked. */
    userCount,
  };
}
