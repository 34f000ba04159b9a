import { isObject, type JsonObject } from '../model/json.js';
import type { Db } from './open-database.js';
import { whereClause } from './where-clause.js';

export type EventResult = 'Running' | 'Succeeded' | 'Failed';
export type AttemptResult = 'Success' | 'Failure' | 'Unknown';

/** FusionAuth's WebhookAttemptLog (https://fusionauth.io/docs/apis/webhook-event-logs). */
export interface WebhookAttemptLog {
  id: string;
  webhookEventLogId: string;
  webhookId: string;
  startInstant: number;
  endInstant: number;
  attemptResult: AttemptResult;
  webhookCallResponse: { statusCode?: number; url: string; exception?: string };
  data: JsonObject;
}

/** FusionAuth's WebhookEventLog: one event, every attempt to deliver it. */
export interface WebhookEventLog {
  id: string;
  insertInstant: number;
  lastUpdateInstant: number;
  lastAttemptInstant?: number;
  /** The request body as sent: `{event: {...}}`. */
  event: JsonObject;
  eventType: string;
  eventResult: EventResult;
  linkedObjectId?: string;
  sequence: number;
  failedAttempts: number;
  successfulAttempts: number;
  attempts: WebhookAttemptLog[];
  data: JsonObject;
}

/** The tenant of the event a log records: its body's `event.tenantId`; undefined for an event of no tenant. */
export function eventTenantId(log: WebhookEventLog): string | undefined {
  const event = log.event.event;
  return isObject(event) && typeof event.tenantId === 'string' ? event.tenantId : undefined;
}

export interface EventLogSearch {
  eventType?: string;
  eventResult?: EventResult;
  /** Matched as a substring of the event's JSON, `*` standing for anything. */
  event?: string;
  tenantId?: string;
  start?: number;
  end?: number;
  /** Only logs stored after this sequence number. */
  afterSeq?: number;
  startRow?: number;
  numberOfResults?: number;
  /** Oldest first when true; newest first otherwise (FusionAuth's default `insertInstant DESC`). */
  ascending?: boolean;
}

export type WebhookEventLogStore = ReturnType<typeof createWebhookEventLogStore>;

export function createWebhookEventLogStore(db: Db) {
  const insert = db.prepare<[string, number, string, string, string, string]>(
    'INSERT INTO webhook_event_logs (id, insert_instant, event_type, event_result, tenant_id, body) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], { body: string; seq: number }>('SELECT body, seq FROM webhook_event_logs WHERE id = ?');
  const setBody = db.prepare<[string, string, string]>('UPDATE webhook_event_logs SET event_result = ?, body = ? WHERE id = ?');
  const clear = db.prepare('DELETE FROM webhook_event_logs');
  const lastSeq = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM webhook_event_logs');
  const byAttempt = db.prepare<[string], { body: string; seq: number }>(
    "SELECT l.body, l.seq FROM webhook_event_logs l, json_each(l.body, '$.attempts') a WHERE json_extract(a.value, '$.id') = ?",
  );
  const parse = (row: { body: string; seq: number }): WebhookEventLog => ({ ...(JSON.parse(row.body) as WebhookEventLog), sequence: row.seq });

  return {
    /** Stores a new log; returns its sequence number. */
    insert: (log: WebhookEventLog, tenantId: string | undefined): number =>
      Number(insert.run(log.id, log.insertInstant, log.eventType, log.eventResult, tenantId ?? '', JSON.stringify(log)).lastInsertRowid),
    get: (id: string): WebhookEventLog | undefined => {
      const row = byId.get(id.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** The log holding the attempt with this id. */
    byAttemptId: (attemptId: string): WebhookEventLog | undefined => {
      const row = byAttempt.get(attemptId.toLowerCase());
      return row ? parse(row) : undefined;
    },
    /** Writes a log's new state; a log cleared in the meantime stays cleared. */
    update: (log: WebhookEventLog) => void setBody.run(log.eventResult, JSON.stringify(log), log.id),
    search: (search: EventLogSearch = {}): { total: number; logs: WebhookEventLog[] } => {
      const eventLike =
        search.event === undefined || search.event === '' || search.event === '*'
          ? undefined
          : `%${search.event.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%')}%`;
      const { sql: filter, params } = whereClause([
        ['event_type = ?', search.eventType],
        ['event_result = ?', search.eventResult],
        ['tenant_id = ?', search.tenantId],
        ['insert_instant >= ?', search.start],
        ['insert_instant <= ?', search.end],
        ['seq > ?', search.afterSeq],
        ["json_extract(body, '$.event') LIKE ? ESCAPE '\\'", eventLike],
      ]);
      const total = db.prepare<Array<string | number>, { n: number }>(`SELECT count(*) AS n FROM webhook_event_logs ${filter}`).get(...params)!.n;
      const rows = db
        .prepare<Array<string | number>, { body: string; seq: number }>(
          `SELECT body, seq FROM webhook_event_logs ${filter} ORDER BY seq ${search.ascending ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`,
        )
        .all(...params, search.numberOfResults ?? 25, search.startRow ?? 0);
      return { total, logs: rows.map(parse) };
    },
    /** The newest sequence number, 0 when empty. */
    lastSeq: (): number => lastSeq.get()?.seq ?? 0,
    clear: (): number => clear.run().changes,
  };
}
